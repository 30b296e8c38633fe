/// At most `limit` holders at once; the others wait in order. Used to bound requests in
/// flight (`--concurrency`) independently of the CPU work (`--jobs`).
public actor ConcurrencyLimiter {
  private let limit: Int
  private var active = 0
  private var waiters: [CheckedContinuation<Void, Never>] = []

  public init(limit: Int) { self.limit = max(1, limit) }

  /// Runs `body` while holding one of the `limit` places.
  public func run<T: Sendable, E: Error>(_ body: @Sendable () async throws(E) -> T) async throws(E)
    -> T
  {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    if active < limit {
      active += 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  private func release() {
    if waiters.isEmpty {
      active -= 1
    } else {
      waiters.removeFirst().resume()
    }
  }
}
