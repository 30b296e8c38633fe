import Foundation
import ImgprocCodecs
import ImgprocConcurrency
import ImgprocCore
import ImgprocPipeline
import Synchronization

/// Collects events for assertions.
final class CollectingReporter: ConvertReporter {
  private let store = Locked<[ConvertEvent]>([])

  func report(_ event: ConvertEvent) { store.withLock { $0.append(event) } }

  var events: [ConvertEvent] { store.withLock { $0 } }

  var failures: [(source: String, error: PipelineError)] {
    events.compactMap { if case .failed(let s, let e) = $0 { (s, e) } else { nil } }
  }

  var written: [String] {
    events.compactMap { if case .wrote(_, _, let path, _, _, _, _, _) = $0 { path } else { nil } }
  }
}

/// A temporary folder for one test, removed afterwards.
final class Scratch {
  let root: String

  init() throws {
    root =
      FileManager.default.temporaryDirectory.appendingPathComponent("imgproc-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  func path(_ name: String) -> String { root + "/" + name }

  func write(_ bytes: [UInt8], _ name: String) throws {
    let url = URL(fileURLWithPath: path(name))
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  func read(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
  }

  /// Every file below `folder`, relative to it, hidden ones included (a temporary file left
  /// behind shows), but imgproc's output-folder marker and its records (`.imgproc/`).
  func files(_ folder: String) -> [String] {
    let base = path(folder)
    guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
    return walker.compactMap { $0 as? String }.filter { name in
      var directory: ObjCBool = false
      return FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &directory)
        && !directory.boolValue
        && URL(fileURLWithPath: name).lastPathComponent != FolderStore.marker
        && !name.hasPrefix(".imgproc/")
    }.sorted()
  }
}

/// Decodes an output produced by a render.
func decode(_ output: RenderedVariant) throws -> DecodedImage { try Codecs.decode(output.bytes) }

/// Converts local files and folders into `folder` on the engine, as `imgproc convert` does.
func convert(
  _ inputs: [String], to folder: String, jobs: Int = 2, overwrite: Bool = false,
  settings: RenderSettings = RenderSettings(), reporter: some ConvertReporter
) async throws -> ConvertSummary {
  let configuration = EngineConfiguration(
    settings: settings, naming: try OutputNaming(variantCount: settings.recipe.variants.count),
    jobs: jobs, existingOutputs: overwrite ? .replace : .skip)
  let engine = Engine(
    configuration: configuration, reader: FileReader(), store: FolderStore(root: folder),
    reporter: reporter)
  return await engine.run(
    try LocalInputs.events(inputs, excluding: folder).biggestSourcesFirst())
}
