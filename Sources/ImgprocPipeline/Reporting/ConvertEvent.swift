import ImgprocCodecs
import ImgprocCore

/// Something that happened during a run, in the order it happened.
public enum ConvertEvent: Sendable {
  /// An output was stored; `ssim` when similarity is measured and the output is lossy;
  /// `milliseconds`: how long its encode took.
  case wrote(
    source: String, variant: String, path: String, format: ImageFormat, size: Size, bytes: Int,
    ssim: Double?, milliseconds: Int)
  /// The output exists already (same source bytes, same name) and `--overwrite` is off.
  case upToDate(source: String, variant: String, path: String)
  case warning(source: String, message: String)
  case failed(source: String, error: PipelineError)
  /// An entry met in a folder walk or a listing that is not converted, and why.
  case skipped(path: String, reason: SkipReason)
  /// An output that the record of one of the run's sources names but this run did not make:
  /// made from other settings or another version of that source. `removed`: deleted
  /// (`convert --delete`; `watch` replacing a changed source's outputs), else left in place.
  case otherVersion(path: String, removed: Bool)
  /// An output of a source that is gone (deleted, or renamed: its new name is a new
  /// source); `removed`: deleted (`--delete`), else left in place.
  case orphan(path: String, source: String, removed: Bool)
  /// `watch` has its watches in place (or its first scan done, with `--poll`): from now on,
  /// every file that lands in `folder` is seen. `files`: how many were there already.
  case watching(folder: String, files: Int)
  /// `--dry-run`: what would be done to a source, and why.
  case planned(source: String, action: String)
  /// A source is done (converted, up to date or failed) after `seconds`; `total` is the
  /// number of sources the run converts, when the feed knows it.
  case finished(source: String, total: Int?, outcome: SourceOutcome, seconds: Double)
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
  /// Entries skipped because they are not images.
  public var ignored = 0
  /// Entries left out on purpose: hidden, the output folder, imgproc's own outputs.
  public var excluded = 0
  public var outputsWritten = 0
  /// Outputs of other settings or source versions left in place (`.otherVersion`).
  public var otherVersions = 0
  /// Outputs of sources that are gone, left in place (`.orphan`).
  public var orphans = 0
  /// Outputs of other versions or of gone sources deleted.
  public var removed = 0
  public var bytesIn = 0
  public var bytesOut = 0
  public var seconds = 0.0
  /// The sources that failed, as named in their error lines.
  public var failedSources: [String] = []
  /// Requests the run made to S3, by kind (`GET`, `PUT`, `HEAD`, `LIST`, `DELETE`, `POST`),
  /// retries included; empty when no bucket was involved.
  public var requests: [String: Int] = [:]
  /// Of `requests`, those that repeated one that failed (throttling, 5xx, a dropped
  /// connection).
  public var retries = 0

  public init() {}

  /// Of `failed`, the sources whose outputs could not be written.
  public var failedAtDestination = 0
  /// Sources (counted in `sources`) never started because a failure stopped the run
  /// (`PipelineError.stopsRun`: the credentials were refused).
  public var notStarted = 0

  /// 0 when every source succeeded; 3 when outputs could not be written (what is wrong is
  /// the destination: every other source would fail the same way); 1 when sources failed
  /// or were not started.
  public var exitCode: Int32 {
    failedAtDestination > 0 ? 3 : failed > 0 || notStarted > 0 ? 1 : 0
  }

  /// Counts one source's outcome (not in `sources`: the feed counted it).
  public mutating func add(_ outcome: SourceOutcome, source: String) {
    if outcome.skipped != nil {
      excluded += 1
    } else if outcome.failed {
      failed += 1
      if outcome.failedAtDestination { failedAtDestination += 1 }
      failedSources.append(source)
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

/// What became of one source.
public struct SourceOutcome: Sendable {
  /// Why the source failed (also reported, unless held or stopping the run); nil when it did
  /// not.
  public var failure: PipelineError?
  /// The source failed and the front end held the failure (`Engine.run`'s `holding`):
  /// nothing was reported, recorded or counted; the front end will offer the source again.
  public var held = false
  public var failed: Bool { failure != nil }
  /// The failure was writing an output or committing it (`PipelineError.concernsDestination`).
  public var failedAtDestination: Bool { failure?.concernsDestination ?? false }
  /// Every output existed already: nothing was decoded or written.
  public var upToDate = false
  public var outputsWritten = 0
  public var bytesIn = 0
  public var bytesOut = 0
  /// Not a source, and why: a front end given one object by name (an event) that no run
  /// converts (imgproc's own outputs, outside the upload prefix, no image extension).
  public var skipped: String?
  /// Where a front end recorded the failure instead of asking for a retry (the key of its
  /// record under Lambda's `.imgproc/failures/`); nil when it was not recorded.
  public var failureRecord: String?

  public init(failure: PipelineError? = nil, upToDate: Bool = false, skipped: String? = nil) {
    self.failure = failure
    self.upToDate = upToDate
    self.skipped = skipped
  }
}
