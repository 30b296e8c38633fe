import ImgprocConcurrency
import ImgprocPipeline
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Standard output and standard error of a run, one whole line at a time (a lock guards the
/// writes and the progress line, so lines from many threads never interleave), with the
/// progress line, when there is one, kept at the bottom of standard error.
final class ConsoleOutput: Sendable {
  private let lock = Locked(())
  /// The errno of the first failed write to standard output (guarded by its mutex).
  private let outputError = Locked<Int32?>(nil)
  /// The progress line, when standard error is a terminal (see `LiveProgress`).
  let live: LiveProgress?

  init(live: LiveProgress?) { self.live = live }

  /// Prints `text` and a newline on standard error; under a progress line, erases that first
  /// and draws it again below.
  func line(_ text: String) {
    lock.withLock { _ in
      guard let progress = live?.current() else {
        _ = FileIO.writeAll(Array((text + "\n").utf8), to: STDERR_FILENO)
        return
      }
      _ = FileIO.writeAll(Array("\r\u{1B}[K\(text)\n\(progress)\u{1B}[K".utf8), to: STDERR_FILENO)
    }
  }

  /// Prints `text` and a newline on standard output; a failure is kept for
  /// `standardOutputError`.
  func standardOutput(_ text: String) {
    lock.withLock { _ in
      guard !FileIO.writeAll(Array((text + "\n").utf8), to: STDOUT_FILENO) else { return }
      let code = errno
      outputError.withLock { $0 = $0 ?? code }
    }
  }

  /// Why a write to standard output failed ("No space left on device"), if one did.
  var standardOutputError: String? {
    outputError.withLock { $0.map { String(cString: strerror($0)) } }
  }

  /// Redraws the progress line in place.
  func draw(_ progress: String) {
    lock.withLock { _ in
      _ = FileIO.writeAll(Array("\r\(progress)\u{1B}[K".utf8), to: STDERR_FILENO)
    }
  }

  /// Erases the progress line for good (before the summary).
  func clearProgress() {
    guard let live, live.isShown else { return }
    lock.withLock { _ in _ = FileIO.writeAll(Array("\r\u{1B}[K".utf8), to: STDERR_FILENO) }
    live.hide()
  }
}
