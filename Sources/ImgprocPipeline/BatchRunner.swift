import Dispatch
import Foundation
import ImgprocCodecs
import ImgprocCore
import Synchronization

/// Runs a `ConvertJob` on `jobs` threads. Work is split into tasks: *prepare* a source (read,
/// name, skip what is up to date, decode, turn upright, cap, resize the variants) and
/// *encode* one variant (encode, write atomically). A free thread always takes the most
/// expensive encode waiting, so one image's variants run in parallel when images are fewer
/// than threads and the slowest work starts first; it prepares the next source (biggest
/// first) only when no encode waits. At most `jobs + 1` sources are held in memory.
/// Resampling bands use the thread budget only when there is a single source, so the two
/// levels of parallelism never multiply. One failing source never stops the others.
public enum BatchRunner {
  public static func run(_ job: ConvertJob, reporter: some ConvertReporter) -> ConvertSummary {
    let start = DispatchTime.now()
    let excluded: String? = if case .folder(let path) = job.output { path } else { nil }
    let plan = InputPlanner.plan(job.inputs, excluding: excluded)
    for path in plan.ignored { reporter.report(.ignored(path: path)) }
    for (path, error) in plan.failures { reporter.report(.failed(source: path, error: error)) }
    var summary = ConvertSummary()
    summary.failed = plan.failures.count
    summary.failedSources = plan.failures.map(\.path)
    summary.ignored = plan.ignored.count
    summary.sources = plan.items.count + plan.failures.count
    var settings = job.settings
    settings.threads = plan.items.count == 1 ? job.jobs : 1
    let scheduler = BatchScheduler(
      items: plan.items.sorted { $0.byteCount > $1.byteCount },
      worker: SourceWorker(job: job, settings: settings, reporter: reporter),
      maxInFlight: job.jobs + 1)
    let threads = min(job.jobs, max(1, plan.items.count * settings.recipe.variants.count))
    DispatchQueue.concurrentPerform(iterations: threads) { _ in scheduler.work() }
    summary.add(scheduler.totals)
    summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return summary
  }
}

/// The shared state of a run: sources not yet started, encode tasks waiting, sources in
/// flight. Every field is guarded by `condition`'s lock.
final class BatchScheduler: @unchecked Sendable {
  private let items: [SourceItem]
  private let worker: SourceWorker
  private let maxInFlight: Int
  private let condition = NSCondition()
  private var nextItem = 0
  private var inFlight = 0
  private var waiting: [(source: SourceProgress, task: EncodeTask)] = []
  private(set) var totals = ConvertSummary()

  init(items: [SourceItem], worker: SourceWorker, maxInFlight: Int) {
    self.items = items
    self.worker = worker
    self.maxInFlight = max(1, maxInFlight)
  }

  /// Runs tasks until every source is done. Called once by each thread.
  func work() {
    while let task = next() {
      switch task {
      case .prepare(let item):
        let (progress, tasks) = worker.prepare(item)
        finishPreparing(progress, tasks)
      case .encode(let progress, let task):
        let outcome = worker.encode(task, of: progress)
        finishEncoding(progress, outcome)
      }
    }
  }

  private enum Task {
    case prepare(SourceItem)
    case encode(SourceProgress, EncodeTask)
  }

  private func next() -> Task? {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let index = waiting.indices.max(by: {
        waiting[$0].task.estimatedCost < waiting[$1].task.estimatedCost
      }) {
        let (progress, task) = waiting.remove(at: index)
        return .encode(progress, task)
      }
      if nextItem < items.count && inFlight < maxInFlight {
        inFlight += 1
        nextItem += 1
        return .prepare(items[nextItem - 1])
      }
      if nextItem == items.count && inFlight == 0 { return nil }
      condition.wait()
    }
  }

  private func finishPreparing(_ progress: SourceProgress, _ tasks: [EncodeTask]) {
    condition.lock()
    defer {
      condition.broadcast()
      condition.unlock()
    }
    progress.remaining = tasks.count
    if tasks.isEmpty {
      close(progress)
    } else {
      waiting += tasks.map { (progress, $0) }
    }
  }

  private func finishEncoding(_ progress: SourceProgress, _ outcome: EncodeOutcome) {
    condition.lock()
    defer {
      condition.broadcast()
      condition.unlock()
    }
    progress.record(outcome)
    progress.remaining -= 1
    if progress.remaining == 0 { close(progress) }
  }

  /// Counts a finished source (lock held).
  private func close(_ progress: SourceProgress) {
    inFlight -= 1
    totals.add(progress.outcome)
    if progress.outcome.failed { totals.failedSources.append(progress.name) }
  }
}

/// What became of one source, accumulated over its tasks. `remaining` and `outcome` are
/// guarded by the scheduler's lock; `paths` is written before the tasks are published.
final class SourceProgress: @unchecked Sendable {
  let name: String
  var remaining = 0
  var outcome = SourceOutcome()
  /// Variant name → final output path.
  var paths: [String: String] = [:]
  private let failureReported = Mutex(false)

  init(name: String) { self.name = name }

  /// True for the first caller only: a source reports one failure, however many variants fail.
  func claimFailureReport() -> Bool {
    failureReported.withLock { reported in
      defer { reported = true }
      return !reported
    }
  }

  func record(_ result: EncodeOutcome) {
    switch result {
    case .wrote(let bytes):
      outcome.outputsWritten += 1
      outcome.bytesOut += bytes
    case .failed:
      outcome.failed = true
    }
  }
}

/// The result of one encode task.
enum EncodeOutcome {
  case wrote(bytes: Int)
  case failed
}

/// What became of one source.
public struct SourceOutcome: Sendable {
  public var failed = false
  public var upToDate = false
  public var outputsWritten = 0
  public var bytesIn = 0
  public var bytesOut = 0

  public init() {}
}

extension ConvertSummary {
  /// Counts one source's outcome.
  public mutating func add(_ outcome: SourceOutcome) {
    if outcome.failed {
      failed += 1
    } else if outcome.upToDate {
      upToDate += 1
    } else {
      converted += 1
    }
    outputsWritten += outcome.outputsWritten
    bytesIn += outcome.bytesIn
    bytesOut += outcome.bytesOut
  }

  /// Adds another summary's counts (not its `sources` or `seconds`).
  public mutating func add(_ other: ConvertSummary) {
    failedSources += other.failedSources
    converted += other.converted
    upToDate += other.upToDate
    failed += other.failed
    outputsWritten += other.outputsWritten
    bytesIn += other.bytesIn
    bytesOut += other.bytesOut
  }
}
