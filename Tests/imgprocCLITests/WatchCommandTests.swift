import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `imgproc watch` running as a process, its output in files (a long run prints a lot).
final class WatchProcess {
  let process: Process
  let folder: TemporaryFolder
  let name: String

  init(
    _ arguments: [String], in folder: TemporaryFolder, name: String = "watch",
    environment: [String: String] = [:]
  ) throws {
    self.folder = folder
    self.name = name
    process = try CLIRunner.start(
      ["watch"] + arguments, in: folder.url,
      environment: environment.isEmpty
        ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 },
      output: folder.url.appendingPathComponent(name + ".out"),
      errors: folder.url.appendingPathComponent(name + ".err"))
  }

  var stdout: String {
    (try? String(contentsOfFile: folder.path(name + ".out"), encoding: .utf8)) ?? ""
  }
  var stderr: String {
    (try? String(contentsOfFile: folder.path(name + ".err"), encoding: .utf8)) ?? ""
  }

  /// The JSON events printed so far.
  var events: [[String: Any]] { CLIRunner.events(stdout) }

  func converted() -> [String] {
    events.filter { $0["event"] as? String == "progress" && $0["status"] as? String == "converted" }
      .compactMap { $0["source"] as? String }
  }

  /// Waits for the `watching` event: from then on every file that lands is seen.
  func ready() -> Bool {
    eventually(30) { events.contains { $0["event"] as? String == "watching" } }
  }

  /// A barrier: a small image renamed into `folder` (converted at once, no writer) after
  /// whatever the test did; returns once its conversion is reported. Every event inotify
  /// queued before it has then been decided: what was to be converted at once is converted
  /// or in flight (stopping the watch finishes it).
  func barrier(in folder: String, _ name: String = "zz-barrier") throws -> Bool {
    let before = converted().count
    let staging = self.folder.path("\(folder)/.\(name).part")
    try Data(WatchCommandTests.jpeg(77)).write(to: URL(fileURLWithPath: staging))
    guard rename(staging, self.folder.path("\(folder)/\(name).jpg")) == 0 else { return false }
    return eventually {
      converted().count > before && converted().last?.hasSuffix(name + ".jpg") == true
    }
  }

  /// Sends SIGTERM and waits for the exit status.
  func stop() -> Int32 {
    if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    process.waitUntilExit()
    return process.terminationStatus
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}

/// Waits until `condition` holds (polling every 20 ms), at most `seconds`.
func eventually(_ seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if try condition() { return true }
    usleep(20_000)
  }
  return try condition()
}

/// The version (`SIZE:MTIME`) the last entry for `path` in a journal file records.
func journalVersion(_ journal: String, of path: String) -> String? {
  journalEntries(journal).last { $0["path"] as? String == path }?["version"] as? String
}

/// Journal lines (`"status":"done"` …) of a journal file.
func journalEntries(_ path: String) -> [[String: Any]] {
  CLIRunner.events((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
}

@Suite("imgproc watch: real inotify, real files, the built binary", .serialized)
struct WatchCommandTests {
  static func jpeg(_ seed: Int, width: Int = 48, height: Int = 32) -> [UInt8] {
    let image = Fixtures.noise(width: width, height: height, layout: .rgb, seed: UInt64(seed + 1))
    return (try? Codecs.encode(image, .jpeg(JPEGSettings(quality: 80)))) ?? []
  }

  static let tiny = ["--variant", "t:jpeg:q=50:16x16", "--json"]

  func outputs(_ folder: TemporaryFolder, _ name: String = "out") throws -> [String] {
    try folder.files(in: name)
  }

  @Test("a burst of 1,000 files: each converted exactly once")
  func burst() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl"] + Self.tiny, in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    for index in 0..<1000 {
      try folder.write(Self.jpeg(index % 7), to: String(format: "in/p%04d.jpg", index))
    }
    #expect(eventually(240) { journalEntries(folder.path("journal.jsonl")).count >= 1000 })
    #expect(watch.stop() == 0)
    let files = try outputs(folder)
    #expect(files.count == 1000, "\(files.count) outputs")
    let done = journalEntries(folder.path("journal.jsonl")).filter {
      $0["status"] as? String == "done"
    }
    #expect(Set(done.compactMap { $0["path"] as? String }).count == 1000)
    #expect(watch.converted().count == 1000, "each exactly once")
  }

  @Test("a file written slowly is converted once, after its last chunk")
  func slowWriter() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl", "--variant", "t:jpeg:q=80", "--json"],
      in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    let bytes = Self.jpeg(3, width: 640, height: 480)
    FileManager.default.createFile(atPath: folder.path("in/slow.jpg"), contents: nil)
    let handle = try #require(FileHandle(forWritingAtPath: folder.path("in/slow.jpg")))
    // The writer's pace (the scenario, not a wait): a chunk every 450 ms, the file open
    // throughout, so that its size stands still for most of --settle between chunks.
    let chunk = bytes.count / 5 + 1
    for start in stride(from: 0, to: bytes.count, by: chunk) {
      handle.write(Data(bytes[start..<min(bytes.count, start + chunk)]))
      usleep(450_000)
    }
    let lastChunk = Date()
    try handle.close()
    #expect(eventually(20) { watch.converted().count == 1 })
    #expect(try watch.barrier(in: "in"), "\(watch.stderr)")
    #expect(watch.stop() == 0)
    #expect(
      watch.converted().map { URL(fileURLWithPath: $0).lastPathComponent } == [
        "slow.jpg", "zz-barrier.jpg",
      ], "\(watch.converted())")
    let output = try #require(try outputs(folder).first)
    let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("out/" + output))
    let written = try #require(attributes[.modificationDate] as? Date)
    #expect(written >= lastChunk.addingTimeInterval(-0.05), "not before the last chunk")
    let decoded = try Codecs.decode(
      Array(try Data(contentsOf: folder.url.appendingPathComponent("out/" + output))))
    #expect(decoded.image.width == 640 && decoded.image.height == 480)
  }

  @Test("x.part renamed to x.jpg is converted once, as x")
  func renamedIntoPlace() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl", "--settle", "200"] + Self.tiny, in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    try folder.write(Self.jpeg(1), to: "in/x.part")
    #expect(try watch.barrier(in: "in"), "\(watch.stderr)")
    try FileManager.default.moveItem(
      atPath: folder.path("in/x.part"), toPath: folder.path("in/x.jpg"))
    #expect(eventually(20) { watch.converted().count == 2 })
    #expect(watch.stop() == 0)
    // A temporary name waits: x.part was never a source, x.jpg once.
    #expect(
      watch.converted().map { URL(fileURLWithPath: $0).lastPathComponent } == [
        "zz-barrier.jpg", "x.jpg",
      ], "\(watch.converted())")
    let files = try outputs(folder).filter { !$0.hasPrefix("zz-") }
    #expect(files.count == 1 && files[0].hasPrefix("x_t_"), "\(files)")
  }

  @Test("a restart redoes nothing; a modified file alone is converted again")
  func restart() throws {
    let folder = try TemporaryFolder()
    for index in 0..<3 { try folder.write(Self.jpeg(index), to: "in/f\(index).jpg") }
    let arguments = ["in", "-o", "out", "--journal", "journal.jsonl"] + Self.tiny
    let first = try WatchProcess(arguments, in: folder, name: "first")
    #expect(eventually(20) { first.converted().count == 3 })
    #expect(first.stop() == 0)
    // A touch is not a change: the new time is recorded in the journal, nothing converted.
    let touched = folder.path("in/f0.jpg")
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: touched)
    let journal = folder.path("journal.jsonl")
    let version = journalVersion(journal, of: "f0.jpg")
    let second = try WatchProcess(arguments, in: folder, name: "second")
    #expect(
      eventually(20) { journalVersion(journal, of: "f0.jpg") != version }, "\(second.stderr)")
    #expect(second.converted().isEmpty, "\(second.stdout)")
    // A rename is a new name (converted at once: renamed in, no writer); renamed back, the
    // old name is what the journal settled.
    try FileManager.default.moveItem(
      atPath: folder.path("in/f2.jpg"), toPath: folder.path("in/g2.jpg"))
    #expect(eventually(20) { second.converted().count == 1 }, "\(second.stderr)")
    try FileManager.default.moveItem(
      atPath: folder.path("in/g2.jpg"), toPath: folder.path("in/f2.jpg"))
    try folder.write(Self.jpeg(42), to: "in/f1.jpg")
    #expect(eventually(20) { second.converted().count == 2 })
    #expect(second.stop() == 0)
    #expect(
      second.converted().map { URL(fileURLWithPath: $0).lastPathComponent } == [
        "g2.jpg", "f1.jpg",
      ],
      "\(second.converted())")
  }

  @Test("a restart finds the files it has done up to date at once, without their settle time")
  func restartWithoutSettling() throws {
    let folder = try TemporaryFolder()
    for index in 0..<20 { try folder.write(Self.jpeg(index), to: "in/d\(index % 4)/f\(index).jpg") }
    // A settle time far above what the restart takes: a file found by the scan that had to
    // settle would hold the run for 30 s.
    let arguments =
      ["in", "-o", "out", "--journal", "journal.jsonl", "--once", "--settle", "30000"] + Self.tiny
    let first = try CLIRunner.run(
      ["watch"] + arguments.filter { $0 != "30000" && $0 != "--settle" }, in: folder.url)
    #expect(first.stdoutText.contains("\"converted\":20"), "\(first.stdoutText)")
    let start = Date()
    let again = try CLIRunner.run(["watch"] + arguments, in: folder.url)
    #expect(again.stdoutText.contains("\"upToDate\":20"), "\(again.stdoutText)")
    #expect(Date().timeIntervalSince(start) < 15, "decided from the journal, not after settling")
  }

  @Test("outputs deleted while the watch was stopped are made again; the others are not")
  func deletedOutputsRemade() throws {
    let folder = try TemporaryFolder()
    for index in 0..<3 { try folder.write(Self.jpeg(index), to: "in/f\(index).jpg") }
    let arguments =
      ["in", "-o", "out", "--journal", "journal.jsonl", "--once", "--variant", "t:jpeg:q=50:16x16"]
      + ["--variant", "w:webp:q=50:16x16", "--json"]
    let first = try CLIRunner.run(["watch"] + arguments, in: folder.url)
    #expect(
      first.status == 0 && first.stdoutText.contains("\"converted\":3"), "\(first.stdoutText)")
    let made = try folder.files(in: "out")
    #expect(made.count == 6)
    // The whole folder gone, then one output of one source.
    try FileManager.default.removeItem(atPath: folder.path("out"))
    let again = try CLIRunner.run(["watch"] + arguments, in: folder.url)
    #expect(again.stdoutText.contains("\"converted\":3"), "\(again.stdoutText)")
    #expect(try folder.files(in: "out") == made)
    let webp = try #require(made.first { $0.hasPrefix("f1_w_") })
    try FileManager.default.removeItem(atPath: folder.path("out/" + webp))
    let third = try CLIRunner.run(["watch"] + arguments, in: folder.url)
    #expect(third.stdoutText.contains("\"converted\":1"), "\(third.stdoutText)")
    #expect(third.stdoutText.contains("\"upToDate\":2"), "\(third.stdoutText)")
    #expect(try folder.files(in: "out") == made)
  }

  @Test(
    "watch -o s3://… connects as convert does: a malformed AWS_ENDPOINT_URL_S3 is a usage error")
  func bucketOutputErrorsByCode() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg(1), to: "in/a.jpg")
    var environment = ProcessInfo.processInfo.environment
    environment["AWS_ENDPOINT_URL_S3"] = "ftp://127.0.0.1"
    let run = try CLIRunner.runBounded(
      [
        "watch", folder.path("in"), "-o", "s3://some-bucket/out/", "--journal",
        folder.path("journal.jsonl"),
      ], timeout: 20, environment: environment)
    #expect(!run.timedOut && run.status == 2, "\(run.stderr)")
    #expect(!run.stderr.contains("credentials"), "not a credentials error: \(run.stderr)")
    #expect(try folder.files(in: "in") == ["a.jpg"])
  }

  @Test(
    "watch DIR -o DIR (or a move: action into DIR) is refused at once, exit 2, as convert refuses it"
  )
  func outputIsTheWatchedFolder() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg(1), to: "in/a.jpg")
    let watched = folder.path("in")
    for arguments in [
      [watched, "-o", watched], [watched, "-o", watched + "/"],
      [watched, "-o", folder.path("out"), "--on-success", "move:" + watched],
    ] {
      let run = try CLIRunner.runBounded(
        ["watch"] + arguments + ["--journal", folder.path("journal.jsonl")], timeout: 20)
      #expect(!run.timedOut && run.status == 2, "\(arguments): \(run.stderr)")
      #expect(run.stderr.contains("is the watched folder"), "\(run.stderr)")
    }
    #expect(try folder.files(in: "in") == ["a.jpg"])
  }

  @Test(
    "a watched folder moved, deleted or replaced ends the watch: one line, a non-zero exit",
    arguments: ["moved", "deleted", "replaced", "moved with its parent", "polled and moved"])
  func lostFolder(how: String) throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("parent/in"), withIntermediateDirectories: true)
    let poll = how.hasPrefix("polled") ? ["--poll", "0.1"] : []
    let watch = try WatchProcess(
      [
        "parent/in", "-o", "out", "--journal", "journal.jsonl", "--variant", "t:jpeg:16x16",
        "--json",
      ]
        + poll, in: folder)
    // Ready once a file dropped in is converted.
    try folder.write(Self.jpeg(1), to: "parent/in/a.jpg")
    #expect(eventually { watch.converted().count == 1 }, "\(watch.stderr)")
    switch how {
    case "deleted": try FileManager.default.removeItem(atPath: folder.path("parent/in"))
    case "replaced":
      try FileManager.default.removeItem(atPath: folder.path("parent/in"))
      try FileManager.default.createDirectory(
        atPath: folder.path("parent/in"), withIntermediateDirectories: true)
    case "moved with its parent":
      try FileManager.default.moveItem(atPath: folder.path("parent"), toPath: folder.path("p2"))
    default:
      try FileManager.default.moveItem(
        atPath: folder.path("parent/in"), toPath: folder.path("parent/in2"))
    }
    #expect(
      eventually(10) { !watch.process.isRunning }, "still running after the folder was \(how)")
    let status = watch.stop()
    #expect(status == 1, "\(watch.stderr)")
    let lines = watch.stderr.split(separator: "\n").filter { $0.contains("the watch stops") }
    #expect(lines.count == 1, "\(watch.stderr)")
  }

  @Test(
    "an upload imgproc cannot decode is one line naming its real format, and takes --on-failure")
  func undecodableUploads() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl", "--variant", "t:jpeg:16x16"]
        + ["--on-failure", "move:failed"], in: folder)
    let bmp: [UInt8] =
      Array("BM".utf8) + [0x3A, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]
      + [UInt8](
        repeating: 0, count: 44)
    let uploads: [(String, [UInt8], String)] = [
      ("anim.gif", Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 20), "a GIF image"),
      ("photo.jpg", bmp, "a BMP image"),
      ("scan.tif", [0x49, 0x49, 0x2A, 0x00] + [UInt8](repeating: 0, count: 20), "a TIFF image"),
    ]
    for (name, bytes, _) in uploads { try folder.write(bytes, to: "in/" + name) }
    try folder.write(Array("just notes".utf8), to: "in/notes.txt")
    #expect(
      eventually { ((try? folder.files(in: "failed")) ?? []).count == 3 },
      "\(watch.stderr)")
    #expect(watch.stop() == 0)
    #expect(try folder.files(in: "failed") == ["anim.gif", "photo.jpg", "scan.tif"])
    #expect(try folder.files(in: "in") == ["notes.txt"], "not an image, and not claiming to be")
    for (name, _, kind) in uploads {
      // The failure's line (the summary's list of failed sources aside).
      let lines = watch.stderr.split(separator: "\n").filter {
        $0.contains(name) && !$0.hasPrefix("imgproc: failed:")
      }
      #expect(lines.count == 1 && lines.first?.contains(kind) == true, "\(watch.stderr)")
    }
    #expect(!watch.stderr.contains("notes.txt"))
  }

  @Test("a second watch of the same folder into the same output is refused, naming the first's PID")
  func secondWatcher() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let arguments = ["in", "-o", "out", "--journal", "journal.jsonl", "--variant", "t:jpeg:16x16"]
    let first = try WatchProcess(arguments + ["--json"], in: folder)
    try folder.write(Self.jpeg(1), to: "in/a.jpg")
    #expect(eventually { first.converted().count == 1 }, "\(first.stderr)")
    let second = try CLIRunner.runBounded(
      [
        "watch", folder.path("in"), "-o", folder.path("out"), "--journal",
        folder.path("journal.jsonl"),
      ],
      timeout: 20)
    #expect(!second.timedOut && second.status == 2, "\(second.stderr)")
    #expect(
      second.stderr.contains("another watch (PID \(first.process.processIdentifier))"),
      "\(second.stderr)")
    // The first goes on alone: a new file is converted once.
    try folder.write(Self.jpeg(2), to: "in/b.jpg")
    #expect(eventually { first.converted().count == 2 }, "\(first.stderr)")
    #expect(first.stop() == 0)
    // The default journal is one per folder and output however they are spelled.
    let state = ["XDG_STATE_HOME": folder.path("state")]
    let third = try WatchProcess(
      ["in", "-o", "out"], in: folder, name: "third", environment: state)
    // Ready once it holds the journal's lock (its PID written in the lock file).
    #expect(
      eventually {
        let names =
          (try? FileManager.default.contentsOfDirectory(atPath: folder.path("state/imgproc"))) ?? []
        return names.contains { name in
          name.hasSuffix(".lock")
            && ((try? Data(contentsOf: URL(fileURLWithPath: folder.path("state/imgproc/" + name))))?
              .isEmpty == false)
        }
      })
    let fourth = try WatchProcess(
      [folder.path("in") + "/", "-o", "./out/"], in: folder, name: "fourth", environment: state)
    #expect(eventually(20) { !fourth.process.isRunning }, "\(fourth.stderr)")
    #expect(fourth.stop() == 2 && fourth.stderr.contains("another watch (PID"), "\(fourth.stderr)")
    #expect(third.stop() == 0)
    // Once it has stopped, the journal is free again.
    let after = try CLIRunner.run(["watch"] + arguments + ["--once"], in: folder.url)
    #expect(after.status == 0, "\(after.stderr)")
  }

  @Test("a replaced source's old outputs are replaced; a renamed or deleted one's are named, kept")
  func staleOutputs() throws {
    let folder = try TemporaryFolder()
    for name in ["a", "b", "c"] {
      try folder.write(Self.jpeg(name.count + 10 * Int(name.utf8.first ?? 0)), to: "in/\(name).jpg")
    }
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl"] + Self.tiny, in: folder)
    #expect(eventually { watch.converted().count == 3 }, "\(watch.stderr)")
    let first = try outputs(folder)
    #expect(first.count == 3)
    // a.jpg replaced (a new upload under its name): its old output goes, the new one comes.
    try folder.write(Self.jpeg(99), to: "in/.a.jpg.tmp")
    #expect(rename(folder.path("in/.a.jpg.tmp"), folder.path("in/a.jpg")) == 0)
    // b.jpg renamed, c.jpg deleted: their outputs are named and left in place.
    try FileManager.default.moveItem(
      atPath: folder.path("in/b.jpg"), toPath: folder.path("in/b2.jpg"))
    try FileManager.default.removeItem(atPath: folder.path("in/c.jpg"))
    func events(_ kind: String) -> [[String: Any]] {
      watch.events.filter { $0["event"] as? String == kind }
    }
    #expect(
      eventually { watch.converted().count == 5 && events("orphan").count == 2 },
      "\(watch.stdout)")
    #expect(watch.stop() == 0)
    let oldA = try #require(first.first { $0.hasPrefix("a_") })
    let replaced = events("other-version")
    #expect(replaced.count == 1 && (replaced.first?["path"] as? String)?.hasSuffix(oldA) == true)
    #expect(replaced.first?["removed"] as? Bool == true)
    let orphans = events("orphan")
    #expect(
      Set(
        orphans.compactMap {
          ($0["source"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent }
        }) == ["b.jpg", "c.jpg"])
    #expect(orphans.allSatisfy { $0["removed"] as? Bool == false })
    let now = try outputs(folder)
    #expect(!now.contains(oldA), "\(now)")
    #expect(now.filter { $0.hasPrefix("a_") }.count == 1)
    #expect(now.contains { $0.hasPrefix("b_") } && now.contains { $0.hasPrefix("c_") })
    #expect(now.contains { $0.hasPrefix("b2_") })
    let summary = try #require(events("summary").last)
    #expect(summary["orphans"] as? Int == 2 && summary["removed"] as? Int == 1, "\(summary)")
  }

  @Test("--delete deletes the outputs of sources gone, also while no watch ran; moved ones stay")
  func deleteGoneSources() throws {
    let folder = try TemporaryFolder()
    for index in 0..<3 { try folder.write(Self.jpeg(index), to: "in/f\(index).jpg") }
    let arguments = ["in", "-o", "out", "--journal", "journal.jsonl", "--once"] + Self.tiny
    let first = try CLIRunner.run(["watch"] + arguments, in: folder.url)
    #expect(first.stdoutText.contains("\"converted\":3"), "\(first.stdoutText)")
    // Deleted while no watch ran: named at the next start, left without --delete.
    try FileManager.default.removeItem(atPath: folder.path("in/f0.jpg"))
    let named = try CLIRunner.run(["watch"] + arguments, in: folder.url)
    #expect(named.stdoutText.contains("\"event\":\"orphan\""), "\(named.stdoutText)")
    #expect(try outputs(folder).count == 3)
    let deleted = try CLIRunner.run(["watch"] + arguments + ["--delete"], in: folder.url)
    #expect(deleted.stdoutText.contains("\"removed\":true"), "\(deleted.stdoutText)")
    #expect(try outputs(folder).count == 2)
    // Gone and forgotten: nothing to say any more.
    let quiet = try CLIRunner.run(["watch"] + arguments + ["--delete"], in: folder.url)
    #expect(!quiet.stdoutText.contains("\"orphan\""), "\(quiet.stdoutText)")
    // Live, with --delete; a source moved by --on-success is not gone: its outputs stay.
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl", "--delete", "--on-success", "move:done"]
        + Self.tiny, in: folder)
    try folder.write(Self.jpeg(7), to: "in/new.jpg")
    #expect(
      eventually { FileManager.default.fileExists(atPath: folder.path("done/new.jpg")) },
      "\(watch.stderr)")
    try FileManager.default.removeItem(atPath: folder.path("in/f1.jpg"))
    #expect(
      eventually { watch.events.contains { $0["event"] as? String == "orphan" } },
      "\(watch.stdout)")
    #expect(watch.stop() == 0)
    let left = try outputs(folder)
    #expect(
      left.count == 2 && left.contains { $0.hasPrefix("new_") }
        && left.contains { $0.hasPrefix("f2_") }, "\(left)")
    #expect(
      watch.events.filter { $0["event"] as? String == "orphan" }.count == 1, "\(watch.stdout)")
  }

  @Test("a file renamed into the folder, with no writer, is converted at once, not after --settle")
  func renamedInAtOnce() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl", "--variant", "t:jpeg:16x16", "--json"]
        + ["--settle", "5000"], in: folder)
    // Ready once a file written in place is converted (its writer closed it).
    try folder.write(Self.jpeg(1), to: "in/first.jpg")
    #expect(eventually { watch.converted().count == 1 }, "\(watch.stderr)")
    // The usual upload: written under a temporary name, then renamed.
    try folder.write(Self.jpeg(2), to: "in/a.jpg.part")
    try FileManager.default.moveItem(
      atPath: folder.path("in/a.jpg.part"), toPath: folder.path("in/a.jpg"))
    #expect(
      eventually(2.5) { watch.converted().count == 2 },
      "a renamed-in file waited for the 5 s settle time: \(watch.stderr)")
    #expect(watch.stop() == 0)
  }

  @Test("an output folder inside the watched folder never triggers the watch")
  func noFeedbackLoop() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      ["in", "-o", "in/out", "--journal", "journal.jsonl"] + Self.tiny, in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    try folder.write(Self.jpeg(1), to: "in/a.jpg")
    try folder.write(Self.jpeg(2), to: "in/b.jpg")
    #expect(eventually(20) { watch.converted().count == 2 })
    // The outputs were renamed into in/out before the barrier lands: were they watched,
    // they would be converted before it.
    #expect(try watch.barrier(in: "in"), "\(watch.stderr)")
    #expect(watch.stop() == 0)
    #expect(watch.converted().count == 3, "\(watch.converted())")
    #expect(try outputs(folder, "in/out").count == 3)
  }

  @Test("a folder moved in with files already inside is picked up")
  func folderMovedIn() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    try folder.write(Self.jpeg(1), to: "staging/sub/a.jpg")
    try folder.write(Self.jpeg(2), to: "staging/sub/deeper/b.jpg")
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl", "--settle", "200"] + Self.tiny, in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    try FileManager.default.moveItem(
      atPath: folder.path("staging/sub"), toPath: folder.path("in/sub"))
    #expect(eventually(20) { watch.converted().count == 2 })
    #expect(watch.stop() == 0)
    let files = try outputs(folder)
    #expect(
      files.contains { $0.hasPrefix("sub/a_t_") }
        && files.contains { $0.hasPrefix("sub/deeper/b_t_") }, "\(files)")
  }

  @Test("SIGTERM during a burst: exit 0, nothing partial, a restart finishes the rest")
  func stopDuringBurst() throws {
    let folder = try TemporaryFolder()
    for index in 0..<120 {
      try folder.write(
        Self.jpeg(index, width: 400, height: 300), to: String(format: "in/p%03d.jpg", index))
    }
    let arguments = ["in", "-o", "out", "--journal", "journal.jsonl", "--jobs", "2", "--json"]
    let first = try WatchProcess(arguments, in: folder, name: "first")
    #expect(eventually(60) { first.converted().count >= 10 })
    #expect(first.stop() == 0)
    let done = first.converted().count
    #expect(done < 120, "stopped before the end")
    // Nothing partial: no temporary files, every output decodes.
    for name in try outputs(folder) {
      #expect(!name.hasSuffix(".tmp"), "\(name)")
      let bytes = Array(try Data(contentsOf: folder.url.appendingPathComponent("out/" + name)))
      #expect((try? Codecs.probe(bytes)) != nil, "\(name)")
    }
    let rest = try CLIRunner.run(
      [
        "watch", folder.path("in"), "-o", folder.path("out"), "--journal",
        folder.path("journal.jsonl"),
        "--once", "--json",
      ])
    #expect(rest.status == 0, "\(rest.stderr)")
    let converted = rest.stdoutText.components(separatedBy: "\"status\":\"converted\"").count - 1
    #expect(converted == 120 - done, "the rest, and only the rest: \(converted) + \(done)")
    #expect(try outputs(folder).count == 600)
  }
}

@Suite("imgproc watch: polling, symlinks, actions, bad files", .serialized)
struct WatchOptionsTests {
  @Test("--poll finds files without inotify")
  func polling() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    try folder.write(WatchCommandTests.jpeg(4), to: "in/before.jpg")
    let watch = try WatchProcess(
      [
        "in", "-o", "out", "--journal", "journal.jsonl", "--poll", "0.2", "--settle", "100",
        "--no-initial",
      ] + WatchCommandTests.tiny, in: folder)
    // A file that appears before the first scan is part of what --no-initial leaves: write
    // it once the watch says it is watching (its first scan done).
    #expect(watch.ready(), "\(watch.stderr)")
    try folder.write(WatchCommandTests.jpeg(5), to: "in/polled.jpg")
    #expect(eventually(20) { watch.converted().count == 1 })
    #expect(watch.stop() == 0)
    #expect(
      watch.converted().count == 1 && watch.converted()[0].hasSuffix("polled.jpg"),
      "--no-initial leaves before.jpg")
  }

  @Test("a symlink out of the folder is skipped with a word, followed with --follow-symlinks")
  func symlinks() throws {
    let folder = try TemporaryFolder()
    try folder.write(WatchCommandTests.jpeg(6), to: "elsewhere/outside.jpg")
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: folder.path("in/link.jpg"), withDestinationPath: folder.path("elsewhere/outside.jpg"))
    let arguments = ["in", "-o", "out", "--once", "--json"] + WatchCommandTests.tiny.dropLast()
    let plain = try CLIRunner.run(
      ["watch"] + arguments + ["--journal", folder.path("j1.jsonl")], in: folder.url)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(plain.stdoutText.contains("\"excluded\"") && plain.stdoutText.contains("link.jpg"))
    #expect(!plain.stdoutText.contains("\"status\":\"converted\""))
    let followed = try CLIRunner.run(
      ["watch"] + arguments + ["--journal", folder.path("j2.jsonl"), "--follow-symlinks"],
      in: folder.url)
    #expect(followed.stdoutText.contains("\"status\":\"converted\""), "\(followed.stdoutText)")
  }

  @Test("--on-success and --on-failure move sources; a bad file is reported once, not retried")
  func actionsAndBadFiles() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      [
        "in", "-o", "out", "--journal", "journal.jsonl", "--on-success", "move:done",
        "--on-failure", "move:failed",
      ] + WatchCommandTests.tiny, in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    try folder.write(WatchCommandTests.jpeg(1), to: "in/sub/good.jpg")
    try folder.write(Damage.truncated(WatchCommandTests.jpeg(2), keeping: 0.5), to: "in/bad.jpg")
    #expect(
      eventually(20) {
        FileManager.default.fileExists(atPath: folder.path("done/sub/good.jpg"))
          && FileManager.default.fileExists(atPath: folder.path("failed/bad.jpg"))
      })
    #expect(!FileManager.default.fileExists(atPath: folder.path("in/sub/good.jpg")))
    #expect(watch.stop() == 0)
    // A bad file left in place (no action) is reported once, and not again after a restart
    // or a touch: nothing changed in it.
    try folder.write(Damage.truncated(WatchCommandTests.jpeg(3), keeping: 0.5), to: "in/stays.jpg")
    let arguments = ["in", "-o", "out", "--journal", "journal.jsonl"] + WatchCommandTests.tiny
    let first = try WatchProcess(arguments, in: folder, name: "first")
    #expect(eventually(20) { first.stderr.contains("stays.jpg") })
    #expect(first.stop() == 0)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: folder.path("in/stays.jpg")
    )
    let journal = folder.path("journal.jsonl")
    let version = journalVersion(journal, of: "stays.jpg")
    let stays = try WatchProcess(arguments, in: folder, name: "again")
    // Decided: the touched time is recorded, with the status it had.
    #expect(
      eventually(20) { journalVersion(journal, of: "stays.jpg") != version }, "\(stays.stderr)")
    #expect(
      journalEntries(journal).last { $0["path"] as? String == "stays.jpg" }?["status"] as? String
        == "failed")
    #expect(stays.stop() == 0)
    #expect(!stays.stderr.contains("stays.jpg"), "reported once: \(stays.stderr)")
  }

  @Test("two uploads with one name, one after the other: both originals are kept by --on-success")
  func movesKeepBothOriginals() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      ["in", "-o", "out", "--journal", "journal.jsonl", "--on-success", "move:done"]
        + WatchCommandTests.tiny, in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    let first = WatchCommandTests.jpeg(11)
    let second = WatchCommandTests.jpeg(12)
    try folder.write(first, to: "in/a.jpg")
    #expect(eventually(20) { FileManager.default.fileExists(atPath: folder.path("done/a.jpg")) })
    try folder.write(second, to: "in/a.jpg")
    #expect(eventually(20) { FileManager.default.fileExists(atPath: folder.path("done/a-1.jpg")) })
    #expect(watch.stop() == 0)
    #expect(try folder.files(in: "done") == ["a-1.jpg", "a.jpg"])
    #expect(FileManager.default.contents(atPath: folder.path("done/a.jpg")) == Data(first))
    #expect(FileManager.default.contents(atPath: folder.path("done/a-1.jpg")) == Data(second))
    #expect(watch.converted().count == 2, "\(watch.stdout)")
  }

  /// Writes `bytes` to `path` in two open–write–close rounds, `pause` seconds apart, as an
  /// uploader that resumes (`curl -C -`) does.
  static func writeInTwoRounds(_ bytes: [UInt8], to path: String, pause: UInt32) throws {
    let half = bytes.count / 2
    try Data(bytes[..<half]).write(to: URL(fileURLWithPath: path))
    usleep(pause)
    let handle = try #require(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(bytes[half...]))
    try handle.close()
  }

  @Test("a file written in two open-close rounds is converted once whole: no error, nothing moved")
  func twoRoundUpload() throws {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path("in"), withIntermediateDirectories: true)
    let watch = try WatchProcess(
      [
        "in", "-o", "out", "--journal", "journal.jsonl", "--settle", "3000", "--on-failure",
        "move:failed",
      ] + WatchCommandTests.tiny, in: folder)
    #expect(watch.ready(), "\(watch.stderr)")
    // The first half is seen closed and tried at once; the rest comes a second later.
    try Self.writeInTwoRounds(
      WatchCommandTests.jpeg(21, width: 320, height: 240), to: folder.path("in/a.jpg"),
      pause: 1_000_000)
    #expect(eventually(20) { watch.converted().count == 1 }, "\(watch.stdout)")
    #expect(watch.stop() == 0)
    #expect(watch.converted().count == 1, "\(watch.converted())")
    #expect(!watch.stdout.contains("\"error\""), "\(watch.stdout)")
    #expect(!watch.stderr.contains("a.jpg"), "\(watch.stderr)")
    #expect(try folder.files(in: "failed").isEmpty)
    #expect(FileManager.default.fileExists(atPath: folder.path("in/a.jpg")))
  }
}
