import Foundation

/// A fresh temporary folder, removed when the value is released.
public final class TemporaryFolder {
  public let url: URL

  public init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "imgproc-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  public func write(_ bytes: [UInt8], to name: String) throws {
    let target = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: target)
  }

  /// Every file below `name`, hidden ones included (a temporary file left behind shows), but
  /// imgproc's output-folder marker and its records (`.imgproc/`).
  public func files(in name: String = "") throws -> [String] {
    let root = name.isEmpty ? url : url.appendingPathComponent(name)
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    return walker.compactMap { $0 as? String }.filter {
      !FileManager.default.isDirectory(root.appendingPathComponent($0).path)
        && URL(fileURLWithPath: $0).lastPathComponent != ".imgproc-output"
        && !$0.hasPrefix(".imgproc/") && !$0.contains("/.imgproc/")
    }.sorted()
  }
}

extension FileManager {
  public func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
  }
}
