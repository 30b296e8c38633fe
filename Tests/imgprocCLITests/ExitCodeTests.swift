import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("Exit codes, diagnostics and shell pipelines")
struct ExitCodeTests {
  static let jpeg =
    (try? Codecs.encode(Fixtures.gradient(width: 160, height: 120), .jpeg(JPEGSettings()))) ?? []

  @Test("a bad file gives one line naming it, exit 1, and the rest is converted")
  func badInput() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "good.jpg")
    try folder.write(Damage.truncated(Self.jpeg, keeping: 0.5), to: "cut.jpg")
    let result = try CLIRunner.run([
      "convert", folder.path("good.jpg"), folder.path("cut.jpg"), "-o", folder.path("out"), "-q",
    ])
    #expect(result.status == 1)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(lines.first?.contains("cut.jpg") == true)
    #expect(lines.first?.contains("--fail-on error") == true)
    #expect(try folder.files(in: "out").count == 5)
    // The flag named in the message does change the outcome.
    let tolerant = try CLIRunner.run([
      "convert", folder.path("cut.jpg"), "-o", folder.path("out2"), "--fail-on", "error",
    ])
    #expect(tolerant.status == 0)
    #expect(tolerant.stderr.contains("warning"))
  }

  @Test(
    "usage errors exit 2",
    arguments: [
      ["convert", "x.jpg"],
      ["convert", "x.jpg", "-o", "out", "--variant", "v:gif"],
      ["convert", "x.jpg", "-o", "out", "--jobs", "0"],
      ["convert", "x.jpg", "-o", "out", "--name", "{base}.{ext}"],
      ["convert", "x.jpg", "-o", "out", "--recipe", "/nonexistent.json"],
      ["convert", "x.jpg", "-o", "-"],
      ["convert", "x.jpg", "-o", "out", "--kernel", "bogus"],
    ])
  func usageErrors(arguments: [String]) throws {
    let result = try CLIRunner.run(arguments)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(!result.stderr.isEmpty)
  }

  @Test("standard input to standard output")
  func pipeline() throws {
    let result = try CLIRunner.run(
      ["convert", "-", "--variant", "t:webp:q=70:80x", "-o", "-"], input: Data(Self.jpeg))
    #expect(result.status == 0, "\(result.stderr)")
    let decoded = try Codecs.decode(Array(result.stdout))
    #expect(decoded.format == .webp && decoded.image.width == 80 && decoded.image.height == 60)
  }

  @Test("--json prints one parseable object per output and a summary")
  func json() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "a.jpg")
    try folder.write([0x42], to: "b.jpg")
    let result = try CLIRunner.run([
      "convert", folder.path("a.jpg"), folder.path("b.jpg"), "-o", folder.path("out"), "--json",
    ])
    #expect(result.status == 1)
    let objects = try result.stdoutText.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(objects.filter { $0["event"] as? String == "output" }.count == 5)
    #expect(objects.filter { $0["event"] as? String == "error" }.count == 1)
    let summary = try #require(objects.last)
    #expect(summary["event"] as? String == "summary" && summary["failed"] as? Int == 1)
  }

  /// An environment without any AWS credentials or configuration.
  static func withoutCredentials(home: String) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    environment["HOME"] = home
    environment["AWS_EC2_METADATA_DISABLED"] = "true"
    return environment
  }

  @Test("a run that cannot start prints one 'imgproc:' line and exits 1")
  func fatalErrorStyle() throws {
    let folder = try TemporaryFolder()
    let result = try CLIRunner.run(
      ["convert", "s3://some-bucket/a.jpg", "-o", folder.path("out")],
      environment: Self.withoutCredentials(home: folder.path("home")))
    #expect(result.status == 1)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(lines.first?.hasPrefix("imgproc: no AWS credentials found") == true, "\(result.stderr)")
    let json = try CLIRunner.run(
      ["convert", "s3://some-bucket/a.jpg", "-o", folder.path("out"), "--json"],
      environment: Self.withoutCredentials(home: folder.path("home")))
    let event = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdoutText.utf8)) as? [String: Any])
    #expect(event["event"] as? String == "error" && event["code"] as? String == "credentials")
  }

  @Test(
    "malformed locations and endpoints are usage errors, found before any credentials",
    arguments: [
      ["convert", "s3://Bad_Bucket/a.jpg", "-o", "out"],
      ["convert", "a.jpg", "-o", "s3://x/prefix/"],
      ["convert", "s3://some-bucket/a.jpg", "-o", "out", "--endpoint-url", "ftp://127.0.0.1"],
      ["s3-sync", "s3://some-bucket/in/", "s3://UPPER/out/"],
      ["s3-sync", "s3://some-bucket/in/", "s3://some-bucket/in/out/"],
    ])
  func earlyUsageErrors(arguments: [String]) throws {
    let folder = try TemporaryFolder()
    let result = try CLIRunner.run(
      arguments, environment: Self.withoutCredentials(home: folder.path("home")))
    #expect(result.status == 2, "\(result.stderr)")
    #expect(!result.stderr.contains("credentials"), "\(result.stderr)")
  }

  @Test("a PNG claiming 2147483647×2147483647 is refused from its header, allocating nothing")
  func hugeDeclaredPNG() throws {
    let folder = try TemporaryFolder()
    try folder.write(Damage.pngHeader(width: 2_147_483_647, height: 2_147_483_647), to: "huge.png")
    let start = Date()
    let result = try CLIRunner.run(
      ["convert", folder.path("huge.png"), "-o", folder.path("out")], addressSpaceMiB: 2048)
    #expect(result.status == 1)
    #expect(result.stderr.contains("--max-pixels"), "\(result.stderr)")
    #expect(Date().timeIntervalSince(start) < 5)
  }

  @Test(
    "--fail-on warning fails PNG and WebP whose image data is cut short; --fail-on error decodes them"
  )
  func failOnEveryFormat() throws {
    let folder = try TemporaryFolder()
    let image = Fixtures.gradient(width: 160, height: 120)
    let png = try Codecs.encode(image, .png(PNGSettings()))
    let webp = try Codecs.encode(image, .webp(WebPSettings(quality: 80)))
    try folder.write(Damage.truncated(png, keeping: 0.7), to: "cut.png")
    try folder.write(Damage.truncated(webp, keeping: 0.7), to: "cut.webp")
    for name in ["cut.png", "cut.webp"] {
      let strict = try CLIRunner.run(["convert", folder.path(name), "-o", folder.path("out")])
      #expect(strict.status == 1, "\(name)")
      #expect(strict.stderr.contains("--fail-on error"), "\(name): \(strict.stderr)")
      let tolerant = try CLIRunner.run([
        "convert", folder.path(name), "-o", folder.path("out"), "--fail-on", "error",
      ])
      #expect(tolerant.status == 0, "\(name): \(tolerant.stderr)")
      #expect(tolerant.stderr.contains("warning"), "\(name)")
    }
  }

  @Test(
    "endless input stops at --max-input-bytes (default 512 MiB) with one clear line",
    arguments: [
      ["convert", "/dev/zero", "-o", "OUT", "-q"],
      ["convert", "/dev/zero", "-o", "OUT", "-q", "--max-input-bytes", "8MiB"],
      ["convert", "-", "-o", "OUT", "-q", "--max-input-bytes", "1MiB", "<", "/dev/zero"],
    ])
  func boundedInput(arguments: [String]) throws {
    let folder = try TemporaryFolder()
    let start = Date()
    // Through a shell, so that standard input can be /dev/zero.
    let command = arguments.map { $0 == "OUT" ? folder.path("out") : $0 }.map {
      $0 == "<" ? "<" : "'\($0)'"
    }.joined(separator: " ")
    let result = try CLIRunner.run(
      ["-c", "exec \"$0\" \(command)"], shell: true, addressSpaceMiB: 3072)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("--max-input-bytes"), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(Date().timeIntervalSince(start) < 20)
  }

  @Test("an endpoint that refuses connections fails within seconds, with one clean line")
  func connectionRefused() throws {
    let folder = try TemporaryFolder()
    var environment = Self.withoutCredentials(home: folder.path("home"))
    environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
    environment["AWS_SECRET_ACCESS_KEY"] = "secret"
    let start = Date()
    let result = try CLIRunner.run(
      [
        "convert", "s3://some-bucket/a.jpg", "-o", folder.path("out"), "-q", "--endpoint-url",
        "http://127.0.0.1:9",
      ], environment: environment)
    #expect(Date().timeIntervalSince(start) < 10)
    #expect(result.status == 1)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("127.0.0.1:9") && result.stderr.contains("Connection refused"))
    #expect(!result.stderr.contains("errno"), "\(result.stderr)")
  }

  @Test(
    "the checked-in completion scripts match the command definitions",
    arguments: [("bash", "imgproc.bash"), ("zsh", "_imgproc"), ("fish", "imgproc.fish")])
  func completions(shell: String, file: String) throws {
    let generated = try CLIRunner.run(["--generate-completion-script", shell])
    let checkedIn = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../completions/\(file)").standardized
    #expect(
      generated.stdoutText == (try String(contentsOf: checkedIn, encoding: .utf8)),
      "run `make completions`")
  }
}
