import ArgumentParser
import Foundation
import ImgprocPipeline

extension IMGProc {
  /// `imgproc convert`: make the variants of a recipe from files, folders or standard input.
  struct Convert: ParsableCommand {
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

    @Argument(help: "Image files, folders (walked recursively) or - for standard input.")
    var inputs: [String]

    @Option(
      name: [.short, .customLong("output")],
      help: "Output folder (created if missing), or - for standard output (one input, one variant)."
    )
    var output: String

    @OptionGroup var render: RenderOptions

    @Option(
      name: .customLong("name"),
      help: "Output file name template: {base} {variant} {hash} {ext} {recipe}.")
    var nameTemplate: String = OutputNaming.defaultTemplate

    @Flag(help: "Re-create outputs that exist already.")
    var overwrite = false

    @Option(
      help: "Images processed at once; also the thread budget. (default: the number of cores)")
    var jobs: Int?

    @Flag(help: "Print one JSON object per event (output, up-to-date, warning, error, summary).")
    var json = false

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print a line per output file.")
    var verbose = false

    mutating func validate() throws {
      if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
      if quiet && verbose { throw ValidationError("'--quiet' and '--verbose' cannot be combined") }
      let variants = try render.resolvedRecipe().variants.count
      _ = try naming(variantCount: variants)
      if output == "-" && (inputs.count != 1 || variants != 1 || json) {
        throw ValidationError(
          "'-o -' writes one image: give one input and one '--variant', without '--json'")
      }
    }

    func run() throws {
      let settings = try render.settings()
      let naming = try naming(variantCount: settings.recipe.variants.count)
      let job = ConvertJob(
        inputs: inputs, output: output == "-" ? .standardOutput : .folder(output), naming: naming,
        overwrite: overwrite, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
        settings: settings)
      let reporter = ConsoleReporter(
        json: json, verbosity: quiet ? .quiet : (verbose ? .verbose : .normal),
        jsonToStandardError: output == "-")
      let summary = BatchRunner.run(job, reporter: reporter)
      reporter.finish(summary)
      if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    private func naming(variantCount: Int) throws -> OutputNaming {
      do {
        return try OutputNaming(template: nameTemplate, variantCount: variantCount)
      } catch {
        throw ValidationError(error.description)
      }
    }
  }
}
