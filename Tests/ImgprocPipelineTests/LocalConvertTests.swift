import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline
import ImgprocTestSupport
import Testing

@Suite("Batch runs over files and folders")
struct LocalConvertTests {
  static let jpeg =
    (try? Codecs.encode(
      Fixtures.gradient(width: 320, height: 200), .jpeg(JPEGSettings(quality: 90)))) ?? []
  static let png =
    (try? Codecs.encode(Fixtures.noise(width: 120, height: 90, layout: .rgba), .png(PNGSettings())))
    ?? []

  @Test("a re-run finds its outputs and writes nothing; --overwrite rewrites")
  func idempotence() async throws {
    let scratch = try Scratch()
    try scratch.write(Self.jpeg, "in/a.jpg")
    let first = CollectingReporter()
    let summary = try await convert([scratch.path("in")], to: scratch.path("out"), reporter: first)
    #expect(summary.converted == 1 && summary.outputsWritten == 5 && summary.exitCode == 0)
    let before =
      try FileManager.default.attributesOfItem(
        atPath: scratch.path("out/" + scratch.files("out")[0]))[.modificationDate] as? Date
    let second = CollectingReporter()
    let again = try await convert([scratch.path("in")], to: scratch.path("out"), reporter: second)
    #expect(again.upToDate == 1 && again.outputsWritten == 0 && second.written.isEmpty)
    let after =
      try FileManager.default.attributesOfItem(
        atPath: scratch.path("out/" + scratch.files("out")[0]))[.modificationDate] as? Date
    #expect(before == after)
    let forced = try await convert(
      [scratch.path("in")], to: scratch.path("out"), overwrite: true,
      reporter: CollectingReporter())
    #expect(forced.outputsWritten == 5)
    #expect(scratch.files("out").count == 5)
  }

  @Test("bad inputs fail one by one; the rest is converted; nothing partial is left")
  func partialFailure() async throws {
    let scratch = try Scratch()
    try scratch.write(Self.jpeg, "in/good.jpg")
    try scratch.write(Damage.truncated(Self.jpeg, keeping: 0.5), "in/truncated.jpg")
    try scratch.write(Damage.flipped(Self.png, at: 60), "in/flipped.png")
    try scratch.write([], "in/empty.jpg")
    try scratch.write(Damage.pngHeader(width: 40_000, height: 40_000), "in/huge.png")
    try scratch.write(Array("not an image".utf8), "in/notes.txt")
    let named = [
      "good.jpg", "truncated.jpg", "flipped.png", "empty.jpg", "huge.png", "notes.txt",
      "missing.jpg",
    ]
    let reporter = CollectingReporter()
    let summary = try await convert(
      named.map { scratch.path("in/" + $0) }, to: scratch.path("out"), reporter: reporter)
    #expect(summary.converted == 1)
    #expect(summary.failed == 6)
    #expect(summary.exitCode == 1)
    let outputs = scratch.files("out")
    #expect(outputs.count == 5 && outputs.allSatisfy { $0.hasPrefix("good_") })
    let messages = Dictionary(
      uniqueKeysWithValues: reporter.failures.map {
        (URL(fileURLWithPath: $0.source).lastPathComponent, $0.error.description)
      })
    #expect(messages["truncated.jpg"]?.contains("--fail-on error") == true)
    #expect(messages["huge.png"]?.contains("--max-pixels") == true)
    #expect(messages["empty.jpg"]?.contains("empty") == true)
    #expect(messages["notes.txt"]?.contains("not an image imgproc reads") == true)
    #expect(messages["missing.jpg"]?.contains("no such file") == true)
    #expect(messages["flipped.png"] != nil)
    // Sources are untouched.
    #expect(try scratch.read("in/good.jpg") == Self.jpeg)
  }

  @Test(
    "folders are walked: sub-folders kept, non-images and hidden files skipped, the output folder ignored"
  )
  func folders() async throws {
    let scratch = try Scratch()
    try scratch.write(Self.jpeg, "in/top.jpg")
    try scratch.write(Self.png, "in/deeper/logo.png")
    try scratch.write(Self.png, "in/deeper/disguised.jpg")  // a PNG named .jpg
    try scratch.write(Array("readme".utf8), "in/README.txt")
    try scratch.write(Self.jpeg, "in/.hidden.jpg")
    let reporter = CollectingReporter()
    let summary = try await convert(
      [scratch.path("in")], to: scratch.path("in/out"), reporter: reporter)
    #expect(summary.converted == 3 && summary.failed == 0 && summary.ignored == 1)
    let files = scratch.files("in/out")
    #expect(files.filter { $0.hasPrefix("deeper/") }.count == 10)
    #expect(files.contains { $0.hasPrefix("deeper/disguised_png_") && $0.hasSuffix(".png") })
    // A second run must not treat the outputs (inside the input folder) as inputs.
    let again = try await convert(
      [scratch.path("in")], to: scratch.path("in/out"), reporter: CollectingReporter())
    #expect(again.sources == 3 && again.upToDate == 3)
  }

  @Test("outputs are byte-identical for any --jobs")
  func deterministic() async throws {
    let scratch = try Scratch()
    try scratch.write(Self.jpeg, "in/a.jpg")
    try scratch.write(Self.png, "in/b.png")
    try scratch.write(
      try Codecs.encode(Fixtures.noise(width: 700, height: 500), .jpeg(JPEGSettings())), "in/c.jpg")
    for jobs in [1, 2, 5] {
      _ = try await convert(
        [scratch.path("in")], to: scratch.path("out\(jobs)"), jobs: jobs,
        reporter: CollectingReporter())
    }
    let names = scratch.files("out1")
    #expect(names.count == 15)
    for name in names {
      let reference = try scratch.read("out1/" + name)
      #expect(try scratch.read("out2/" + name) == reference, "\(name)")
      #expect(try scratch.read("out5/" + name) == reference, "\(name)")
    }
  }

  @Test("a failed write leaves no temporary file behind")
  func atomicWrites() async throws {
    let scratch = try Scratch()
    try scratch.write(Self.jpeg, "in/a.jpg")
    // A file where the output folder should be makes every write fail.
    try scratch.write([1], "blocked")
    let reporter = CollectingReporter()
    let summary = try await convert(
      [scratch.path("in/a.jpg")], to: scratch.path("blocked/out"), reporter: reporter)
    #expect(summary.failed == 1)
    #expect(scratch.files("").sorted() == ["blocked", "in/a.jpg"])
  }
}
