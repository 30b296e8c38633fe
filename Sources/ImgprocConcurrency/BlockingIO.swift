import Dispatch

/// Runs blocking system calls (whole-file reads and writes, a pipe) on Dispatch's global
/// queue, so they never hold a thread of Swift's cooperative pool, which drives the network
/// and the engine.
public enum BlockingIO {
  public static func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T)
    async throws(E) -> T
  {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
      DispatchQueue.global(qos: .userInitiated).async {
        continuation.resume(returning: Result { () throws(E) -> T in try work() })
      }
    }
    return try result.get()
  }
}
