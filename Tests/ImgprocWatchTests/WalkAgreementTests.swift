import Foundation
import ImgprocPipeline
import Testing

@testable import ImgprocWatch

#if canImport(Glibc)
import Glibc
#endif

@Suite("One folder walk: convert's and watch's agree but where their policy says")
struct WalkAgreementTests {
  /// A tree with one of each kind of entry a walk meets.
  static func tree() throws -> (root: String, output: String, outside: String) {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "walk-\(UUID().uuidString)"
    ).path
    let root = base + "/in"
    let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] + Array("JFIF".utf8) + [0, 1]
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    func write(_ bytes: [UInt8], _ path: String) throws {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    try write(jpeg, root + "/a.jpg")
    try write(Array("hello".utf8), root + "/notes.txt")
    try write(jpeg, root + "/.hidden.jpg")
    try write(jpeg, root + "/b.jpg.part")
    try write(png, root + "/sub/c.png")
    try write(jpeg, root + "/out/x.jpg")
    try write(jpeg, root + "/marked/y.jpg")
    try write([], root + "/marked/" + FolderStore.marker)
    try write(jpeg, base + "/outside.jpg")
    #expect(mkfifo(root + "/fifo", 0o644) == 0)
    #expect(symlink(root + "/gone.jpg", root + "/dangling.jpg") == 0)
    #expect(symlink(root + "/sub", root + "/linkdir") == 0)
    #expect(symlink(base + "/outside.jpg", root + "/outside.jpg") == 0)
    #expect(symlink(root + "/a.jpg", root + "/inside-link.jpg") == 0)
    // A name that is not UTF-8: "\xE9.jpg".
    let name = ([UInt8](root.utf8) + [0x2F, 0xE9] + Array(".jpg".utf8) + [0]).map {
      CChar(bitPattern: $0)
    }
    let fd = open(name, O_CREAT | O_WRONLY, 0o644)
    #expect(fd >= 0)
    close(fd)
    return (root, root + "/out", base)
  }

  /// Each event as a line: `source PATH`, `skipped PATH reason`, `failed PATH`.
  static func lines(_ events: [SourceEvent]) -> Set<String> {
    Set(
      events.compactMap { event in
        switch event {
        case .source(let item): return "source \(item.name)"
        case .skipped(let name, let reason): return "skipped \(name) \(reason)"
        case .failed(let name, _): return "failed \(name)"
        default: return nil
        }
      })
  }

  @Test("the same tree: the same sources, skips and failures, but content sniffing and held names")
  func convertAndWatchAgree() throws {
    let (given, output, base) = try Self.tree()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let root = try #require(FileIO.canonical(given))
    let convert = Self.lines(try LocalInputs.events([root], excluding: output))
    let scanner = TreeScanner(
      root: root, excluded: [try #require(FileIO.canonical(output))], followSymlinks: false)
    let found = scanner.walk(root)
    let watch = Self.lines(
      found.files.map { .source(SourceItem(origin: .file($0.path), base: "")) }
    )
    .union(Self.lines(found.unused))
    // Where the policy says: convert reads content (a text file is not an image; a .part
    // file holding a JPEG is one) and skips dot-names as hidden; watch holds temporary names
    // and reads content only when it converts.
    #expect(
      convert.subtracting(watch) == [
        "skipped \(root)/notes.txt notAnImage", "skipped \(root)/.hidden.jpg hidden",
        "source \(root)/b.jpg.part",
      ])
    #expect(watch.subtracting(convert) == ["source \(root)/notes.txt"])
    // Everywhere else, one rule: folders behind symlinks, pipes, dangling links and names
    // that are not UTF-8 are said, not followed or dropped.
    for line in [
      "skipped \(root)/linkdir symlinkToFolder", "skipped \(root)/fifo notARegularFile",
      "failed \(root)/dangling.jpg", "failed \(root)/\\xE9.jpg",
      "skipped \(root)/outside.jpg symlinkOutOfFolder", "skipped \(root)/out outputFolder",
      "skipped \(root)/marked imgprocOutputs", "source \(root)/inside-link.jpg",
      "source \(root)/sub/c.png", "source \(root)/a.jpg",
    ] {
      #expect(convert.contains(line) && watch.contains(line), "\(line)")
    }
    #expect(found.folders == [root, root + "/sub"])
  }
}
