import ArgumentParser
import Foundation
import ImgprocConsole
import ImgprocPipeline
import Logging

/// Naming, parallelism and reporting: shared by every command that converts.
struct RunOptions: ParsableArguments {
  @Option(
    name: .customLong("name"),
    help: "Output file name template: {base} {variant} {hash} {ext} {recipe}.")
  var nameTemplate: String = OutputNaming.defaultTemplate

  @Option(
    parsing: .unconditional,
    help: "Images processed at once; also the thread budget. (default: the number of cores)")
  var jobs: Int?

  @Flag(
    help:
      "Print one JSON object per event (output, up-to-date, planned, progress, warning, error, ignored, excluded, other-version, orphan, watching, summary)."
  )
  var json = false

  @Flag(name: .shortAndLong, help: "Print only errors.")
  var quiet = false

  @Flag(name: .shortAndLong, help: "Print a line per output file.")
  var verbose = false

  @Option(
    help: ArgumentHelp(
      "The least severe log records shown on standard error: trace, debug, info (-v), notice (the default), warning (or warn), error (-q), critical. (default: $LOG_LEVEL, else notice)",
      valueName: "level"))
  var logLevel: Logger.Level?

  @Option(
    help: ArgumentHelp(
      "text: lines for people; json: one object per record (time, level, message, source, variant, path, bytes, ms), for log search.",
      valueName: "format"))
  var logFormat: LogFormat = .text

  mutating func validate() throws {
    if let jobs, jobs < 1 {
      throw ValidationError("'--jobs' must be at least 1, not \(jobs)")
    }
    if quiet && verbose { throw ValidationError("'--quiet' and '--verbose' cannot be combined") }
    _ = try environmentLogLevel()
  }

  /// `LOG_LEVEL` (the variable Lambda functions read, here too), any case; a usage error
  /// when unknown.
  func environmentLogLevel() throws -> Logger.Level? {
    guard let text = ProcessInfo.processInfo.environment["LOG_LEVEL"], !text.isEmpty else {
      return nil
    }
    guard let level = Logger.Level(named: text) else {
      throw ValidationError("LOG_LEVEL must be \(Logger.Level.names), not '\(text)'")
    }
    return level
  }

  var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

  /// The `--name` template checked for `variantCount` variants, as a usage error when invalid.
  func naming(variantCount: Int) throws -> OutputNaming {
    do {
      return try OutputNaming(template: nameTemplate, variantCount: variantCount)
    } catch {
      throw ValidationError(error.description)
    }
  }

  /// The engine's configuration from these options and `render`'s.
  func configuration(
    render: RenderOptions, existingOutputs: ExistingOutputs = .skip, dryRun: Bool = false
  ) throws -> EngineConfiguration {
    let settings = try render.settings()
    return EngineConfiguration(
      settings: settings, naming: try naming(variantCount: settings.recipe.variants.count),
      jobs: jobCount, existingOutputs: existingOutputs, dryRun: dryRun,
      maxInputBytes: render.maxInputBytes)
  }

  func reporter(
    jsonToStandardError: Bool = false, showsProgress: Bool = false, perSource: Bool = false
  ) -> ConsoleReporter {
    let environment = ProcessInfo.processInfo.environment
    return ConsoleReporter(
      json: json, verbosity: quiet ? .quiet : (verbose ? .verbose : .normal),
      jsonToStandardError: jsonToStandardError, showsProgress: showsProgress,
      perSource: perSource,
      liveProgress: !perSource && isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb",
      color: environment["NO_COLOR"].map(\.isEmpty) ?? true,
      logLevel: logLevel ?? (quiet || verbose ? nil : try? environmentLogLevel()),
      logFormat: logFormat)
  }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
  /// `--log-level` takes what `LOG_LEVEL` takes (`Logger.Level(named:)`).
  public init?(argument: String) { self.init(named: argument) }
}
extension LogFormat: ExpressibleByArgument {}
