import Foundation
import ImgprocPipeline
import Synchronization
import Testing

@testable import ImgprocWatch

#if canImport(Glibc)
import Glibc
#endif

@Suite("Watch parts: inotify records, temporary names, the journal")
struct WatchPartsTests {
  /// One `struct inotify_event` record, little-endian, name NUL-padded to `padded` bytes.
  static func record(wd: Int32, mask: UInt32, name: String, padded: Int) -> [UInt8] {
    func le(_ value: UInt32) -> [UInt8] {
      (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    let bytes = Array(name.utf8)
    return le(UInt32(bitPattern: wd)) + le(mask) + le(0) + le(UInt32(padded))
      + bytes + [UInt8](repeating: 0, count: padded - bytes.count)
  }

  /// A clock a test moves by hand.
  final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
  }

  @Test("a file is complete once unchanged for the settle time, on the settler's own clock")
  func settlesOnItsClock() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "settle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("a.jpg").path
    try Data("first".utf8).write(to: URL(fileURLWithPath: path))
    let clock = ManualClock()
    let settler = Settler(settle: .milliseconds(500), now: { clock.now })
    settler.offer(.appeared(path))
    clock.advance(.milliseconds(499))
    #expect(settler.tick() == 1, "not yet: 499 ms unchanged")
    // Changed: the settle time starts again from the change.
    try Data("second, longer".utf8).write(to: URL(fileURLWithPath: path))
    clock.advance(.milliseconds(1))
    #expect(settler.tick() == 1)
    clock.advance(.milliseconds(499))
    #expect(settler.tick() == 1, "499 ms since the change")
    clock.advance(.milliseconds(1))
    #expect(settler.tick() == 0)
    settler.finish()
    var ready: [String] = []
    for await next in settler.ready { ready.append(next) }
    #expect(ready == [path])
  }

  @Test("records are read one after another; a record cut short ends the walk")
  func parse() {
    let first = Self.record(wd: 1, mask: UInt32(IN_CLOSE_WRITE), name: "a.jpg", padded: 16)
    let second = Self.record(wd: 2, mask: UInt32(IN_MOVED_TO | IN_ISDIR), name: "sub", padded: 4)
    let third = Self.record(wd: 3, mask: UInt32(IN_Q_OVERFLOW), name: "", padded: 0)
    let bytes =
      first + second + third + Array(Self.record(wd: 4, mask: 1, name: "cut", padded: 8).prefix(18))
    let events = InotifyEvent.parse(bytes[...])
    #expect(events.map(\.name) == ["a.jpg", "sub", ""])
    #expect(events[0].has(IN_CLOSE_WRITE) && !events[0].isFolder)
    #expect(events[1].isFolder && events[1].watch == 2)
    #expect(events[2].has(IN_Q_OVERFLOW))
  }

  @Test(
    "names a writer uses before the file is complete wait",
    arguments: [
      ("photo.jpg.part", true), ("photo.tmp", true), ("x.crdownload", true), ("draft.jpg~", true),
      (".hidden.jpg", true), ("photo.jpg", false), ("party_low_2024.jpg", false),
    ])
  func temporaryNames(name: String, waits: Bool) {
    #expect(WalkPolicy.isTemporary(name) == waits)
  }

  @Test("the journal survives a torn last line and keeps the last entry per path")
  func journal() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "journal-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("j.jsonl").path
    let journal = try WatchJournal(path: path, settings: "S", relative: { $0 })
    let d1 = String(repeating: "1", count: 64)
    let d2 = String(repeating: "2", count: 64)
    journal.record("a.jpg", version: "1:1", digest: d1, status: .done)
    journal.record("a.jpg", version: "2:2", digest: d2, status: .done)
    journal.record("b.jpg", version: "3:3", digest: nil, status: .ignored)
    journal.record("d.jpg", version: "4:4", digest: d1, status: .done)
    journal.forget("d.jpg")
    journal.record("e.jpg", version: "5:5", digest: d1, status: .done)
    journal.close()
    // A crash in the middle of an append.
    let handle = try #require(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(#"{"path":"c.jpg","vers"#.utf8))
    try handle.close()
    let reopened = try WatchJournal(
      path: path, settings: "S", relative: { $0 }, isGone: { $0 != "b.jpg" })
    #expect(reopened.isSettled("a.jpg", version: "2:2"))
    #expect(!reopened.isSettled("a.jpg", version: "1:1"))
    #expect(reopened.settled("b.jpg")?.status == .ignored)
    #expect(reopened.settled("c.jpg") == nil)
    #expect(reopened.settled("d.jpg") == nil, "forgotten")
    // Of the sources done (a.jpg, e.jpg: b.jpg was ignored, d.jpg forgotten), those gone
    // and of which nothing was recorded since opening (e.jpg was).
    reopened.forget("e.jpg")
    #expect(reopened.takeGoneSinceLastRun() == ["a.jpg"])
    #expect(reopened.takeGoneSinceLastRun().isEmpty, "taken once")
    #expect(reopened.status(of: "a.jpg", digest: d2) == .done)
    #expect(reopened.status(of: "a.jpg", digest: d1) == nil)
    // Compacted on open: one line per path, the forgotten one gone.
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4, "a, b and e, then e forgotten")
    // Open, it is held: another journal on the file is refused.
    #expect {
      _ = try WatchJournal(path: path, settings: "S", relative: { $0 })
    } throws: { error in
      (error as? WatchError)?.code == .busy
        && (error as? WatchError)?.message.contains("PID \(getpid())") == true
    }
    reopened.close()
    // Other settings: not settled.
    let other = try WatchJournal(path: path, settings: "T", relative: { $0 }, isGone: { _ in true })
    #expect(!other.isSettled("a.jpg", version: "2:2"))
    #expect(other.takeGoneSinceLastRun().isEmpty, "converted with other settings")
    other.close()
    // Compacted again (e's forgetting dropped); a compact journal is not written again.
    func inode() throws -> Int? {
      try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
    }
    let compacted = try inode()
    let again = try WatchJournal(path: path, settings: "S", relative: { $0 })
    defer { again.close() }
    #expect(try inode() == compacted)
  }

  @Test(
    "a journal line reads the same by the quick scanner as by JSONDecoder; ours need no decoder")
  func journalLines() throws {
    let digest = String(repeating: "ab", count: 32)
    let entries: [(WatchJournal.Entry, quick: Bool)] = [
      (
        .init(
          path: "2026/a.jpg", version: "12:34", digest: digest, settings: "S", status: .done,
          outputs: ["out/2026/a_t_1.jpg", "out/2026/a_t_2.webp"]), true
      ),
      (
        .init(
          path: "b.jpg", version: "1:2", digest: nil, settings: "S", status: .ignored,
          outputs: nil), true
      ),
      (
        .init(
          path: "é/ü, {x}: [y] 📷.jpg", version: "", digest: nil, settings: "S",
          status: .forgotten, outputs: []), true
      ),
      (
        .init(
          path: "say \"hi\".jpg", version: "3:4", digest: digest, settings: "S",
          status: .failed, outputs: nil), false
      ),
      (
        .init(
          path: "back\\slash.jpg", version: "3:4", digest: nil, settings: "T",
          status: .done, outputs: ["a\\b"]), false
      ),
    ]
    for (entry, quick) in entries {
      let bytes = WatchJournal.lines([entry]).dropLast()
      let expected = WatchJournal.LineFields(
        path: entry.path, version: entry.version, digest: entry.digest,
        settings: entry.settings, status: entry.status)
      #expect(WatchJournal.fields(bytes, decoder: JSONDecoder()) == expected)
      #expect((JournalLineScanner.fields(bytes) == expected) == quick, "\(entry.path)")
      // Cut short anywhere (a crash mid-append): not an entry, by either route.
      for end in bytes.indices.dropFirst(1) {
        #expect(WatchJournal.fields(bytes[..<end], decoder: JSONDecoder()) == nil)
      }
    }
    // Written by another hand (spaces, a null): left to JSONDecoder, read the same.
    let spaced =
      Array(#"{ "path": "c.jpg", "digest": null, "settings": "S", "#.utf8)
      + Array(#""status": "done", "version": "5:6" }"#.utf8)
    #expect(JournalLineScanner.fields(spaced[...]) == nil)
    #expect(
      WatchJournal.fields(spaced[...], decoder: JSONDecoder())
        == .init(path: "c.jpg", version: "5:6", digest: nil, settings: "S", status: .done))
    // An unknown status, or bytes that are not UTF-8: not an entry.
    let unknown = Array(#"{"path":"c.jpg","settings":"S","status":"odd","version":"1"}"#.utf8)
    #expect(WatchJournal.fields(unknown[...], decoder: JSONDecoder()) == nil)
    let invalid =
      Array(#"{"path":""#.utf8) + [0xFF] + Array(#"","settings":"S","#.utf8)
      + Array(#""status":"done","version":"1"}"#.utf8)
    #expect(WatchJournal.fields(invalid[...], decoder: JSONDecoder()) == nil)
  }

  @Test(
    "the paths read at opening: the last line of each wins, found by key; later records hide them")
  func settledPaths() {
    typealias Record = WatchJournal.SettledPaths.Record
    func settled(_ version: UInt64) -> WatchJournal.Settled {
      .init(version: version, digest: nil, status: .done)
    }
    // 1,000 paths, each written one to three times, interleaved; every seventh forgotten
    // last, every eleventh last written with other settings.
    var records: [Record] = []
    var expected: [WatchJournal.Key: WatchJournal.Settled?] = [:]
    var keptLines: Set<Int> = []
    for round in 0..<3 {
      for path in 0..<1000 where path % 3 >= round {
        let key = WatchJournal.Key("p\(path).jpg")
        let last = round == path % 3
        let forgotten = last && path % 7 == 0
        let other = last && path % 11 == 0
        let value = forgotten || other ? nil : settled(UInt64(path * 10 + round))
        if last && !forgotten { keptLines.insert(records.count) }
        records.append(
          Record(key: key, line: records.count, settled: value, forgotten: forgotten))
        expected[key] = value
      }
    }
    let lines = records.count + 1
    var (store, kept) = WatchJournal.SettledPaths.lastOfEach(
      &records, lines: lines)
    #expect(records.isEmpty)
    #expect(Set(kept.indices.filter { kept[$0] }) == keptLines)
    for (key, value) in expected { #expect(store[key] == value) }
    #expect(store[WatchJournal.Key("never.jpg")] == nil)
    // Recorded since: forgetting hides what was read; a new record shows through.
    let first = WatchJournal.Key("p1.jpg")
    #expect(store[first] != nil)
    store[first] = nil
    #expect(store[first] == nil)
    store[first] = settled(99)
    #expect(store[first] == settled(99))
  }

  @Test("a digest is 64 hex digits, either case, and gives back its bytes")
  func digestHex() {
    let bytes = (0..<32).map { UInt8($0 * 7 + 3) }
    let hex = bytes.map {
      String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }.joined()
    #expect(WatchJournal.Digest(hex: hex)?.bytes == bytes)
    #expect(WatchJournal.Digest(hex: hex.uppercased()) == WatchJournal.Digest(hex: hex))
    #expect(WatchJournal.Digest(hex: String(hex.dropLast())) == nil)
    #expect(WatchJournal.Digest(hex: String(hex.dropLast()) + "g") == nil)
    #expect(WatchJournal.Digest(hex: nil) == nil)
  }

  @Test(
    "a moved file never replaces one already there: it takes NAME-N.EXT, never a temporary name")
  func moveKeepsExisting() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "move-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let action = try FileAction(parsing: "move:\(folder)/done/")
    var landed: [String] = []
    for content in ["first", "second", "third"] {
      try FileManager.default.createDirectory(
        atPath: folder + "/in/sub", withIntermediateDirectories: true)
      try Data(content.utf8).write(to: URL(fileURLWithPath: folder + "/in/sub/a.jpg"))
      landed.append(try action.apply(to: folder + "/in/sub/a.jpg", relative: "sub/a.jpg"))
      #expect(!FileManager.default.fileExists(atPath: folder + "/in/sub/a.jpg"))
    }
    #expect(
      landed.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.jpg", "a-1.jpg", "a-2.jpg"])
    for (path, content) in zip(landed, ["first", "second", "third"]) {
      #expect(try String(contentsOfFile: path, encoding: .utf8) == content)
      #expect(!WalkPolicy.isTemporary(URL(fileURLWithPath: path).lastPathComponent))
    }
    #expect(FileIO.numbered("/x/README", 3) == "/x/README-3")
    #expect(FileIO.numbered("/x/.profile", 1) == "/x/.profile-1")
    #expect(FileIO.numbered("/x.d/a.tar.gz", 1) == "/x.d/a.tar-1.gz")
  }

  /// Whether the temporary folder and /dev/shm are on two file systems (a move between them
  /// is a copy).
  static var shmIsAnotherFileSystem: Bool {
    var shm = stat()
    var temporary = stat()
    return stat("/dev/shm", &shm) == 0
      && stat(FileManager.default.temporaryDirectory.path, &temporary) == 0
      && shm.st_dev != temporary.st_dev && access("/dev/shm", W_OK) == 0
  }

  @Test(
    "across file systems a move copies, keeps the file already there, and removes the source",
    .enabled(if: shmIsAnotherFileSystem))
  func moveAcrossFileSystems() throws {
    let source = FileManager.default.temporaryDirectory.appendingPathComponent(
      "move-\(UUID().uuidString).jpg"
    ).path
    let target = "/dev/shm/imgproc-move-\(UUID().uuidString)"
    defer {
      try? FileManager.default.removeItem(atPath: source)
      try? FileManager.default.removeItem(atPath: target)
    }
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    try Data("there".utf8).write(to: URL(fileURLWithPath: target + "/a.jpg"))
    try Data("incoming".utf8).write(to: URL(fileURLWithPath: source))
    let landed = try FileIO.moveKeepingExisting(source, to: target + "/a.jpg")
    #expect(landed == target + "/a-1.jpg")
    #expect(try String(contentsOfFile: target + "/a.jpg", encoding: .utf8) == "there")
    #expect(try String(contentsOfFile: landed, encoding: .utf8) == "incoming")
    #expect(!FileManager.default.fileExists(atPath: source))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: target).sorted() == ["a-1.jpg", "a.jpg"])
  }
}
