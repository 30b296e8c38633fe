import ImgprocCodecs
import ImgprocCore

/// The two kinds of task of a run, for one source: prepare (read, name, skip what exists,
/// decode and resize) and encode one variant (encode, write atomically, report).
struct SourceWorker: Sendable {
  let job: ConvertJob
  let settings: RenderSettings
  let reporter: any ConvertReporter

  init(job: ConvertJob, settings: RenderSettings, reporter: some ConvertReporter) {
    self.job = job
    self.settings = settings
    self.reporter = reporter
  }

  /// Prepares `item`; the returned tasks carry their output paths. No tasks: the source
  /// failed (reported here) or is up to date.
  func prepare(_ item: SourceItem) -> (SourceProgress, [EncodeTask]) {
    let progress = SourceProgress(name: item.path == "-" ? "stdin" : item.path)
    do throws(PipelineError) {
      let bytes = try FileIO.read(item.path)
      progress.outcome.bytesIn = bytes.count
      let targets = outputPaths(for: item, bytes: bytes)
      let pending = targets.filter {
        job.output == .standardOutput || job.overwrite || !FileIO.exists($0.path)
      }
      for target in targets where !pending.contains(where: { $0.path == target.path }) {
        reporter.report(
          .upToDate(source: progress.name, variant: target.variant.name, path: target.path))
      }
      guard !pending.isEmpty else {
        progress.outcome.upToDate = true
        return (progress, [])
      }
      let prepared = try ImageRenderer.prepare(
        bytes, variants: pending.map(\.variant), settings: settings)
      for warning in prepared.warnings {
        reporter.report(.warning(source: progress.name, message: warning))
      }
      progress.paths = Dictionary(uniqueKeysWithValues: pending.map { ($0.variant.name, $0.path) })
      return (progress, prepared.tasks)
    } catch {
      progress.outcome.failed = true
      reporter.report(.failed(source: progress.name, error: error))
      return (progress, [])
    }
  }

  /// Encodes and writes one variant of a prepared source.
  func encode(_ task: EncodeTask, of progress: SourceProgress) -> EncodeOutcome {
    let path = progress.paths[task.variant.name] ?? "-"
    do throws(PipelineError) {
      let output = try task.run()
      if job.output == .standardOutput {
        try FileIO.writeToStandardOutput(output.bytes)
      } else {
        try FileIO.writeAtomically(output.bytes, to: path)
      }
      reporter.report(
        .wrote(
          source: progress.name, variant: output.variant.name, path: path,
          format: output.variant.format, size: output.size, bytes: output.bytes.count))
      return .wrote(bytes: output.bytes.count)
    } catch {
      if progress.claimFailureReport() {
        reporter.report(.failed(source: progress.name, error: error))
      }
      return .failed
    }
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
