import Foundation
import ImgprocConcurrency
import ImgprocPipeline
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What `watch` has done, crash-safely: one JSON line per source and outcome, appended to a
/// file and flushed to disk (`fsync`) at most 100 ms later and when the watch stops. On
/// start the file is read (a line cut short by a crash is ignored: its source is looked at
/// again and found up to date from its outputs) and rewritten compactly, write-then-rename.
///
/// A source is done for its path, content and settings: the fast check compares size and
/// modification time; a touched file (same content) is recognised by its digest. It is the
/// watch's commit log: the engine records successes and failures here.
///
/// Memory stays flat over a long run: the file keeps whole entries, memory a compact one per
/// path (`Settled`: hashes of the path and version, the content's digest; ~72 bytes a path
/// read at opening, in `SettledPaths`).
///
/// One watch at a time: the journal's lock file (`PATH.lock`, holding the PID) is locked
/// (`flock`) from `init` to `close`; a second watch of the same folder and output is refused,
/// naming that PID.
///
/// State: `settled` and the descriptor are guarded by `state`'s mutex; the flusher thread
/// only takes it to `fsync`.
final class WatchJournal: CommitLog, @unchecked Sendable {
  struct Entry: Codable, Equatable {
    /// The source's path below the watched folder.
    var path: String
    /// `SIZE:MTIME` when it was read.
    var version: String
    /// SHA-256 of its content, hex; nil when it could not be read.
    var digest: String?
    /// The settings fingerprint (`OutputIdentity.recipeFingerprint`).
    var settings: String
    var status: Status
    var outputs: [String]?
  }

  /// `forgotten`: the source went (moved by an action, or its outputs deleted with it): the
  /// path is as if never seen; dropped when the journal is next compacted.
  enum Status: String, Codable { case done, failed, ignored, forgotten }

  /// What memory keeps of an entry with these settings.
  struct Settled: Equatable {
    var version: UInt64
    var digest: Digest?
    var status: Status
  }

  /// A whole SHA-256 (32 bytes): it tells contents apart, and with the settings it names
  /// the outputs the entry vouches for (`OutputIdentity.hash`).
  struct Digest: Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    /// The digest of 64 hex digits (either case); nil for anything else.
    init?(hex: String?) {
      guard var hex, hex.utf8.count == 64 else { return nil }
      let parsed = hex.withUTF8 { digits -> [UInt64]? in
        var words = [UInt64](repeating: 0, count: 4)
        for offset in 0..<64 {
          guard let nibble = Self.nibble(digits[offset]) else { return nil }
          words[offset / 16] = words[offset / 16] << 4 | nibble
        }
        return words
      }
      guard let parsed else { return nil }
      words = (parsed[0], parsed[1], parsed[2], parsed[3])
    }

    private static func nibble(_ byte: UInt8) -> UInt64? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte - UInt8(ascii: "A") + 10)
      default: nil
      }
    }

    /// The digest's bytes, most significant first in each word.
    var bytes: [UInt8] {
      [words.0, words.1, words.2, words.3].flatMap { word in
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
      }
    }

    static func == (a: Digest, b: Digest) -> Bool {
      a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
        && a.words.3 == b.words.3
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(words.0)
      hasher.combine(words.1)
      hasher.combine(words.2)
      hasher.combine(words.3)
    }
  }

  /// A path's key: 128 bits of its SHA-256.
  struct Key: Hashable {
    var high: UInt64
    var low: UInt64

    init(_ path: String) {
      let digest = OutputIdentity.digest(Array(path.utf8))
      high = digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
      low = digest.dropFirst(8).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
  }

  static func fold(_ version: String) -> UInt64 {
    OutputIdentity.digest(Array(version.utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
  }

  let path: String
  let settings: String
  private let relative: @Sendable (String) -> String
  private let state: Locked<(settled: SettledPaths, fd: Int32, dirty: Bool)>
  private let stopping = Locked(false)
  private let flusherDone = DispatchSemaphore(value: 0)
  /// The locked lock file, closed (and so unlocked) by `close`.
  private let lockFD: Int32
  /// Whether a source converted before has gone since (see `init`).
  private let isGone: @Sendable (String) -> Bool
  /// Whether `takeGoneSinceLastRun` was called.
  private let goneTaken = Locked(false)

  /// Opens (creating) the journal at `path` for a watch with `settings`; `relative` turns a
  /// source's path into the journal's key; `isGone` tells, of a source converted before (by
  /// that key), whether it has gone since (asked by `takeGoneSinceLastRun`).
  init(
    path: String, settings: String, relative: @escaping @Sendable (String) -> String,
    isGone: @escaping @Sendable (String) -> Bool = { _ in false }
  ) throws(WatchError) {
    self.path = path
    self.settings = settings
    self.relative = relative
    do throws(PipelineError) {
      try FileIO.makeFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    } catch {
      throw WatchError(.journal, "cannot write the journal \(path): \(error.message)")
    }
    lockFD = try Self.lock(path + ".lock")
    self.isGone = isGone
    let contents = Self.read(path, settings: settings)
    // Rewritten with only the lines it keeps when it holds others (superseded, forgotten or
    // cut short); a journal that is already compact is kept as it is.
    if contents.keptCount != contents.lines || !FileIO.exists(path) {
      do throws(PipelineError) {
        try FileIO.writeAtomically(Self.keptLines(path, contents.kept), to: path)
      } catch {
        throw WatchError(.journal, "cannot write the journal \(path): \(error.message)")
      }
    }
    let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
    guard fd >= 0 else {
      let number = errno
      Glibc.close(lockFD)
      throw WatchError.system(.journal, "cannot open the journal \(path)", errno: number)
    }
    state = Locked((contents.settled, fd, false))
    // The thread holds the journal until `close` stops it.
    let thread = Thread { self.flushLoop() }
    thread.name = "imgproc.journal"
    thread.start()
  }

  /// Flushes and closes; the journal takes no more entries.
  func close() {
    stopping.withLock { $0 = true }
    flusherDone.wait()
    state.withLock { state in
      fsync(state.fd)
      Glibc.close(state.fd)
      state.fd = -1
    }
    Glibc.close(lockFD)
  }

  /// Locks the file at `path` (created when missing) for this process and writes its PID
  /// there; a lock held elsewhere is refused, naming the PID written by its holder.
  private static func lock(_ path: String) throws(WatchError) -> Int32 {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw WatchError.system(.journal, "cannot open the journal's lock \(path)", errno: errno)
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let number = errno
      let holder = (try? FileIO.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
      Glibc.close(fd)
      guard number == EWOULDBLOCK else {
        throw WatchError.system(.journal, "cannot lock the journal \(path)", errno: number)
      }
      let pid = holder.trimmingCharacters(in: .whitespacesAndNewlines)
      throw WatchError(
        .busy,
        "another watch (PID \(pid.isEmpty ? "unknown" : pid)) holds the journal \(String(path.dropLast(5))): it watches the same folder into the same output",
        hint: "stop that watch first, or give this one another --journal")
    }
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pwrite(fd, pid, pid.count, 0)
    return fd
  }

  /// The paths (below the watched folder) the journal said at opening were converted with
  /// these settings, of sources gone now, and recorded nothing of since; empty after the
  /// first call. The journal file (compact since opening: one line a path, then what was
  /// appended) is read again for their paths, and each asked of `isGone`: blocking, and off
  /// the path of a restart's scan, which looks at the files there meanwhile.
  func takeGoneSinceLastRun() -> [String] {
    let first = goneTaken.withLock { taken in
      defer { taken = true }
      return !taken
    }
    guard first else { return [] }
    var gone: [String] = []
    let decoder = JSONDecoder()
    Self.eachLine(of: path) { line in
      guard let entry = Self.fields(line, decoder: decoder), entry.status == .done,
        entry.settings == settings
      else { return }
      let opened = state.withLock { $0.settled.unchangedSinceOpening(Key(entry.path)) }
      guard let opened, opened.status == .done, opened.version == Self.fold(entry.version),
        isGone(entry.path)
      else { return }
      gone.append(entry.path)
    }
    return gone.sorted()
  }

  /// What the journal says of `path` with these settings, if anything.
  func settled(_ path: String) -> Settled? { state.withLock { $0.settled[Key(relative(path))] } }

  /// Whether `path` in its current `version` needs nothing: done, failed or not an image,
  /// with these settings.
  func isSettled(_ path: String, version: String) -> Bool {
    settled(path)?.version == Self.fold(version)
  }

  /// Whether `digest` (hex) is the content the journal settled `path` with, and how.
  func status(of path: String, digest: String) -> Status? {
    guard let settled = settled(path), let known = settled.digest, known == Digest(hex: digest)
    else { return nil }
    return settled.status
  }

  /// Done when the journal settled the file at this version (size and modification time),
  /// or with the same content (touched, or renamed back: its digest is read and the new
  /// version recorded), and what it says still holds: a failure or a file that is not an
  /// image, or a conversion whose outputs are all still in the store (an output deleted
  /// since is made again).
  func state(of item: SourceItem, version: String, outputs: StoredOutputs) async
    -> CommitState
  {
    guard case .file(let path) = item.origin, let settled = settled(path) else {
      return .toConvert(reason: "new: would convert")
    }
    if settled.version == Self.fold(version), await Self.holds(settled, item, outputs) {
      return .done
    }
    if settled.digest != nil, let bytes = try? FileIO.read(path) {
      let digest = OutputIdentity.hex(OutputIdentity.digest(bytes))
      if let status = status(of: path, digest: digest), await Self.holds(settled, item, outputs) {
        record(path, version: version, digest: digest, status: status)
        return .done
      }
    }
    return .toConvert(reason: "changed: would convert")
  }

  /// Whether what `settled` says of `item` still holds (see `state`).
  private static func holds(_ settled: Settled, _ item: SourceItem, _ outputs: StoredOutputs)
    async -> Bool
  {
    guard settled.status == .done else { return true }
    guard let digest = settled.digest else { return false }
    return await outputs.exist(of: item, digest: digest.bytes)
  }

  /// Records that `path` (now at `version`, content `digest`) needs nothing more: its
  /// content is what an entry already says, or it is not an image.
  func record(_ path: String, version: String, digest: String?, status: Status) {
    append(
      Entry(
        path: relative(path), version: version, digest: digest, settings: settings,
        status: status, outputs: nil))
  }

  /// Forgets `path`: its source went, and nothing of it is to be reported again.
  func forget(_ path: String) {
    append(
      Entry(
        path: relative(path), version: "", digest: nil, settings: settings, status: .forgotten,
        outputs: nil))
  }

  func commit(_ record: CommitRecord) async throws(PipelineError) {
    guard case .file(let path) = record.item.origin else { return }
    append(
      Entry(
        path: relative(path), version: record.version ?? "", digest: record.digest,
        settings: settings, status: .done, outputs: record.outputs))
  }

  func recordFailure(_ item: SourceItem, content: SourceContent?, error: PipelineError) async {
    guard case .file(let path) = item.origin else { return }
    let version = content?.version ?? FileIO.version(atPath: path) ?? ""
    append(
      Entry(
        path: relative(path), version: version,
        digest: content.map { OutputIdentity.hex(OutputIdentity.digest($0.bytes)) },
        settings: settings, status: .failed, outputs: nil))
  }

  private func append(_ entry: Entry) {
    let line = Self.lines([entry])
    state.withLock { state in
      state.settled[Key(entry.path)] =
        entry.status == .forgotten
        ? nil
        : Settled(
          version: Self.fold(entry.version), digest: Digest(hex: entry.digest),
          status: entry.status)
      guard state.fd >= 0 else { return }
      _ = FileIO.writeAll(line, to: state.fd)
      state.dirty = true
    }
  }

  /// Every 100 ms, `fsync` what was appended since.
  private func flushLoop() {
    while !stopping.withLock({ $0 }) {
      usleep(100_000)
      state.withLock { state in
        if state.dirty && state.fd >= 0 {
          fsync(state.fd)
          state.dirty = false
        }
      }
    }
    flusherDone.signal()
  }

  static func lines(_ entries: [Entry]) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var bytes: [UInt8] = []
    for entry in entries {
      guard let data = try? encoder.encode(entry) else { continue }
      bytes += Array(data) + [0x0A]
    }
    return bytes
  }
}
