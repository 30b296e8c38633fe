import Dispatch
import Foundation

/// SIGINT and SIGTERM for a long run: the first asks it to stop (`stop`: no new work, what is
/// in flight finishes); a second SIGINT exits at once with status 130. Outputs are renamed
/// into place when complete, so stopping at once leaves none partial.
/// `sources` is written once, in `init`, and only read after.
final class StopSignals: @unchecked Sendable {
  private let sources: [any DispatchSourceSignal]

  init(stop: @escaping @Sendable () -> Void) {
    let queue = DispatchQueue(label: "imgproc.signals")
    let interrupts = Counter()
    sources = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler {
        if number == SIGINT && interrupts.next() > 1 { _exit(130) }
        FileHandle.standardError.write(
          Data("imgproc: stopping: the files in flight finish (Ctrl-C again stops at once)\n".utf8))
        stop()
      }
      source.resume()
      return source
    }
  }

  /// Restores the default handlers.
  func release() {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}

/// Counts from any thread.
private final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()

  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
