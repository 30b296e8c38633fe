import Foundation
import Synchronization

/// How urgent a piece of CPU work is: a higher `tier` always runs first; within a tier the
/// higher `weight` (an estimated cost, a size) runs first, then the earlier submitted.
public struct Urgency: Sendable, Comparable {
  public var tier: Int
  public var weight: Double

  public init(tier: Int, weight: Double) {
    self.tier = tier
    self.weight = weight
  }

  public static func < (a: Urgency, b: Urgency) -> Bool {
    (a.tier, a.weight) < (b.tier, b.weight)
  }
}

/// Runs synchronous, CPU-bound work for async callers on at most `threads` threads, always
/// the most urgent work waiting first, so image work never occupies the cooperative thread
/// pool that drives the network, and the order of work is a policy rather than an accident
/// of arrival.
///
/// A job may ask for several threads (`width`): it gets them only when nothing else runs or
/// waits, and then nothing else starts until it is done, so a job's inner parallelism and
/// the scheduler's never multiply. Otherwise it gets one.
///
/// Worker loops are threads of their own, started when work arrives and ended when none is
/// left, so an idle scheduler holds no thread. They are not Dispatch's: its global queue
/// runs at most one thread per core, and work queued there (`BlockingIO`, row bands) must
/// never wait behind a busy worker loop. All mutable state is in `state`, guarded by its
/// mutex.
public final class CPUScheduler: Sendable {
  /// The most threads used at once.
  public let threads: Int
  private let state = Locked(State())

  public init(threads: Int) {
    self.threads = max(1, threads)
  }

  /// Runs `work` when it is the most urgent work waiting and a thread is free. `work` is
  /// given the number of threads it may use: `width` when granted, else 1.
  public func run<T: Sendable>(
    _ urgency: Urgency, width: Int = 1, _ work: @escaping @Sendable (_ threads: Int) -> T
  ) async -> T {
    await withCheckedContinuation { continuation in
      submit(urgency, width: width) { granted in continuation.resume(returning: work(granted)) }
    }
  }

  /// Submits `works` together, so that the most urgent of them is the first to run, and
  /// yields each result with its index as soon as it is computed. The stream ends after the
  /// last one.
  public func results<T: Sendable>(
    of works: [(urgency: Urgency, work: @Sendable () -> T)]
  ) -> AsyncStream<(index: Int, result: T)> {
    let (stream, continuation) = AsyncStream<(index: Int, result: T)>.makeStream()
    guard !works.isEmpty else {
      continuation.finish()
      return stream
    }
    let left = Countdown(works.count)
    let jobs = works.enumerated().map { index, entry in
      (
        entry.urgency,
        { @Sendable (_: Int) -> Void in
          continuation.yield((index, entry.work()))
          if left.tick() { continuation.finish() }
        }
      )
    }
    submit(jobs)
    return stream
  }

  /// Jobs waiting for a thread.
  var waiting: Int { state.withLock { $0.queue.count } }

  private struct Job {
    let urgency: Urgency
    let width: Int
    let sequence: Int
    let body: @Sendable (Int) -> Void
  }

  private struct State {
    var queue: [Job] = []
    /// Threads occupied by running jobs (a wide job counts its width).
    var busy = 0
    /// Jobs running.
    var running = 0
    /// Worker loops alive: running a job or about to take one.
    var workers = 0
    var submitted = 0

    /// Counts in the worker loops that free threads and waiting jobs call for; returns how
    /// many to start.
    mutating func workersToStart(limit: Int) -> Int {
      var count = 0
      while workers < limit && busy < limit && queue.count > workers - running {
        workers += 1
        count += 1
      }
      return count
    }

    /// Removes the most urgent job, earliest first among equals.
    mutating func takeMostUrgent() -> Job? {
      guard var best = queue.indices.first else { return nil }
      for index in queue.indices.dropFirst() {
        let candidate = queue[index]
        let current = queue[best]
        if current.urgency < candidate.urgency
          || (current.urgency == candidate.urgency && candidate.sequence < current.sequence)
        {
          best = index
        }
      }
      return queue.remove(at: best)
    }
  }

  private func submit(_ urgency: Urgency, width: Int, _ body: @escaping @Sendable (Int) -> Void) {
    submit([(urgency, body)], width: width)
  }

  /// Queues `jobs` in one step: no worker takes one before all are queued.
  private func submit(
    _ jobs: [(Urgency, @Sendable (Int) -> Void)], width: Int = 1
  ) {
    let start = state.withLock { state -> Int in
      for (urgency, body) in jobs {
        state.submitted += 1
        state.queue.append(
          Job(urgency: urgency, width: max(1, width), sequence: state.submitted, body: body))
      }
      return state.workersToStart(limit: threads)
    }
    startWorkers(start)
  }

  private func startWorkers(_ count: Int) {
    for _ in 0..<count {
      let thread = Thread { self.drain() }
      thread.name = "imgproc.cpu"
      thread.start()
    }
  }

  /// A worker loop: takes jobs until none can start.
  private func drain() {
    while let (job, granted) = take() {
      job.body(granted)
      let start = state.withLock { state -> Int in
        state.busy -= granted
        state.running -= 1
        return state.workersToStart(limit: threads)
      }
      startWorkers(start)
    }
  }

  /// The next job and the threads it gets, or nil (and this worker ends) when no job waits
  /// or every thread is occupied.
  private func take() -> (Job, Int)? {
    state.withLock { state -> (Job, Int)? in
      guard state.busy < threads, let job = state.takeMostUrgent() else {
        state.workers -= 1
        return nil
      }
      let alone = state.busy == 0 && state.queue.isEmpty
      let granted = job.width > 1 && alone ? min(job.width, threads) : 1
      state.busy += granted
      state.running += 1
      return (job, granted)
    }
  }
}

/// Counts down from a number, from any thread.
private final class Countdown: Sendable {
  private let left: Locked<Int>

  init(_ count: Int) { left = Locked(count) }

  /// Counts one; true for the call that reaches zero.
  func tick() -> Bool {
    left.withLock { count in
      count -= 1
      return count == 0
    }
  }
}
