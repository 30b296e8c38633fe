import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a run decides before it converts anything: which inputs, which names, which are
/// refused; every skip counted and named.
@Suite("Planning: names, collisions, output folders, skipped inputs")
struct PlanningTests {
  static let jpeg =
    (try? Codecs.encode(Fixtures.gradient(width: 160, height: 120), .jpeg(JPEGSettings()))) ?? []
  static let otherJPEG =
    (try? Codecs.encode(Fixtures.noise(width: 100, height: 80), .jpeg(JPEGSettings()))) ?? []

  @Test("two sources, one output name: exit 2 naming both, nothing written")
  func collisions() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "a/x.jpg")
    try folder.write(Self.otherJPEG, to: "b/x.jpg")
    let result = try CLIRunner.run([
      "convert", folder.path("a/x.jpg"), folder.path("b/x.jpg"), "-o", folder.path("out"),
      "--name", "{base}_{variant}.{ext}",
    ])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("a/x.jpg") && result.stderr.contains("b/x.jpg"))
    #expect(try folder.files(in: "out").isEmpty)
    // With {hash} in the names they are told apart.
    let hashed = try CLIRunner.run([
      "convert", folder.path("a/x.jpg"), folder.path("b/x.jpg"), "-o", folder.path("out"), "-q",
    ])
    let written = try folder.files(in: "out").count
    #expect(hashed.status == 0 && written == 10)
  }

  @Test("'-o -' with a folder of images is a usage error; with one image it writes it")
  func standardOutputTakesOneImage() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "in/a.jpg")
    try folder.write(Self.otherJPEG, to: "in/b.jpg")
    let many = try CLIRunner.run([
      "convert", folder.path("in"), "--variant", "t:jpeg:50x", "-o", "-",
    ])
    #expect(many.status == 2, "\(many.stderr)")
    #expect(many.stdout.isEmpty)
    try FileManager.default.removeItem(atPath: folder.path("in/b.jpg"))
    let one = try CLIRunner.run([
      "convert", folder.path("in"), "--variant", "t:jpeg:50x", "-o", "-",
    ])
    #expect(one.status == 0, "\(one.stderr)")
    #expect(try Codecs.probe(Array(one.stdout)).width == 50)
  }

  @Test(
    "recipe names and templates can never leave -o",
    arguments: [
      ["--recipe", "RECIPE", "--name", "{recipe}/{base}_{variant}_{hash}.{ext}"],
      ["--name", "{variant}/./{base}{hash}.{ext}"],
      ["--name", "a//{base}_{variant}{hash}.{ext}"],
      ["--name", "{base}_{variant}{hash}.{ext}/"],
      ["--variant", "x:jpeg", "--name", "{variant}/.."],
    ])
  func escapes(arguments: [String]) throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "in/a.jpg")
    let recipe = #"{"name": "../../escaped", "variants": [{"name": "v", "format": "jpeg"}]}"#
    try folder.write(Array(recipe.utf8), to: "bad.json")
    let result = try CLIRunner.run(
      ["convert", folder.path("in/a.jpg"), "-o", folder.path("deep/er/out")]
        + arguments.map { $0 == "RECIPE" ? folder.path("bad.json") : $0 })
    #expect(result.status == 2, "\(result.stderr)")
    #expect(try folder.files().sorted() == ["bad.json", "in/a.jpg"], "nothing written anywhere")
  }

  @Test("unknown recipe keys and options that do not apply are refused, naming them")
  func strictRecipes() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "a.jpg")
    let typo = #"{"name": "r", "variants": [{"name": "v", "format": "jpeg", "qualty": 50}]}"#
    try folder.write(Array(typo.utf8), to: "typo.json")
    let cases: [([String], String)] = [
      (["--recipe", folder.path("typo.json")], "qualty"),
      (["--variant", "x:png:q=50"], "quality"),
      (["--variant", "x:jpeg:lossless"], "lossless"),
      (["--variant", "x:jpeg:q=80:q=90"], "twice"),
      (["--variant", "x:webp:progressive"], "progressive"),
      (["--keep", "icc", "--output-profile", "srgb-compact"], "choose one"),
    ]
    for (arguments, named) in cases {
      let result = try CLIRunner.run(
        ["convert", folder.path("a.jpg"), "-o", folder.path("out")] + arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
    }
  }

  @Test("negative numbers get a message that says what is wrong")
  func negativeNumbers() throws {
    for (flag, value) in [("--max-size", "-1"), ("--jobs", "-3"), ("--max-pixels", "-5")] {
      let result = try CLIRunner.run(["convert", "a.jpg", "-o", "out", flag, value])
      #expect(result.status == 2)
      #expect(result.stderr.contains(flag) && result.stderr.contains(value), "\(result.stderr)")
      #expect(!result.stderr.contains("Missing value"))
    }
  }

  @Test("a folder that cannot be created is named with the reason")
  func folderErrorsSayWhy() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "a.jpg")
    try folder.write([1], to: "file")
    let result = try CLIRunner.run([
      "convert", folder.path("a.jpg"), "-o", folder.path("file/out"), "-q",
    ])
    #expect(result.status == 3, "outputs could not be written")
    #expect(result.stderr.contains("in the way"), "\(result.stderr)")
  }

  @Test("secrets are not accepted as flags (they would show in ps)")
  func noSecretFlags() throws {
    let result = try CLIRunner.run([
      "convert", "s3://some-bucket/a.jpg", "-o", "out", "--access-key-id", "AKIA",
      "--secret-access-key", "x",
    ])
    #expect(result.status == 2)
    let help = try CLIRunner.run(["convert", "--help"])
    #expect(!help.stdoutText.contains("secret"))
  }

  @Test("an input folder that is the output folder is a usage error")
  func outputIsInput() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "r/a.jpg")
    let result = try CLIRunner.run(["convert", folder.path("r"), "-o", folder.path("r")])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("output folder"))
  }

  @Test("imgproc's outputs are never inputs; every exclusion is reported")
  func outputsAreNotInputs() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "q/a.jpg")
    try folder.write(Self.otherJPEG, to: "q/party_low_20240101.jpg")  // only looks like one
    try folder.write(Self.jpeg, to: "q/.hidden.jpg")
    let first = try CLIRunner.run(["convert", folder.path("q"), "-o", folder.path("q/web")])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try folder.files(in: "q/web").filter { !$0.hasPrefix(".") }.count == 10)
    // A second run into another folder does not read the first run's outputs, and says so.
    let second = try CLIRunner.run([
      "convert", folder.path("q"), "-o", folder.path("q/thumbs"), "--json",
    ])
    #expect(second.status == 0, "\(second.stderr)")
    let events = CLIRunner.events(second.stdoutText)
    let summary = try #require(events.last)
    #expect(summary["converted"] as? Int == 2, "\(summary)")
    #expect(summary["excluded"] as? Int == 2, "q/web and .hidden.jpg: \(summary)")
    let excluded = events.filter { $0["event"] as? String == "excluded" }.compactMap {
      $0["source"] as? String
    }
    #expect(excluded.contains { $0.hasSuffix("q/web") })
    #expect(excluded.contains { $0.hasSuffix(".hidden.jpg") })
    let plain = try CLIRunner.run(["convert", folder.path("q"), "-o", folder.path("q/thumbs")])
    #expect(plain.stderr.contains("q/web: skipped, holds imgproc's outputs"), "\(plain.stderr)")
    // The output folder inside the input is excluded with a notice, even without -v.
    try folder.write(Self.jpeg, to: "p/sub/user.jpg")
    try folder.write(Self.jpeg, to: "p/top.jpg")
    let inside = try CLIRunner.run(["convert", folder.path("p"), "-o", folder.path("p/sub")])
    #expect(inside.stderr.contains("p/sub: skipped, the output folder"), "\(inside.stderr)")
  }

  @Test("a file name that is not UTF-8 fails naming the file; the rest is converted")
  func notUTF8() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "in/good.jpg")
    let raw = Array(folder.path("in/caf").utf8) + [0xE9] + Array(".jpg".utf8) + [0]
    let fd = raw.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: raw.count) {
          open($0, O_WRONLY | O_CREAT, 0o644)
        }
      } ?? -1
    }
    try #require(fd >= 0)
    _ = Self.jpeg.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    let walked = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("out"), "-q"])
    #expect(walked.status == 1)
    #expect(walked.stderr.contains("caf\\xE9.jpg") && walked.stderr.contains("UTF-8"))
    #expect(try folder.files(in: "out").count == 5)
    // Named explicitly, through a shell that passes the raw bytes.
    let named = try CLIRunner.run(
      [
        "-c",
        "exec \"$0\" convert \"$(printf '\(folder.path("in/caf"))\\351.jpg')\" -o '\(folder.path("out2"))' -q",
      ], shell: true)
    #expect(named.status == 1)
    #expect(named.stderr.contains("UTF-8"), "\(named.stderr)")
  }

  @Test("a run clears the temporary files of killed runs from the folders it writes to")
  func abandonedTemporaryFiles() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "a.jpg")
    // A process that has ended, and one that is alive (this test's).
    let ended = Process()
    ended.executableURL = URL(fileURLWithPath: "/bin/true")
    try ended.run()
    ended.waitUntilExit()
    let dead = ".a_png_0123abcd.png.imgproc-\(ended.processIdentifier)-3.tmp"
    let live = ".a_png_0123abcd.png.imgproc-\(getpid())-1.tmp"
    try folder.write([1, 2, 3], to: "out/" + dead)
    try folder.write([1, 2, 3], to: "out/" + live)
    try folder.write([1, 2, 3], to: "out/.notes.tmp")
    let result = try CLIRunner.run(["convert", folder.path("a.jpg"), "-o", folder.path("out")])
    #expect(result.status == 0, "\(result.stderr)")
    let left = try folder.files(in: "out")
    #expect(!left.contains(dead))
    #expect(left.contains(live) && left.contains(".notes.tmp"))
  }
}
