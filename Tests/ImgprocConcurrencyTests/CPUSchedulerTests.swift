import Foundation
import Synchronization
import Testing

@testable import ImgprocConcurrency

@Suite("CPU scheduler: most urgent first, bounded threads, wide jobs alone")
struct CPUSchedulerTests {
  /// A gate the first job waits on, so that everything after it queues up.
  final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func wait() { semaphore.wait() }
    func open() { semaphore.signal() }
  }

  /// Waits until `condition` holds (polling; the work runs on other threads).
  func eventually(_ condition: () -> Bool) async throws {
    for _ in 0..<2000 where !condition() { try await Task.sleep(nanoseconds: 1_000_000) }
    #expect(condition())
  }

  /// Starts a job that holds its thread(s) until its gate opens, and returns once it runs;
  /// the task's value is the number of threads it was granted.
  func hold(_ scheduler: CPUScheduler, width: Int = 1) async throws -> (Gate, Task<Int, Never>) {
    let gate = Gate()
    let started = SharedValue(false)
    let task = Task {
      await scheduler.run(Urgency(tier: 9, weight: 0), width: width) { granted in
        started.withLock { $0 = true }
        gate.wait()
        return granted
      }
    }
    try await eventually { started.withLock { $0 } }
    return (gate, task)
  }

  @Test("with one thread, waiting work runs by tier, then weight, then arrival")
  func order() async throws {
    let scheduler = CPUScheduler(threads: 1)
    let (gate, held) = try await hold(scheduler)
    let order = SharedValue<[String]>([])
    let urgencies: [(String, Urgency)] = [
      ("prepare small", Urgency(tier: 0, weight: 1)),
      ("encode cheap", Urgency(tier: 1, weight: 1)),
      ("prepare big", Urgency(tier: 0, weight: 50)),
      ("encode costly", Urgency(tier: 1, weight: 10)),
      ("encode cheap again", Urgency(tier: 1, weight: 1)),
    ]
    await withTaskGroup(of: Void.self) { group in
      for (index, (name, urgency)) in urgencies.enumerated() {
        group.addTask { await scheduler.run(urgency) { _ in order.withLock { $0.append(name) } } }
        // Each queued before the next is submitted, so arrival order is defined.
        while scheduler.waiting < index + 1 { await Task.yield() }
      }
      gate.open()
    }
    _ = await held.value
    #expect(
      order.withLock { $0 } == [
        "encode costly", "encode cheap", "encode cheap again", "prepare big", "prepare small",
      ])
  }

  @Test("a batch is queued at once: its most urgent job runs first, results as they come")
  func batch() async throws {
    let scheduler = CPUScheduler(threads: 1)
    let weights = [1.0, 5, 3, 5, 2]
    var order: [Int] = []
    for await (index, result) in scheduler.results(
      of: weights.enumerated().map { index, weight in
        (Urgency(tier: 1, weight: weight), { @Sendable in index * 10 })
      })
    {
      #expect(result == index * 10)
      order.append(index)
    }
    #expect(order == [1, 3, 2, 4, 0])
  }

  @Test("never more jobs at once than threads", arguments: [1, 2, 3])
  func bounded(threads: Int) async {
    let scheduler = CPUScheduler(threads: threads)
    let running = SharedValue((now: 0, peak: 0))
    await withTaskGroup(of: Void.self) { group in
      for index in 0..<40 {
        group.addTask {
          await scheduler.run(Urgency(tier: 0, weight: Double(index % 7))) { _ in
            running.withLock {
              $0.now += 1
              $0.peak = max($0.peak, $0.now)
            }
            usleep(2000)
            running.withLock { $0.now -= 1 }
          }
        }
      }
    }
    #expect(running.withLock { $0.peak } == threads)
  }

  @Test("a wide job gets every thread only alone, and nothing runs beside it")
  func wide() async throws {
    let scheduler = CPUScheduler(threads: 3)
    #expect(await scheduler.run(Urgency(tier: 0, weight: 0), width: 3) { $0 } == 3)
    // Something runs: a wide job is narrowed to one thread.
    let (gate, held) = try await hold(scheduler)
    #expect(await scheduler.run(Urgency(tier: 0, weight: 0), width: 3) { $0 } == 1)
    gate.open()
    #expect(await held.value == 1)
    // While a wide job runs, a job submitted beside it waits for it to end.
    let (wideGate, wide) = try await hold(scheduler, width: 3)
    let next = SharedValue(false)
    let waiting = Task {
      await scheduler.run(Urgency(tier: 1, weight: 0)) { _ in next.withLock { $0 = true } }
    }
    try await Task.sleep(nanoseconds: 50_000_000)
    #expect(!next.withLock { $0 }, "nothing starts beside a wide job")
    wideGate.open()
    #expect(await wide.value == 3)
    await waiting.value
    #expect(next.withLock { $0 })
  }
}

@Suite("Concurrency limiter")
struct ConcurrencyLimiterTests {
  @Test("at most `limit` holders; waiters are served in arrival order")
  func limit() async throws {
    let limiter = ConcurrencyLimiter(limit: 2)
    let state = SharedValue((now: 0, peak: 0, order: [Int]()))
    // Both places held, then waiters queued one at a time (each known to wait before the
    // next comes), so the order of arrival is defined.
    await limiter.acquire()
    await limiter.acquire()
    await withTaskGroup(of: Void.self) { group in
      for index in 0..<6 {
        group.addTask {
          await limiter.run {
            state.withLock {
              $0.now += 1
              $0.peak = max($0.peak, $0.now)
              $0.order.append(index)
            }
            try? await Task.sleep(nanoseconds: 1_000_000)
            state.withLock { $0.now -= 1 }
          }
        }
        while await limiter.waiting < index + 1 { await Task.yield() }
      }
      await limiter.release()
      await limiter.release()
    }
    #expect(state.withLock { $0.peak } == 2)
    #expect(state.withLock { $0.order } == Array(0..<6))
  }
}

/// A value shared with work on other threads (tests only).
final class SharedValue<Value: Sendable>: Sendable {
  private let mutex: ImgprocConcurrency.Locked<Value>

  init(_ value: Value) { mutex = ImgprocConcurrency.Locked(value) }

  func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
