import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

/// The shell around the commands: lists of inputs, help, version, the summary line.
@Suite("A good citizen of the shell")
struct ShellTests {
  static func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "shell-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static let jpeg =
    (try? Codecs.encode(Fixtures.gradient(width: 64, height: 48), .jpeg(JPEGSettings()))) ?? []

  @Test("find -print0 | imgproc convert --files-from - -0: names with spaces and newlines")
  func nulSeparatedList() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let shots = folder.appendingPathComponent("shots")
    try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
    for name in ["a b.jpg", "line\nbreak.jpg", "plain.jpg"] {
      try Data(Self.jpeg).write(to: shots.appendingPathComponent(name))
    }
    let result = try CLIRunner.run(
      [
        "-c",
        "find shots -name '*.jpg' -print0 | \"$0\" convert --files-from - -0 -o out "
          + "--variant t:webp:32x --name '{base}.{ext}'",
      ], in: folder, shell: true)
    #expect(result.status == 0, "\(result.stderr)")
    let written = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("out").path
    ).filter { !$0.hasPrefix(".") }.sorted()
    #expect(written == ["a b.webp", "line\nbreak.webp", "plain.webp"])
    #expect(result.stderr.contains("imgproc: 3 sources: 3 converted; 3 files written"))
  }

  @Test("--files-from FILE: one per line, empty lines skipped, with the arguments")
  func lineList() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["one.jpg", "two.jpg"] {
      try Data(Self.jpeg).write(to: folder.appendingPathComponent(name))
    }
    try Data("two.jpg\r\n\n".utf8).write(to: folder.appendingPathComponent("list.txt"))
    let result = try CLIRunner.run(
      ["convert", "one.jpg", "--files-from", "list.txt", "-o", "out", "--variant", "t:jpeg:16x"],
      in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("imgproc: 2 sources: 2 converted; 2 files written"))
    let misuse = try CLIRunner.run(["convert", "-0", "one.jpg", "-o", "out"], in: folder)
    #expect(misuse.status == 2 && misuse.stderr.contains("'-0'"))
    let none = try CLIRunner.run(["convert", "-o", "out"], in: folder)
    #expect(none.status == 2)
  }

  @Test("the summary speaks like a person: plurals, sizes in KiB/MiB")
  func summary() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.jpeg).write(to: folder.appendingPathComponent("one.jpg"))
    let result = try CLIRunner.run(
      ["convert", "one.jpg", "-o", "out", "--variant", "t:png"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let line = try #require(result.stderr.split(separator: "\n").last.map(String.init))
    let pattern =
      #/^imgproc: 1 source: 1 converted; 1 file written; [0-9.]+ (bytes|KiB) in → [0-9.]+ (bytes|KiB) out in [0-9.]+ s$/#
    #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
  }

  @Test("--version names imgproc's version and the codec libraries it runs with")
  func version() throws {
    let result = try CLIRunner.run(["--version"])
    #expect(result.status == 0)
    let lines = result.stdoutText.split(separator: "\n")
    #expect(lines.first == "imgproc 0.1.0")
    for library in ["libjpeg-turbo", "libpng", "zlib", "libdeflate", "libwebp"] {
      let pattern = try Regex("\(library) [0-9]+\\.[0-9]+")
      #expect(lines.last?.contains(pattern) == true, "\(library): \(result.stdoutText)")
    }
  }

  @Test(
    "every command's --help ends with examples",
    arguments: [[], ["convert"], ["info"], ["s3-sync"], ["watch"], ["lambda"]])
  func examples(command: [String]) throws {
    let help = try CLIRunner.run(command + ["--help"]).stdoutText
    let examples = try #require(help.range(of: "Examples:"), "\(command)")
    let lines = help[examples.upperBound...].split(separator: "\n")
      .filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("imgproc ") }
    #expect(lines.count >= 2, "\(help)")
  }

  @Test("outputs that cannot be written: exit 3, one line per source, nothing partial left")
  func exitThree() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["one.jpg", "two.jpg"] {
      try Data(Self.jpeg).write(to: folder.appendingPathComponent(name))
    }
    // A file where the output folder should be: every source fails at the destination.
    try Data().write(to: folder.appendingPathComponent("blocked"))
    let blocked = try CLIRunner.run(
      ["convert", "one.jpg", "two.jpg", "-o", "blocked/out", "--variant", "t:jpeg:16x"],
      in: folder)
    #expect(blocked.status == 3, "\(blocked.stderr)")
    #expect(
      blocked.stderr.split(separator: "\n").filter { $0.contains("cannot create") }.count == 2)

    // A folder where one output's file should go: that source fails, the other is written.
    let out = folder.appendingPathComponent("out")
    try FileManager.default.createDirectory(
      at: out.appendingPathComponent("one.jpg/inside"), withIntermediateDirectories: true)
    let one = try CLIRunner.run(
      [
        "convert", "one.jpg", "two.jpg", "-o", "out", "--variant", "t:jpeg:16x", "--name",
        "{base}.{ext}",
      ],
      in: folder)
    #expect(one.status == 3, "\(one.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(
      left == [".imgproc", ".imgproc-output", "one.jpg", "two.jpg"], "no temporary file stays")

    // A source that is not an image is the source's fault: exit 1.
    try Data("text".utf8).write(to: folder.appendingPathComponent("three.jpg"))
    let bad = try CLIRunner.run(
      ["convert", "three.jpg", "two.jpg", "-o", "fresh", "--variant", "t:jpeg:16x"], in: folder)
    #expect(bad.status == 1, "\(bad.stderr)")
  }

  /// Runs `command` (sh syntax; `$0` is the binary) on a pseudo-terminal with util-linux's
  /// `script`, as a person at a terminal would; returns what the terminal showed.
  static func onTerminal(_ command: String, in folder: URL, environment: [String: String] = [:])
    throws -> String
  {
    let binary = CLIRunner.binary.path
    let script = command.replacingOccurrences(of: "$0", with: "'\(binary)'")
    var variables = ProcessInfo.processInfo.environment
    variables["NO_COLOR"] = nil  // the test runner's own setting must not decide
    variables.merge(environment) { $1 }
    variables["TERM"] = "xterm"
    let result = try CLIRunner.run(
      ["-c", "script -qec \"$1\" /dev/null", script], in: folder, environment: variables,
      shell: true)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdoutText
  }

  @Test("on a terminal, a progress line is redrawn in place and erased before the summary")
  func progressLine() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for index in 0..<5 {
      try Data(Self.jpeg).write(to: folder.appendingPathComponent("p\(index).jpg"))
    }
    let screen = try Self.onTerminal(
      "$0 convert . -o out --variant t:jpeg:16x > stdout.txt", in: folder)
    // Redraws are at most ten a second: the last frame drawn may show any count.
    let frame =
      #/\r(imgproc: \x1B\[1m[1-5](/5)?\x1B\[0m images, [0-9.]+/s, [^\r]* in → [^\r]* out[^\r]*)\x1B\[K/#
    #expect(screen.contains(frame) && screen.contains("\r\u{1B}[K"), "\(screen)")
    let summary = try #require(screen.components(separatedBy: "\r\u{1B}[K").last)
    #expect(summary.hasPrefix("imgproc: 5 sources: 5 converted"), "\(summary)")
    let stdout = try String(
      contentsOf: folder.appendingPathComponent("stdout.txt"), encoding: .utf8)
    #expect(stdout.isEmpty, "standard output is left alone")

    let plain = try Self.onTerminal(
      "$0 convert . -o out2 --variant t:jpeg:16x", in: folder, environment: ["NO_COLOR": "1"])
    #expect(plain.contains(" images, ") && !plain.contains("\u{1B}[1m"), "NO_COLOR: \(plain)")
    let quiet = try Self.onTerminal("$0 convert . -o out3 --variant t:jpeg:16x -q", in: folder)
    #expect(quiet.isEmpty, "\(quiet)")
    let json = try Self.onTerminal("$0 convert . -o out4 --variant t:jpeg:16x --json", in: folder)
    #expect(!json.contains("images,") && !json.contains("\r\u{1B}[K"), "\(json)")

    // Piped, the progress line never appears: standard error is not a terminal.
    let piped = try CLIRunner.run(
      ["convert", ".", "-o", "out5", "--variant", "t:jpeg:16x"], in: folder)
    #expect(
      !piped.stderr.contains("images,") && !piped.stderr.contains("\u{1B}"), "\(piped.stderr)")
  }

  @Test(
    "logs: --log-format json lines with source, variant and ms; LOG_LEVEL; --json alone on stdout")
  func logging() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.jpeg).write(to: folder.appendingPathComponent("one.jpg"))
    let logged = try CLIRunner.run(
      [
        "convert", "one.jpg", "missing.jpg", "-o", "out", "--variant", "t:jpeg:16x",
        "--log-format", "json", "--log-level", "info",
      ], in: folder)
    #expect(logged.status == 1 && logged.stdout.isEmpty)
    var records: [[String: Any]] = []
    for line in logged.stderr.split(separator: "\n") {
      let record = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
      #expect(record["time"] is String && record["level"] is String && record["message"] is String)
      records.append(record)
    }
    let output = try #require(records.first { $0["variant"] != nil })
    #expect(output["level"] as? String == "info" && output["source"] as? String == "one.jpg")
    #expect(output["variant"] as? String == "t" && output["bytes"] is Int)
    #expect(records.contains { $0["source"] as? String == "one.jpg" && $0["ms"] is Int })
    #expect(
      records.contains {
        $0["level"] as? String == "error" && $0["source"] as? String == "missing.jpg"
      })
    #expect(records.contains { $0["level"] as? String == "notice" && $0["sources"] as? Int == 2 })

    var environment = ProcessInfo.processInfo.environment
    // One parser for LOG_LEVEL and --log-level, the Lambda runtime's too: any case, and
    // `warn` is `warning`; warning hides the summary.
    for (output, variable, flag) in [
      ("out2", "WARNING", nil), ("out6", "warn", nil), ("out7", nil, "WARN"),
    ] {
      environment["LOG_LEVEL"] = variable
      let quiet = try CLIRunner.run(
        ["convert", "one.jpg", "-o", output, "--variant", "t:jpeg:16x"]
          + (flag.map { ["--log-level", $0] } ?? []), in: folder, environment: environment)
      #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(output): \(quiet.stderr)")
    }
    environment["LOG_LEVEL"] = "WARNING"
    let overridden = try CLIRunner.run(
      ["convert", "one.jpg", "-o", "out3", "--variant", "t:jpeg:16x", "--log-level", "notice"],
      in: folder, environment: environment)
    #expect(overridden.stderr.hasPrefix("imgproc: 1 source: 1 converted"), "\(overridden.stderr)")
    environment["LOG_LEVEL"] = "chatty"
    let bad = try CLIRunner.run(
      ["convert", "one.jpg", "-o", "out4"], in: folder, environment: environment)
    #expect(bad.status == 2 && bad.stderr.contains("LOG_LEVEL"))

    let events = try CLIRunner.run(
      ["convert", "one.jpg", "missing.jpg", "-o", "out5", "--variant", "t:jpeg:16x", "--json"],
      in: folder)
    #expect(events.stdoutText.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"") })
    #expect(events.stderr.split(separator: "\n").count == 1, "only the failure: \(events.stderr)")
  }

  @Test("--report: one page, every image referenced relatively and present, SSIM for lossy outputs")
  func report() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let shots = folder.appendingPathComponent("shots")
    try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
    try Data(Self.jpeg).write(to: shots.appendingPathComponent("a b.jpg"))
    let png = try Codecs.encode(Fixtures.gradient(width: 40, height: 30), .png(PNGSettings()))
    try Data(png).write(to: shots.appendingPathComponent("c.png"))
    let result = try CLIRunner.run(
      ["convert", "shots", "-o", "out", "--report", "pages/report.html"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let pageURL = folder.appendingPathComponent("pages/report.html")
    let page = try String(contentsOf: pageURL, encoding: .utf8)
    let sources = page.matches(of: #/src="([^"]+)"/#)
    #expect(sources.count == 2 + 2 * 5, "two sources, five variants each")
    for match in sources {
      let relative = try #require(String(match.1).removingPercentEncoding)
      let target = pageURL.deletingLastPathComponent().appendingPathComponent(relative).standardized
      #expect(FileManager.default.fileExists(atPath: target.path), "\(relative)")
    }
    #expect(
      page.matches(of: #/SSIM [01]\.[0-9]{4}/#).count == 2 * 4, "every lossy output has its SSIM")
    #expect(page.matches(of: #/data-saving="-?[0-9.]+"/#).count == 2)
    #expect(
      !page.contains("http://") && !page.contains("https://") && !page.contains("<script src"))

    let misuse = try CLIRunner.run(
      ["convert", "-", "-o", "out2", "--report", "r.html"], in: folder)
    #expect(misuse.status == 2 && misuse.stderr.contains("--report"))
  }

  @Test("SIGINT stops convert at once (a shell sees 130); no output is partial under its name")
  func interrupted() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let big = try Codecs.encode(
      Fixtures.noise(width: 1600, height: 1200, seed: 8), .jpeg(JPEGSettings(quality: 95)))
    for index in 0..<40 {
      try Data(big).write(to: folder.appendingPathComponent("p\(index).jpg"))
    }
    let process = try CLIRunner.start(["convert", ".", "-o", "out", "-q"], in: folder)
    let out = folder.appendingPathComponent("out")
    // Interrupt once outputs are being written.
    for _ in 0..<200 {
      let written = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
      if written.contains(where: { !$0.hasPrefix(".") }) { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    process.interrupt()
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
    let finished = names.filter { !$0.hasPrefix(".") }
    #expect(finished.count < 40 * 5, "stopped before the end")
    for name in finished {
      let bytes = Array(try Data(contentsOf: out.appendingPathComponent(name)))
      #expect((try? Codecs.decode(bytes)) != nil, "\(name) is whole")
    }
  }

  @Test("a file name starting with '-' is never read as options: exit 2 naming ./NAME and --")
  func dashNames() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["-dash.jpg", "-photo.jpg"] {
      try Data(Self.jpeg).write(to: folder.appendingPathComponent(name))
    }
    for arguments in [["convert", "-dash.jpg", "-o", "out"], ["info", "-photo.jpg"]] {
      let run = try CLIRunner.run(arguments, in: folder)
      #expect(run.status == 2, "\(arguments): \(run.stdoutText)")
      #expect(!run.stdoutText.contains("USAGE") && !run.stdoutText.contains("OVERVIEW"))
      #expect(
        run.stderr.contains("./\(arguments[1])") && run.stderr.contains("--"), "\(run.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    let separated = try CLIRunner.run(
      ["convert", "-o", "out", "--variant", "t:jpeg:16x16", "--", "-dash.jpg"], in: folder)
    #expect(separated.status == 0, "\(separated.stderr)")
    let dotted = try CLIRunner.run(["info", "./-photo.jpg"], in: folder)
    #expect(dotted.status == 0 && dotted.stdoutText.contains("jpeg"), "\(dotted.stderr)")
  }

  @Test("empty and truncated files in a folder fail with their reason; other files are skipped")
  func emptyAndTruncated() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let png = try Codecs.encode(Fixtures.gradient(width: 8, height: 8), .png(PNGSettings()))
    let files: [(String, [UInt8])] = [
      ("in/empty.jpg", []), ("in/short.png", Array(png.prefix(4))),
      ("in/short.jpg", Array(Self.jpeg.prefix(2))), ("in/short.webp", Array("RIFF\0\0".utf8)),
      ("in/short.avif", [0, 0, 0, 28] + Array("ftypa".utf8)), ("in/notes.jpg", Array("hello".utf8)),
    ]
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
    for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
    let run = try CLIRunner.run(["convert", "in", "-o", "out", "--variant", "t:png"], in: folder)
    #expect(run.status == 1, "\(run.stderr)")
    let lines = run.stderr.split(separator: "\n").map(String.init)
    for (name, reason) in [
      ("empty.jpg", "empty file"), ("short.png", "truncated PNG header"),
      ("short.jpg", "truncated JPEG header"), ("short.webp", "truncated WebP header"),
      ("short.avif", "truncated HEIF/AVIF header"),
    ] {
      #expect(lines.contains { $0.contains(name) && $0.contains(reason) }, "\(name): \(run.stderr)")
    }
    #expect(!lines.contains { $0.contains("notes.jpg") && $0.contains("failed") })
    #expect(run.stderr.contains("5 failed") && run.stderr.contains("1 non-image file skipped"))
  }

  @Test("an empty --files-from list is nothing to do, as an empty folder: exit 0, one line")
  func emptyList() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data().write(to: folder.appendingPathComponent("list.txt"))
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
    for arguments in [
      ["convert", "--files-from", "list.txt", "-o", "out"], ["convert", "empty", "-o", "out"],
      ["convert", "--files-from", "-", "-0", "-o", "out"],
    ] {
      let run = try CLIRunner.run(arguments, in: folder)
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      #expect(run.stderr == "imgproc: nothing to convert\n", "\(arguments): \(run.stderr)")
    }
    let none = try CLIRunner.run(["convert", "-o", "out"], in: folder)
    #expect(none.status == 2, "no input at all is still a usage error")
  }

  @Test("standard output that cannot be written is exit 3 with one line, as coreutils do")
  func fullStandardOutput() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.jpeg).write(to: folder.appendingPathComponent("a.jpg"))
    let binary = CLIRunner.binary.path
    for command in [
      "'\(binary)' info --json a.jpg > /dev/full",
      "'\(binary)' convert a.jpg -o out --variant t:jpeg:16x --json > /dev/full",
    ] {
      let run = try CLIRunner.run(["-c", command], in: folder, shell: true)
      #expect(run.status == 3, "\(command): \(run.stderr)")
      #expect(
        run.stderr.split(separator: "\n").filter { $0.contains("No space left on device") }.count
          == 1, "\(run.stderr)")
    }
  }

  @Test("-o - into a closed pipe, SIGPIPE ignored: one line, exit 3, no source called failed")
  func closedPipe() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.jpeg).write(to: folder.appendingPathComponent("a.jpg"))
    let binary = CLIRunner.binary.path
    // imgproc starts once the reader has closed its end (the file `closed`), so its write
    // meets a closed pipe; its status goes to a file, as a pipeline's is its last command's.
    let command =
      "trap '' PIPE; { until [ -e closed ]; do sleep 0.01; done;"
      + " '\(binary)' convert a.jpg --variant t:jpeg:64x -o -; echo $? > status; }"
      + " | { exec 0<&-; : > closed; }"
    let run = try CLIRunner.run(["-c", command], in: folder, shell: true)
    let status = try String(contentsOf: folder.appendingPathComponent("status"), encoding: .utf8)
    #expect(status == "3\n", "\(run.stderr)")
    #expect(run.stderr == "imgproc: cannot write standard output: Broken pipe\n", "\(run.stderr)")
  }

  @Test("-o out/ names outputs out/NAME, as typed, without a doubled slash")
  func outputFolderWithSlash() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.jpeg).write(to: folder.appendingPathComponent("a.jpg"))
    let run = try CLIRunner.run(
      ["convert", "a.jpg", "-o", "out/", "--variant", "t:jpeg:16x", "-v", "--json"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdoutText.contains("\"path\":\"out/a_t_"), "\(run.stdoutText)")
    #expect(!run.stdoutText.contains("//") && !run.stderr.contains("//"), "\(run.stderr)")
  }

  @Test("a file given four times, by other names or in a folder too, is converted once")
  func givenTwice() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
    try Data(Self.jpeg).write(to: folder.appendingPathComponent("in/a.jpg"))
    let run = try CLIRunner.run(
      [
        "convert", "in/a.jpg", "in/a.jpg", "./in/a.jpg", "in", "-o", "out", "--variant",
        "t:jpeg:16x",
        "--json",
      ], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stdoutText.contains("\"converted\":1") && run.stdoutText.contains("\"outputs\":1"),
      "\(run.stdoutText)")
    #expect(
      run.stdoutText.components(separatedBy: "given more than once").count == 4, "\(run.stdoutText)"
    )
  }

  @Test("a variant name given twice is said as the user gave it: --variant, not a recipe 'custom'")
  func duplicateVariantNamed() throws {
    let run = try CLIRunner.run(
      ["convert", "a.jpg", "-o", "out", "--variant", "a:png", "--variant", "a:jpeg"])
    #expect(run.status == 2)
    #expect(
      run.stderr.contains("--variant 'a:jpeg': an earlier --variant gives a variant named 'a'"))
    #expect(!run.stderr.contains("custom"), "\(run.stderr)")
  }

  @Test("a name holding a newline or an escape still gives one line per message, escaped")
  func controlCharactersInNames() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("not an image".utf8).write(to: folder.appendingPathComponent("bad\nname.jpg"))
    try Data("nor this".utf8).write(to: folder.appendingPathComponent("esc\u{1B}[31m.jpg"))
    let run = try CLIRunner.run(
      ["convert", "bad\nname.jpg", "esc\u{1B}[31m.jpg", "-o", "out", "--variant", "t:jpeg:16x"],
      in: folder)
    #expect(run.status == 1)
    let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.allSatisfy { $0.hasPrefix("imgproc: ") }, "\(run.stderr)")
    #expect(run.stderr.contains("bad\\nname.jpg") && run.stderr.contains("esc\\u{1B}[31m.jpg"))
    #expect(!run.stderr.contains("\u{1B}"))
  }

  @Test("--json -v: the events on standard output, and -v's lines on standard error")
  func jsonVerbose() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.jpeg).write(to: folder.appendingPathComponent("a.jpg"))
    let run = try CLIRunner.run(
      ["convert", "a.jpg", "-o", "out", "--variant", "t:jpeg:16x", "--json", "-v"], in: folder)
    #expect(run.status == 0)
    #expect(run.stdoutText.contains("\"event\":\"output\""))
    #expect(run.stderr.contains("a.jpg → ") && run.stderr.contains("[t "), "\(run.stderr)")
    let plain = try CLIRunner.run(
      ["convert", "a.jpg", "-o", "out2", "--variant", "t:jpeg:16x", "--json"], in: folder)
    #expect(plain.stderr.isEmpty, "\(plain.stderr)")
  }
}
