/// At most `limit` holders at once; the others wait in arrival order (an async counting
/// semaphore). The S3 client bounds its requests in flight with one (`--concurrency`), the
/// engine its sources in flight and its decoded sources with two more, independently of the
/// CPU budget. Its state is actor-isolated.
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

  /// Takes a place, waiting for one to be released when all are held. Every `acquire` must
  /// be matched by one `release`.
  public func acquire() async {
    if active < limit {
      active += 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  /// How many wait for a place.
  var waiting: Int { waiters.count }

  /// Gives a place back: to the longest waiter, if any.
  public func release() {
    if waiters.isEmpty {
      active -= 1
    } else {
      waiters.removeFirst().resume()
    }
  }
}
