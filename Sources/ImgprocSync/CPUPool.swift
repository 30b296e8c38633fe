import Dispatch
import ImgprocS3

/// Runs synchronous, CPU-bound work off the cooperative thread pool, at most `threads` at a
/// time, so image work never starves the tasks that drive the network.
public final class CPUPool: Sendable {
  private let limiter: ConcurrencyLimiter
  private let queue = DispatchQueue(label: "imgproc.cpu", attributes: .concurrent)

  public init(threads: Int) {
    limiter = ConcurrencyLimiter(limit: threads)
  }

  public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await limiter.run { () async -> T in
      await withCheckedContinuation { continuation in
        self.queue.async { continuation.resume(returning: work()) }
      }
    }
  }
}
