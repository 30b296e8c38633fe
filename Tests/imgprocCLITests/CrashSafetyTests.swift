import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` at moments a seeded generator picks (50 per command, in rounds of 10 that each
/// end with a run to completion), and a disk that fills up: never a partial file under a
/// final name, the next run completes the work, and what was done is never done again.
@Suite("Crash safety: kill -9 anywhere, a full disk", .serialized)
struct CrashSafetyTests {
  static let rounds = 5
  static let killsPerRound = 10

  static func photo(_ index: Int) throws -> [UInt8] {
    try Codecs.encode(
      Fixtures.noise(width: 320 + index, height: 240, layout: .rgb, seed: UInt64(40 + index)),
      .jpeg(JPEGSettings(quality: 85)))
  }

  /// Every file under `name` with a final name (not a dot file) decodes without a warning;
  /// returns how many there are.
  @discardableResult
  static func expectWhole(_ folder: TemporaryFolder, _ name: String, _ context: String) throws
    -> Int
  {
    let finals = try folder.files(in: name).filter {
      !URL(fileURLWithPath: $0).lastPathComponent.hasPrefix(".") && !$0.hasSuffix(".json")
    }
    for file in finals {
      let bytes = try Data(contentsOf: folder.url.appendingPathComponent(name + "/" + file))
      #expect(
        (try? Codecs.decode(Array(bytes))) != nil, "\(context): \(file) is partial or damaged")
    }
    return finals.count
  }

  /// Starts `imgproc arguments…` in `folder`, output to files named `log`.
  static func start(_ arguments: [String], in folder: TemporaryFolder, log: String) throws
    -> Process
  {
    try CLIRunner.start(
      arguments, in: folder.url, output: folder.url.appendingPathComponent(log + ".out"))
  }

  /// Sleeps a random moment of `0…seconds`, then kills `process` with SIGKILL; whether the
  /// kill found it running.
  @discardableResult
  static func killLater(
    _ process: Process, within seconds: Double, using generator: inout SeededGenerator
  ) -> Bool {
    usleep(UInt32(Double.random(in: 0...seconds, using: &generator) * 1e6))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal
  }

  @Test("convert: 50 kills; each round's last run writes exactly what is missing")
  func convert() throws {
    let folder = try TemporaryFolder()
    for index in 0..<8 { try folder.write(try Self.photo(index), to: "in/p\(index).jpg") }
    var generator = SeededGenerator(seed: 1328)
    let start = Date()
    _ = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("probe"), "-q"])
    let duration = Date().timeIntervalSince(start)
    var killedRunning = 0
    for round in 0..<Self.rounds {
      let out = "out\(round)"
      let arguments = ["convert", "in", "-o", out, "--jobs", "2", "--json"]
      var existing = 0
      for point in 0..<Self.killsPerRound {
        // A resumed run has only what is missing to do: the kill window shrinks with it.
        let window = max(0.05, duration * 0.8 * Double(40 - existing) / 40)
        let run = try Self.start(arguments, in: folder, log: "run")
        if Self.killLater(run, within: window, using: &generator) { killedRunning += 1 }
        existing = try Self.expectWhole(folder, out, "round \(round), kill \(point)")
      }
      let before = try Self.expectWhole(folder, out, "round \(round)")
      let last = try CLIRunner.run(arguments, in: folder.url)
      #expect(last.status == 0, "\(last.stderr)")
      let written = last.stdoutText.split(separator: "\n").filter {
        $0.contains("\"event\":\"output\"")
      }.count
      #expect(written == 40 - before, "round \(round): nothing done twice")
      #expect(try Self.expectWhole(folder, out, "round \(round), after") == 40)
      #expect(try folder.files(in: out).allSatisfy { !$0.hasSuffix(".tmp") })
    }
    #expect(killedRunning >= 25, "most kills land mid-run: \(killedRunning) of 50")
  }

  @Test("watch: 50 kills during bursts; every file converted, none twice")
  func watch() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    var generator = SeededGenerator(seed: 2929)
    let arguments = [
      "watch", "in", "-o", "out", "--journal", "journal.jsonl", "--settle", "50",
      "--variant", "t:jpeg:q=70:64x64", "--json",
    ]
    var logs: [String] = []
    var written = 0
    for point in 0..<(Self.rounds * Self.killsPerRound) {
      let log = "watch\(point)"
      logs.append(log)
      let run = try Self.start(arguments, in: folder, log: log)
      usleep(150_000)
      for index in 0..<4 {
        try folder.write(try Self.photo(point * 4 + index), to: "in/w\(point)-\(index).jpg")
        written += 1
      }
      Self.killLater(run, within: 1.0, using: &generator)
      try Self.expectWhole(folder, "out", "kill \(point)")
    }
    let last = try CLIRunner.run(arguments + ["--once"], in: folder.url)
    logs.append("last")
    try Data(last.stdout).write(to: folder.url.appendingPathComponent("last.out"))
    #expect(last.status == 0, "\(last.stderr)")
    #expect(try Self.expectWhole(folder, "out", "after") == written)
    var outputsPerSource: [String: Int] = [:]
    for log in logs {
      let text = (try? String(contentsOfFile: folder.path(log + ".out"), encoding: .utf8)) ?? ""
      for line in text.split(separator: "\n") where line.contains("\"event\":\"output\"") {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        if let source = object?["source"] as? String { outputsPerSource[source, default: 0] += 1 }
      }
    }
    #expect(outputsPerSource.values.allSatisfy { $0 == 1 }, "none twice: \(outputsPerSource)")
  }

  @Test(
    "a full disk: exit 3, one clear line per source, nothing partial, no temporary file left",
    .enabled(if: DiskFull.canMount, "needs root and tmpfs (mount -t tmpfs)"))
  func diskFull() throws {
    let folder = try TemporaryFolder()
    for index in 0..<4 { try folder.write(try Self.photo(index), to: "in/p\(index).jpg") }
    try FileManager.default.createDirectory(
      atPath: folder.path("small"), withIntermediateDirectories: true)
    #expect(DiskFull.mount(folder.path("small"), kilobytes: 400))
    defer { DiskFull.unmount(folder.path("small")) }
    let run = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("small/out")])
    #expect(run.status == 3, "\(run.stderr)")
    let lines = run.stderr.split(separator: "\n").filter { $0.contains("No space left on device") }
    #expect(!lines.isEmpty, "\(run.stderr)")
    #expect(lines.allSatisfy { $0.contains("/in/p") }, "each line names its source")
    try Self.expectWhole(folder, "small/out", "full disk")
    #expect(try folder.files(in: "small/out").allSatisfy { !$0.hasSuffix(".tmp") })
  }
}

/// A small tmpfs, for filling a disk on purpose (root only).
enum DiskFull {
  static let canMount: Bool = {
    guard getuid() == 0 else { return false }
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent(
      "imgproc-tmpfs-probe-\(getpid())")
    try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: probe) }
    guard mount(probe.path, kilobytes: 64) else { return false }
    unmount(probe.path)
    return true
  }()

  static func mount(_ path: String, kilobytes: Int) -> Bool {
    run(["/bin/mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
  }

  static func unmount(_ path: String) { _ = run(["/bin/umount", path]) }

  private static func run(_ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}
