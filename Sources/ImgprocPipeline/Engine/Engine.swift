import Dispatch
import ImgprocConcurrency
import Synchronization

/// The one engine of imgproc: sources from any feed, outputs to any store, CPU work on one
/// scheduler. Every front end (`convert`, `s3-sync`, `watch`, `lambda`) is an adapter
/// that builds a feed, a reader, a store and a commit log, and runs it here.
///
/// For each source: read its bytes (`reader`), name its outputs, skip those that exist
/// (`ExistingOutputs.skip`), decode and resize once, encode each variant and store it as
/// soon as it is encoded (`store`), then, when every output is stored, `commitLog.commit`.
/// One failing source never stops the others; it is reported once. The exception is a
/// failure that is not the source's (`PipelineError.stopsRun`: the credentials were
/// refused): it is reported once, and no further source is started; each is counted in
/// `ConvertSummary.notStarted`.
///
/// Scheduling: at most `jobs + waitingSources` sources are in flight (read to commit: 2 more
/// than the CPU budget for files, the request concurrency for S3), so I/O overlaps with image
/// work, and at most `jobs + 1` have pixels in memory. CPU work runs on a
/// `CPUScheduler` of `jobs` threads that always takes the costliest waiting encode first and
/// decodes the next source (biggest first) only when no encode waits. A source resizes in
/// row bands on every thread only when it is the only source in flight and the scheduler
/// has nothing else to run, so the two levels of parallelism never multiply. Outputs are
/// byte-identical whatever the scheduling.
public final class Engine: Sendable {
  public let configuration: EngineConfiguration
  let reader: any SourceReader
  let store: any OutputStore
  let commitLog: any CommitLog
  let reporter: any ConvertReporter
  let cpu: CPUScheduler
  private let admission: ConcurrencyLimiter
  let decodedSources: ConcurrencyLimiter
  /// Sources admitted and not finished (guarded by its mutex).
  let inFlight = Locked(0)
  /// Set by the first source that fails with an error that stops the run
  /// (`PipelineError.stopsRun`); from then on `run` starts no source.
  let stopping = Atomic(false)

  public init(
    configuration: EngineConfiguration, reader: any SourceReader, store: any OutputStore,
    commitLog: any CommitLog = NoCommitLog(), reporter: any ConvertReporter
  ) {
    self.configuration = configuration
    self.reader = reader
    self.store = store
    self.commitLog = commitLog
    self.reporter = reporter
    cpu = CPUScheduler(threads: configuration.jobs)
    admission = ConcurrencyLimiter(limit: configuration.sourcesInFlight)
    decodedSources = ConcurrencyLimiter(limit: configuration.sourcesDecoded)
  }

  /// Converts one source now, to this engine's store, and commits it: the entry point for
  /// front ends that receive sources one at a time. Concurrent calls share the engine's
  /// bounds. Failures are reported and returned in the outcome, never thrown.
  public func process(_ item: SourceItem) async -> SourceOutcome {
    await admission.acquire()
    let outcome = await convert(item)
    await admission.release()
    return outcome
  }

  /// Handles a feed's events in order until it ends and every source is done, and returns
  /// the totals. When the calling task is cancelled, no further source is started; those
  /// already started finish (outputs stored, committed).
  /// - Parameters:
  ///   - total: the number of sources the feed will yield, for progress events.
  ///   - holding: asked when a source fails, before anything is reported or recorded; true
  ///     holds the failure: it is not reported, recorded in the commit log or counted, and
  ///     `finished` sees `SourceOutcome.held` (watch holds a file that may still be written).
  ///   - finished: called once per source converted (or failed), from its task, after its
  ///     commit and before it counts as done: a front end's own follow-up (moving the file).
  public func run(
    _ feed: some AsyncSequence<SourceEvent, Never>, total: Int? = nil,
    holding: (@Sendable (SourceItem, PipelineError) -> Bool)? = nil,
    finished: (@Sendable (SourceItem, SourceOutcome) async -> Void)? = nil
  ) async -> ConvertSummary {
    let start = DispatchTime.now()
    let tally = Tally()
    let ledger = configuration.otherVersions == .ignore ? nil : OutputLedger()
    await withDiscardingTaskGroup { group in
      for await event in feed {
        guard !Task.isCancelled else { break }
        guard case .source(let item) = event else {
          tally.count(event, dryRun: configuration.dryRun, reporter: reporter)
          continue
        }
        if stopping.load(ordering: .relaxed) {
          tally.counting {
            $0.sources += 1
            $0.notStarted += 1
          }
          continue
        }
        if configuration.dryRun {
          tally.counting { $0.sources += 1 }
          reporter.report(.planned(source: item.name, action: item.plannedAction))
          continue
        }
        await admission.acquire()
        if stopping.load(ordering: .relaxed) {
          await admission.release()
          tally.counting {
            $0.sources += 1
            $0.notStarted += 1
          }
          continue
        }
        if Task.isCancelled {
          await admission.release()
          break
        }
        tally.counting { $0.sources += 1 }
        group.addTask {
          // An unstructured task: cancelling the run does not cut a started source short.
          let begin = DispatchTime.now()
          let outcome = await Task {
            let outcome = await self.convert(item, ledger: ledger, inRun: true, holding: holding)
            await finished?(item, outcome)
            return outcome
          }.value
          await self.admission.release()
          if outcome.held {
            tally.counting { $0.sources -= 1 }
            return
          }
          let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin.uptimeNanoseconds) / 1e9
          self.reporter.report(
            .finished(source: item.name, total: total, outcome: outcome, seconds: seconds))
          tally.counting { $0.add(outcome, source: item.name) }
        }
      }
    }
    if let ledger {
      let (sources, kept) = ledger.contents
      let (reported, removed) = await settleOtherVersions(of: sources, keeping: kept)
      tally.counting {
        $0.otherVersions += reported
        $0.removed += removed
      }
    }
    var summary = tally.counting { $0 }
    summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return summary
  }

  /// What the commit log says of `item` at `version` (an ETag; `FileIO.version` of a
  /// file): done, its outputs still in this engine's store, or to convert and why. Every
  /// front end asks here before it offers a source.
  public func state(of item: SourceItem, version: String) async throws(PipelineError)
    -> CommitState
  {
    try await commitLog.state(
      of: item, version: version,
      outputs: StoredOutputs(configuration: configuration, store: store))
  }

  /// Refuses a plan in which two sources would write the same output, naming both. Only names
  /// that do not depend on the sources' content can collide (a template without `{hash}`);
  /// with `{hash}`, sources with the same name have different content, or identical outputs.
  public func checkNames(_ events: [SourceEvent]) throws(PipelineError) {
    guard !configuration.naming.usesHash else { return }
    var owners: [String: String] = [:]
    for case .source(let item) in events {
      for output in configuration.plannedOutputs(of: item, digest: [], in: store) {
        if let other = owners.updateValue(item.name, forKey: output.destination) {
          throw PipelineError(
            .invalidConfiguration,
            "\(other) and \(item.name) would both be written to \(store.display(output.destination))",
            hint: "give --name a placeholder that tells them apart, such as {hash}")
        }
      }
    }
  }

  /// Runs a planned list of events (its sources counted for progress).
  public func run(
    _ events: [SourceEvent], holding: (@Sendable (SourceItem, PipelineError) -> Bool)? = nil
  ) async -> ConvertSummary {
    let total = events.filter { if case .source = $0 { true } else { false } }.count
    let feed = AsyncStream<SourceEvent> { continuation in
      for event in events { continuation.yield(event) }
      continuation.finish()
    }
    return await run(feed, total: total, holding: holding)
  }
}

/// A run's totals, updated from every source's task (guarded by its mutex).
private final class Tally: Sendable {
  private let summary = Locked(ConvertSummary())

  func counting<T: Sendable>(_ body: (inout ConvertSummary) -> T) -> T {
    summary.withLock { body(&$0) }
  }

  /// Counts a feed event that is not a source to convert.
  func count(_ event: SourceEvent, dryRun: Bool, reporter: any ConvertReporter) {
    switch event {
    case .source: break
    case .upToDate(let name):
      counting {
        $0.sources += 1
        $0.upToDate += 1
      }
      if dryRun { reporter.report(.planned(source: name, action: "up to date")) }
    case .skipped(let name, let reason):
      counting {
        if reason.isNotAnImage { $0.ignored += 1 } else { $0.excluded += 1 }
      }
      reporter.report(.skipped(path: name, reason: reason))
    case .failed(let name, let error):
      counting {
        $0.sources += 1
        $0.failed += 1
        $0.failedSources.append(name)
      }
      reporter.report(.failed(source: name, error: error))
    }
  }
}

/// This run's outputs and the sources done, for the report of other versions at its end
/// (guarded by its mutex).
final class OutputLedger: Sendable {
  private let state = Locked((sources: [SourceItem](), kept: Set<String>()))

  /// Records a source's outputs: all are kept; the source is looked up only when done.
  func record(_ item: SourceItem, _ outputs: [PlannedOutput], done: Bool) {
    state.withLock { state in
      state.kept.formUnion(outputs.map(\.destination))
      if done { state.sources.append(item) }
    }
  }

  var contents: (sources: [SourceItem], kept: Set<String>) {
    state.withLock { ($0.sources, $0.kept) }
  }
}
