import Dispatch
import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline
import ImgprocS3
import Synchronization

/// Converts sources when a bucket is involved (as input, output or both), overlapping the
/// network with the image work: up to `jobs + 2` sources are in flight, downloads and uploads
/// are bounded by the S3 client's `--concurrency`, decoding and encoding by a `CPUPool` of
/// `jobs` threads (a source's variants are encoded in parallel). Each source reports as the
/// local batch does; one failure never stops the others.
public struct RemoteBatch: Sendable {
  public var reader: SourceReader
  public var output: OutputStore
  public var settings: RenderSettings
  public var naming: OutputNaming
  public var jobs: Int
  public var overwrite: Bool
  /// Skip outputs that already exist (a HEAD per output on S3). s3-sync decides from its
  /// manifests instead.
  public var checkExisting: Bool

  public init(
    reader: SourceReader, output: OutputStore, settings: RenderSettings, naming: OutputNaming,
    jobs: Int,
    overwrite: Bool, checkExisting: Bool
  ) {
    self.reader = reader
    self.output = output
    self.settings = settings
    self.naming = naming
    self.jobs = max(1, jobs)
    self.overwrite = overwrite
    self.checkExisting = checkExisting
  }

  /// What a source became, for the caller's commit step.
  public struct Converted: Sendable {
    public var source: RemoteSource
    public var etag: String?
    /// Output keys or paths, in recipe order.
    public var outputs: [String]
  }

  /// Converts `sources` (biggest first); after all of a source's outputs are written,
  /// `commit` runs (s3-sync writes its manifest there) and its failure fails the source.
  public func run(
    _ sources: [RemoteSource], reporter: some ConvertReporter,
    commit: (@Sendable (Converted) async throws(PipelineError) -> Void)? = nil
  ) async -> ConvertSummary {
    let pool = CPUPool(threads: jobs)
    var adjusted = self.settings
    adjusted.threads = sources.count == 1 ? jobs : 1
    let settings = adjusted
    let ordered = sources.sorted { $0.size > $1.size }
    let window = jobs + 2
    var summary = ConvertSummary()
    summary.sources = sources.count
    await withTaskGroup(of: (SourceOutcome, String).self) { group in
      var next = 0
      func start() {
        let source = ordered[next]
        next += 1
        group.addTask {
          (
            await self.convert(
              source, settings: settings, pool: pool, reporter: reporter, commit: commit),
            source.name
          )
        }
      }
      while next < min(window, ordered.count) { start() }
      for await (outcome, name) in group {
        reporter.report(.finished(source: name, total: ordered.count))
        summary.add(outcome)
        if outcome.failed { summary.failedSources.append(name) }
        if next < ordered.count { start() }
      }
    }
    return summary
  }

  private func convert(
    _ source: RemoteSource, settings: RenderSettings, pool: CPUPool, reporter: some ConvertReporter,
    commit: (@Sendable (Converted) async throws(PipelineError) -> Void)?
  ) async -> SourceOutcome {
    var outcome = SourceOutcome()
    do throws(PipelineError) {
      let (bytes, etag) = try await reader.read(source)
      outcome.bytesIn = bytes.count
      let hash = OutputNaming.hash(bytes)
      let targets = settings.recipe.variants.map { variant in
        (
          variant,
          output.destination(
            folder: source.folder,
            name: naming.name(
              base: source.base, variant: variant, hash: hash, recipe: settings.recipe.name))
        )
      }
      var pending = targets
      if checkExisting && !overwrite {
        var missing: [(Variant, String)] = []
        for target in targets {
          if await output.exists(target.1) {
            reporter.report(
              .upToDate(source: source.name, variant: target.0.name, path: output.display(target.1))
            )
          } else {
            missing.append(target)
          }
        }
        pending = missing
      }
      guard !pending.isEmpty else {
        outcome.upToDate = true
        return outcome
      }
      let settings = settings
      let variants = pending.map(\.0)
      let prepared = try await pool.run { () -> Result<PreparedSource, PipelineError> in
        do throws(PipelineError) {
          return .success(try ImageRenderer.prepare(bytes, variants: variants, settings: settings))
        } catch {
          return .failure(error)
        }
      }.get()
      for warning in prepared.warnings {
        reporter.report(.warning(source: source.name, message: warning))
      }
      let sourceKey: String
      switch source.location {
      case .file(let path): sourceKey = path
      case .object(_, let key): sourceKey = key
      }
      let metadata = [
        "source-key": sourceKey, "source-etag": etag ?? "", "recipe": settings.recipe.name,
      ]
      let written = try await encodeAndWrite(
        prepared.tasks, to: pending.map(\.1), source: source, metadata: metadata, pool: pool,
        reporter: reporter)
      outcome.outputsWritten = written.count
      outcome.bytesOut = written.reduce(0, +)
      try await commit?(Converted(source: source, etag: etag, outputs: targets.map(\.1)))
    } catch {
      outcome.failed = true
      reporter.report(.failed(source: source.name, error: error))
    }
    return outcome
  }

  /// Encodes every task on the pool and writes each output as soon as it is ready; the
  /// sizes written, or the first error once all have finished.
  private func encodeAndWrite(
    _ tasks: [EncodeTask], to destinations: [String], source: RemoteSource,
    metadata: [String: String],
    pool: CPUPool, reporter: some ConvertReporter
  ) async throws(PipelineError) -> [Int] {
    let results = await withTaskGroup(of: Result<Int, PipelineError>.self) { group in
      for (task, destination) in zip(tasks, destinations) {
        group.addTask {
          let encoded = await pool.run { () -> Result<RenderedVariant, PipelineError> in
            do throws(PipelineError) { return .success(try task.run()) } catch {
              return .failure(error)
            }
          }
          do throws(PipelineError) {
            let output = try encoded.get()
            var tags = metadata
            tags["variant"] = output.variant.name
            try await self.output.write(
              output.bytes, to: destination, format: output.variant.format, metadata: tags)
            reporter.report(
              .wrote(
                source: source.name, variant: output.variant.name,
                path: self.output.display(destination),
                format: output.variant.format, size: output.size, bytes: output.bytes.count))
            return .success(output.bytes.count)
          } catch {
            return .failure(error)
          }
        }
      }
      var all: [Result<Int, PipelineError>] = []
      for await result in group { all.append(result) }
      return all
    }
    var sizes: [Int] = []
    for result in results {
      switch result {
      case .success(let size): sizes.append(size)
      case .failure(let error): throw error
      }
    }
    return sizes
  }
}
