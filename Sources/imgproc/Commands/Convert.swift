import ArgumentParser
import Foundation
import ImgprocPipeline
import ImgprocS3
import ImgprocSync

extension IMGProc {
  /// `imgproc convert`: make the variants of a recipe from files, folders or standard input.
  struct Convert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make the variants of a recipe from image files, folders or standard input.",
      discussion: """
        Reads JPEG (baseline, progressive, arithmetic, gray, CMYK), PNG (every type and depth) \
        and WebP (lossy, lossless, alpha; animations give their first frame). The format is \
        read from the content. CMYK is converted to RGB naively, without a colour profile.

        Outputs are named {base}_{variant}_{hash}.{ext}, where {hash} is the first 8 hex \
        digits of the SHA-256 of the source: a re-run finds its outputs and skips them. \
        Files are written under a temporary name and renamed when complete.
        """)

    @Argument(
      help:
        "Image files, folders (walked recursively), - for standard input, or s3://bucket/key (a key ending in / is a prefix)."
    )
    var inputs: [String]

    @Option(
      name: [.short, .customLong("output")],
      help:
        "Output folder (created if missing), s3://bucket/prefix/, or - for standard output (one input, one variant)."
    )
    var output: String

    @OptionGroup var render: RenderOptions
    @OptionGroup var s3: S3Options
    @OptionGroup var runOptions: RunOptions

    @Flag(help: "Re-create outputs that exist already.")
    var overwrite = false

    mutating func validate() throws {
      let variants = try render.resolvedRecipe().variants.count
      _ = try runOptions.naming(variantCount: variants)
      if output == "-"
        && (inputs.count != 1 || variants != 1 || runOptions.json || inputs[0].hasPrefix("s3://"))
      {
        throw ValidationError(
          "'-o -' writes one image: give one input and one '--variant', without '--json'")
      }
    }

    func run() async throws {
      let settings = try render.settings()
      let naming = try runOptions.naming(variantCount: settings.recipe.variants.count)
      if output.hasPrefix("s3://") || inputs.contains(where: { $0.hasPrefix("s3://") }) {
        try await runWithS3(settings: settings, naming: naming)
        return
      }
      let job = ConvertJob(
        inputs: inputs, output: output == "-" ? .standardOutput : .folder(output), naming: naming,
        overwrite: overwrite, jobs: runOptions.jobCount,
        settings: settings)
      let reporter = runOptions.reporter(jsonToStandardError: output == "-")
      let summary = BatchRunner.run(job, reporter: reporter)
      reporter.finish(summary)
      if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    /// Sources or outputs in a bucket: the network overlaps the image work (`RemoteBatch`).
    private func runWithS3(settings: RenderSettings, naming: OutputNaming) async throws {
      let client = try await s3.makeClient()
      let reporter = runOptions.reporter()
      let target: OutputStore
      if output.hasPrefix("s3://") {
        guard let location = S3Location(url: output) else {
          throw ValidationError("'\(output)' is not an s3://bucket/prefix URL")
        }
        target = .bucket(client, bucket: location.bucket, prefix: location.folderPrefix)
      } else {
        target = .folder(output)
      }
      let local = !output.hasPrefix("s3://")
      var sources: [RemoteSource] = []
      var failures: [String] = []
      for input in inputs {
        if let location = S3Location(url: input) {
          do {
            sources += try await RemoteInputs.objects(
              location, client: client, localOutput: local,
              variants: settings.recipe.variants.map(\.name))
          } catch {
            reporter.report(.failed(source: input, error: PipelineError(.io, "\(error)")))
            failures.append(input)
          }
        } else if input.hasPrefix("s3://") {
          throw ValidationError("'\(input)' is not an s3://bucket/key URL")
        } else {
          let plan = InputPlanner.plan([input], excluding: local ? output : nil)
          for (path, error) in plan.failures {
            reporter.report(.failed(source: path, error: error))
            failures.append(path)
          }
          sources += plan.items.map(RemoteInputs.file)
        }
      }
      let batch = RemoteBatch(
        reader: SourceReader(client: client), output: target, settings: settings, naming: naming,
        jobs: runOptions.jobCount, overwrite: overwrite,
        checkExisting: true)
      let start = Date()
      var summary = await batch.run(sources, reporter: reporter)
      summary.failed += failures.count
      summary.failedSources += failures
      summary.sources += failures.count
      summary.seconds = Date().timeIntervalSince(start)
      reporter.finish(summary)
      if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
  }
}
