import Foundation
import ImgprocConcurrency
import ImgprocPipeline
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the watcher saw happen to a path.
enum WatchSignal: Sendable {
  /// A writer closed the file: it may be complete now.
  case closed(String)
  /// The file appeared: created, or found by a scan; complete once it settles.
  case appeared(String)
  /// The file was moved in (the usual upload: written under another name, then renamed):
  /// complete at once unless some process has it open for writing.
  case movedIn(String)
  /// The file was written to.
  case modified(String)
  /// The file went away (deleted, moved out).
  case gone(String)
  /// An entry a walk left out (`.skipped`) or cannot use (`.failed`), with the reason
  /// (reported each time a walk meets it).
  case unused(SourceEvent)
  /// The watched folder itself was moved or deleted: nothing more will be seen under it.
  case lost(String)
}

/// Watches a folder tree with inotify: a watch per folder, added for new folders as they
/// appear (with the files already inside them, which inotify never reports), and a rescan
/// after the kernel's queue overflowed. Signals arrive in `signals`.
///
/// Thread safety: after `start`, the watch table (`folders`) is read and written only by the
/// reader thread; `stop` only sets `stopping` (a mutex), which the thread polls every
/// 200 ms, then closes the descriptor.
final class FolderWatcher: @unchecked Sendable {
  let scanner: TreeScanner
  let signals: AsyncStream<WatchSignal>
  private let continuation: AsyncStream<WatchSignal>.Continuation
  private let fd: Int32
  /// Watch descriptor → folder path (reader thread only, after `start`).
  private var folders: [Int32: String] = [:]
  private let stopping = Locked(false)
  private let finished = DispatchSemaphore(value: 0)
  /// The files in the tree when `init` watched it.
  private(set) var filesAtStart = 0

  /// Sets up inotify and watches the whole tree; throws when a folder cannot be watched
  /// (for instance the watch limit, `fs.inotify.max_user_watches`).
  init(scanner: TreeScanner) throws(WatchError) {
    self.scanner = scanner
    (signals, continuation) = AsyncStream<WatchSignal>.makeStream()
    fd = try Inotify.initialize()
    do throws(WatchError) {
      try watchTree(scanner.root, reportFiles: false)
    } catch {
      close(fd)
      throw error
    }
  }

  /// Starts the reader thread: what happens from now on (every folder was watched by
  /// `init`) is signalled while the files already there are looked at (`WatchSession`).
  func start() {
    let thread = Thread { self.readLoop() }
    thread.name = "imgproc.watch"
    thread.start()
  }

  /// Stops the reader thread and ends `signals`; returns when the thread is done.
  func stop() {
    stopping.withLock { $0 = true }
    finished.wait()
  }

  private func readLoop() {
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    while !stopping.withLock({ $0 }) {
      guard let count = Inotify.read(fd, timeout: 200, into: &buffer) else { continue }
      for event in InotifyEvent.parse(buffer[0..<count]) { handle(event) }
    }
    for wd in folders.keys { Inotify.removeWatch(fd, wd) }
    close(fd)
    continuation.finish()
    finished.signal()
  }

  private func handle(_ event: InotifyEvent) {
    if event.has(IN_Q_OVERFLOW) {
      // Events were lost: watch every folder again and look at every file.
      try? watchTree(scanner.root, reportFiles: true)
      return
    }
    if event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF), folders[event.watch] == scanner.root {
      continuation.yield(.lost(scanner.root))
      return
    }
    if event.has(IN_IGNORED) {
      folders[event.watch] = nil
      return
    }
    guard let folder = folders[event.watch], !event.name.isEmpty else { return }
    let path = folder + "/" + event.name
    if event.isFolder {
      if event.has(IN_CREATE) || event.has(IN_MOVED_TO) {
        if !WalkPolicy.isTemporary(event.name) { try? watchTree(path, reportFiles: true) }
      } else if event.has(IN_MOVED_FROM) {
        forget(path)
      }
      return
    }
    if event.has(IN_DELETE) || event.has(IN_MOVED_FROM) {
      continuation.yield(.gone(path))
    } else if WalkPolicy.isTemporary(event.name) {
      return
    } else if event.has(IN_CLOSE_WRITE) {
      continuation.yield(.closed(path))
    } else if event.has(IN_MOVED_TO) {
      continuation.yield(.movedIn(path))
    } else if event.has(IN_CREATE) {
      continuation.yield(.appeared(path))
    } else if event.has(IN_MODIFY) {
      continuation.yield(.modified(path))
    }
  }

  /// Watches `folder` and every folder below it that the scanner allows, one folder at a
  /// time (only one folder's files are held at once); signals what is skipped and, with
  /// `reportFiles`, the files found.
  private func watchTree(_ folder: String, reportFiles: Bool) throws(WatchError) {
    let watched = Set(folders.values)
    var tree = scanner.folders(under: folder)
    while let found = tree.next() {
      for path in found.folders where !watched.contains(path) {
        folders[try Inotify.addWatch(fd, folder: path)] = path
      }
      for event in found.unused { continuation.yield(.unused(event)) }
      if reportFiles {
        for file in found.files { continuation.yield(.appeared(file.path)) }
      } else {
        filesAtStart += found.files.count
      }
    }
  }

  /// Drops the watches of `folder` and below (moved away: its watches would report under
  /// the old path).
  private func forget(_ folder: String) {
    for (wd, path) in folders where path == folder || path.hasPrefix(folder + "/") {
      Inotify.removeWatch(fd, wd)
      folders[wd] = nil
    }
  }
}
