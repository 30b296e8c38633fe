import Foundation
import ImgprocConcurrency
import ImgprocPipeline
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Decides when a file is complete. A file its writer closed, or one moved in, is complete at
/// once unless some process still has it open for writing; any other file (created, found by
/// a scan, written to) is complete once its size and modification time have not changed for
/// `settle` and no process has it open for writing. Complete paths come out of `ready`, each
/// once per change.
///
/// "Open for writing" is asked of the kernel with a read lease (`F_SETLEASE`), granted only
/// when no process has the file open for writing, and dropped at once; where a lease is not
/// allowed (another user's file), only the settle time decides. All state is in `pending`,
/// guarded by its mutex; `tick` runs on the caller's task. Time is read from `now`, so that a
/// test can move it.
final class Settler: Sendable {
  let settle: Duration
  /// The time source: the continuous clock in a watch.
  let now: @Sendable () -> ContinuousClock.Instant
  let ready: AsyncStream<String>
  private let continuation: AsyncStream<String>.Continuation
  private let pending = Locked([String: Snapshot]())
  /// How many paths have come out of `ready` so far.
  private let readied = Atomic(0)

  /// A pending file: its size and modification time, and since when they have not changed.
  struct Snapshot: Equatable {
    var version: String
    var since: ContinuousClock.Instant
  }

  init(settle: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
    self.settle = settle
    self.now = now
    (ready, continuation) = AsyncStream<String>.makeStream()
  }

  /// Takes in what the watcher saw.
  func offer(_ signal: WatchSignal) {
    switch signal {
    case .closed(let path), .movedIn(let path):
      if Self.writerState(path) == .noWriter {
        pending.withLock { $0[path] = nil }
        hand(path)
      } else {
        track(path)
      }
    case .appeared(let path), .modified(let path):
      track(path)
    case .gone(let path):
      pending.withLock { $0[path] = nil }
    case .unused, .lost:
      break
    }
  }

  /// Starts (or restarts) the settle time of `path`.
  private func track(_ path: String) {
    guard let version = Self.version(path) else { return }
    let since = now()
    pending.withLock { $0[path] = Snapshot(version: version, since: since) }
  }

  /// Checks the files whose settle time is over: complete ones go out, changed ones wait
  /// again. Returns how many are still pending.
  @discardableResult
  func tick() -> Int {
    let now = self.now()
    let due = pending.withLock { state in
      state.filter { now - $0.value.since >= settle }
    }
    for (path, snapshot) in due {
      let version = Self.version(path)
      let complete = version == snapshot.version && Self.writerState(path) != .writing
      pending.withLock { state in
        guard state[path] == snapshot else { return }  // changed meanwhile: leave it
        if complete {
          state[path] = nil
        } else if let version {
          state[path] = Snapshot(version: version, since: now)
        } else {
          state[path] = nil  // gone
        }
      }
      if complete { hand(path) }
    }
    return pending.withLock { $0.count }
  }

  private func hand(_ path: String) {
    readied.wrappingAdd(1, ordering: .relaxed)
    continuation.yield(path)
  }

  var isIdle: Bool { pending.withLock { $0.isEmpty } }

  /// How many files are settling.
  var pendingCount: Int { pending.withLock { $0.count } }

  /// How many paths have come out of `ready` so far.
  var readiedCount: Int { readied.load(ordering: .relaxed) }

  func finish() { continuation.finish() }

  /// Size and modification time of a regular file; nil when it is not one (or is gone).
  static func version(_ path: String) -> String? { FileIO.version(atPath: path) }

  enum WriterState { case noWriter, writing, unknown }

  /// `F_SETLEASE` (fcntl.h, Linux-specific; Glibc's Swift module does not export it).
  private static let setLease: Int32 = 1024

  /// Whether some process has `path` open for writing, asked with a read lease.
  static func writerState(_ path: String) -> WriterState {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return .unknown }
    defer { close(fd) }
    guard fcntl(fd, setLease, Int32(F_RDLCK)) == 0 else {
      return errno == EAGAIN ? .writing : .unknown
    }
    _ = fcntl(fd, setLease, Int32(F_UNLCK))
    return .noWriter
  }
}
