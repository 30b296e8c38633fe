import ImgprocCodecs
import ImgprocCore

/// Where outputs go.
public enum OutputTarget: Sendable, Equatable {
  /// A folder (created when missing); sources found in sub-folders keep their sub-folder.
  case folder(String)
  /// Standard output: one source, one variant.
  case standardOutput
}

/// A whole `convert` run: inputs, outputs and settings.
public struct ConvertJob: Sendable {
  public var inputs: [String]
  public var output: OutputTarget
  public var naming: OutputNaming
  /// Re-create outputs that already exist (by default they are skipped).
  public var overwrite: Bool
  /// Images processed at once; it is also the total thread budget.
  public var jobs: Int
  public var settings: RenderSettings

  public init(
    inputs: [String], output: OutputTarget, naming: OutputNaming, overwrite: Bool = false,
    jobs: Int, settings: RenderSettings
  ) {
    self.inputs = inputs
    self.output = output
    self.naming = naming
    self.overwrite = overwrite
    self.jobs = max(1, jobs)
    self.settings = settings
  }
}

/// Something that happened during a run, in the order it happened.
public enum ConvertEvent: Sendable {
  case wrote(
    source: String, variant: String, path: String, format: ImageFormat, size: Size, bytes: Int)
  /// The output exists already (same source bytes, same name) and `--overwrite` is off.
  case upToDate(source: String, variant: String, path: String)
  case warning(source: String, message: String)
  case failed(source: String, error: PipelineError)
  /// A file met in a folder walk (or a key in a listing) that is not an image.
  case ignored(path: String)
  /// `--dry-run`: what would be done to a source, and why.
  case planned(source: String, action: String)
  /// A source is done (converted, up to date or failed): progress of a long run.
  case finished(source: String, total: Int)
}

/// Receives events as they happen, from any thread.
public protocol ConvertReporter: Sendable {
  func report(_ event: ConvertEvent)
}

/// Totals of a run.
public struct ConvertSummary: Sendable, Equatable {
  public var sources = 0
  public var converted = 0
  public var upToDate = 0
  public var failed = 0
  public var ignored = 0
  public var outputsWritten = 0
  public var bytesIn = 0
  public var bytesOut = 0
  public var seconds = 0.0
  /// The sources that failed, as named in their error lines.
  public var failedSources: [String] = []

  public init() {}

  /// 0 when every source succeeded, 1 when any failed.
  public var exitCode: Int32 { failed > 0 ? 1 : 0 }
}
