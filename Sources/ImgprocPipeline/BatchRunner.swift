import Dispatch
import Foundation
import ImgprocCodecs
import ImgprocCore
import Synchronization

/// Runs a `ConvertJob`: at most `jobs` sources at once, biggest first, each source on one
/// worker with a band budget of `jobs / workers` threads, so the two levels of parallelism
/// never multiply. One failing source never stops the others.
public enum BatchRunner {
  public static func run(_ job: ConvertJob, reporter: some ConvertReporter) -> ConvertSummary {
    let start = DispatchTime.now()
    let excluded: String? = if case .folder(let path) = job.output { path } else { nil }
    let plan = InputPlanner.plan(job.inputs, excluding: excluded)
    let state = Mutex(ConvertSummary())
    for path in plan.ignored { reporter.report(.ignored(path: path)) }
    for (path, error) in plan.failures {
      reporter.report(.failed(source: path, error: error))
    }
    state.withLock {
      $0.failed = plan.failures.count
      $0.ignored = plan.ignored.count
      $0.sources = plan.items.count + plan.failures.count
    }
    let items = plan.items.sorted { $0.byteCount > $1.byteCount }
    let workers = min(job.jobs, items.count)
    if workers > 0 {
      var settings = job.settings
      settings.threads = max(1, job.jobs / workers)
      let worker = SourceWorker(job: job, settings: settings, reporter: reporter)
      let next = Mutex(0)
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
          let index = next.withLock { value -> Int in
            defer { value += 1 }
            return value
          }
          guard index < items.count else { return }
          let outcome = worker.process(items[index])
          state.withLock { $0.add(outcome) }
        }
      }
    }
    return state.withLock { summary in
      summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      return summary
    }
  }
}

/// What became of one source.
struct SourceOutcome: Sendable {
  var failed = false
  var upToDate = false
  var outputsWritten = 0
  var bytesIn = 0
  var bytesOut = 0
}

extension ConvertSummary {
  mutating func add(_ outcome: SourceOutcome) {
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
}

/// Converts one source: read, name, skip what exists, render, write atomically.
struct SourceWorker: Sendable {
  let job: ConvertJob
  let settings: RenderSettings
  let reporter: any ConvertReporter

  init(job: ConvertJob, settings: RenderSettings, reporter: some ConvertReporter) {
    self.job = job
    self.settings = settings
    self.reporter = reporter
  }

  func process(_ item: SourceItem) -> SourceOutcome {
    var outcome = SourceOutcome()
    let source = item.path == "-" ? "stdin" : item.path
    do throws(PipelineError) {
      let bytes = try FileIO.read(item.path)
      outcome.bytesIn = bytes.count
      let targets = outputPaths(for: item, bytes: bytes)
      let pending = targets.filter {
        job.output == .standardOutput || job.overwrite || !FileIO.exists($0.path)
      }
      for target in targets where !pending.contains(where: { $0.path == target.path }) {
        reporter.report(.upToDate(source: source, variant: target.variant.name, path: target.path))
      }
      guard !pending.isEmpty else {
        outcome.upToDate = true
        return outcome
      }
      let result = try ImageRenderer.render(
        bytes, variants: pending.map(\.variant), settings: settings)
      for warning in result.warnings { reporter.report(.warning(source: source, message: warning)) }
      for (output, target) in zip(result.outputs, pending) {
        if job.output == .standardOutput {
          try FileIO.writeToStandardOutput(output.bytes)
        } else {
          try FileIO.writeAtomically(output.bytes, to: target.path)
        }
        outcome.outputsWritten += 1
        outcome.bytesOut += output.bytes.count
        reporter.report(
          .wrote(
            source: source, variant: output.variant.name, path: target.path,
            format: output.variant.format, size: output.size, bytes: output.bytes.count))
      }
    } catch {
      outcome.failed = true
      reporter.report(.failed(source: source, error: error))
    }
    return outcome
  }

  /// The final path of each variant of `item`.
  private func outputPaths(for item: SourceItem, bytes: [UInt8]) -> [(
    variant: Variant, path: String
  )] {
    let variants = settings.recipe.variants
    guard case .folder(let folder) = job.output else {
      return variants.map { ($0, "-") }
    }
    let hash = OutputNaming.hash(bytes)
    let base = item.outputSubfolder.isEmpty ? folder : folder + "/" + item.outputSubfolder
    return variants.map { variant in
      let name = job.naming.name(
        base: item.base, variant: variant, hash: hash, recipe: settings.recipe.name)
      return (variant, base + "/" + name)
    }
  }
}
