import ArgumentParser
import Foundation
import ImgprocConsole
import ImgprocJobs
import ImgprocPipeline

extension IMGProc {
  /// `imgproc convert`: make the variants of a recipe from files, folders or standard input.
  struct Convert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make the variants of a recipe from image files, folders or standard input.",
      discussion: """
        Reads \(FormatWords.reads); the format is read from the content. Writes \
        \(FormatWords.writes).

        Outputs are named {base}_{variant}_{hash}.{ext}, where {hash} identifies what made \
        the output: the source's content and the variant's settings. A re-run with the same \
        settings finds its outputs and skips them; changed settings or a changed source make \
        new outputs and name the old ones (--delete deletes them). Without {hash} in --name, outputs are made again on every run. Files \
        are written under a temporary name and renamed when complete; an output folder holds \
        a .imgproc-output marker and is never read as input.

        Examples:
          imgproc convert photo.jpg scans/ -o processed/
          imgproc convert a.jpg --variant hero:webp:q=80:1600x1600 -o out/
          cat a.png | imgproc convert - --variant t:webp:q=80:400x -o - > a.webp
          find shots -name '*.jpg' -print0 | imgproc convert --files-from - -0 -o out/
          imgproc convert s3://uploads/ -o s3://processed/ --json
        """)

    @Argument(
      help:
        "Image files, folders (walked recursively), - for standard input, or s3://bucket/key (a key ending in / is a prefix).",
      transform: { text in
        try parsed { () throws(PipelineError) in try ConvertInput(parsing: text) }
      }
    )
    var inputs: [ConvertInput] = []

    @Option(
      name: .customLong("files-from"),
      help: ArgumentHelp(
        "Also convert the inputs listed in FILE, one per line (- reads the list from standard input).",
        valueName: "FILE"))
    var filesFrom: String?

    @Flag(
      name: .customShort("0"),
      help: "--files-from's entries end with NUL, not newline (find -print0, xargs -0).")
    var nullSeparated = false

    @Option(
      name: [.short, .customLong("output")],
      help:
        "Output folder (created if missing), s3://bucket/prefix/, or - for standard output (one input, one variant).",
      transform: { text in
        try parsed { () throws(PipelineError) in try ConvertOutput(parsing: text) }
      }
    )
    var output: ConvertOutput

    @OptionGroup var render: RenderOptions
    @OptionGroup var s3: S3Options
    @OptionGroup var runOptions: RunOptions

    @Flag(help: "Re-create outputs that exist already.")
    var overwrite = false

    @Flag(help: "Read files through symlinks that lead out of an input folder.")
    var followSymlinks = false

    @Flag(
      help:
        "Delete the outputs of other settings or versions of each source converted, which are otherwise named and left in place (with -o DIR)."
    )
    var delete = false

    @Option(
      help: ArgumentHelp(
        "Also write an HTML page showing each source beside its variants: dimensions, bytes, ratio, SSIM of lossy ones (local inputs and -o folder only).",
        valueName: "file.html"))
    var report: String?

    mutating func validate() throws {
      if nullSeparated && filesFrom == nil {
        throw ValidationError("'-0' describes the list of '--files-from'; give that too")
      }
      if let filesFrom { inputs += try Self.listed(in: filesFrom, nullSeparated: nullSeparated) }
      // An empty list is nothing to do, as an empty folder is (a cron pipeline's quiet day).
      if inputs.isEmpty && filesFrom == nil {
        throw ValidationError("give at least one input, or --files-from with a list of them")
      }
      if filesFrom == "-" && inputs.contains(.standardInput) {
        throw ValidationError("'-' and '--files-from -' both want standard input")
      }
      if report != nil {
        guard case .folder = output,
          inputs.allSatisfy({ if case .path = $0 { true } else { false } })
        else {
          throw ValidationError(
            "'--report' shows local files: give file or folder inputs and an -o folder")
        }
      }
      if delete {
        guard case .folder = output else {
          throw ValidationError(
            "'--delete' deletes outputs in an -o folder; s3-sync replaces them in a bucket")
        }
      }
      let variants = try render.resolvedRecipe().variants.count
      _ = try runOptions.naming(variantCount: variants)
      let fromS3 = inputs.contains { if case .s3 = $0 { true } else { false } }
      if output == .standardOutput
        && (inputs.count != 1 || variants != 1 || runOptions.json || fromS3)
      {
        throw ValidationError(
          "'-o -' writes one image: give one input and one '--variant', without '--json'")
      }
    }

    /// The inputs listed in `path` (`-`: standard input), empty entries skipped: paths,
    /// folders or `s3://` URLs, as on the command line.
    static func listed(in path: String, nullSeparated: Bool) throws -> [ConvertInput] {
      let data: Data
      if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
      } else {
        guard let read = FileManager.default.contents(atPath: path) else {
          throw ValidationError("--files-from: cannot read '\(path)'")
        }
        data = read
      }
      let entries = data.split(separator: nullSeparated ? 0 : UInt8(ascii: "\n"))
      return try entries.compactMap { bytes in
        var entry = String(decoding: bytes, as: UTF8.self)
        if !nullSeparated && entry.hasSuffix("\r") { entry.removeLast() }
        guard !entry.isEmpty else { return nil }
        // In a list, "-" is a file of that name: standard input is the list's, or the command's.
        if entry == "-" { return .path("./-") }
        return try parsed { () throws(PipelineError) in try ConvertInput(parsing: entry) }
      }
    }

    func run() async throws {
      var configuration = try runOptions.configuration(
        render: render, existingOutputs: overwrite ? .replace : .skip)
      configuration.measuresSimilarity = report != nil
      if delete { configuration.otherVersions = .delete }
      var job = ConvertJob(
        inputs: inputs, output: output, configuration: configuration,
        connection: s3.connection, sniffContent: s3.sniffContent)
      job.followSymlinks = followSymlinks
      let reporter = runOptions.reporter(jsonToStandardError: output == .standardOutput)
      let report = self.report
      let variantNames = try render.resolvedRecipe().variants.map(\.name)
      try await Frontend.run(reporting: reporter) { reporter async throws(PipelineError) in
        guard let report else { return try await job.run(reporter: reporter) }
        let page = HTMLReport(forwardingTo: reporter, variantOrder: variantNames)
        let summary = try await job.run(reporter: page)
        try page.write(to: report)
        return summary
      }
    }
  }
}

/// A parsed command-line value, its error as a usage error.
func parsed<T, E: Error & CustomStringConvertible>(_ parse: () throws(E) -> T) throws -> T {
  do {
    return try parse()
  } catch {
    throw ValidationError(error.description)
  }
}
