import ImgprocCodecs
import ImgprocCore

/// A limit on the time one source may take. Before anything is decoded, the source's work is
/// estimated from its header and its variants' sizes; work that would not end before
/// `deadline` is refused (`PipelineError.Code.notEnoughTime`) instead of being started and
/// cut off halfway. `imgproc lambda` gives each object what is left of its invocation.
public struct TimeBudget: Sendable, Hashable {
  /// When the source's work must be done.
  public var deadline: ContinuousClock.Instant
  /// The most time a source is ever given (a whole invocation): work estimated above it is
  /// refused for good, below it as worth a retry.
  public var whole: Duration
  /// Milliseconds of one core per megapixel decoded (turning upright and resizing to the
  /// size cap included).
  public var decodeMillisecondsPerMegapixel: Double
  /// Milliseconds of one core per megapixel encoded, weighted by the format's
  /// `relativeEncodeCost` (JPEG 1, WebP and PNG 10), resizing included.
  public var encodeMillisecondsPerMegapixel: Double
  /// The share of one core the source runs on (0 < share ≤ 1); the estimate is divided by it.
  public var cpuShare: Double

  public init(
    deadline: ContinuousClock.Instant, whole: Duration, decodeMillisecondsPerMegapixel: Double,
    encodeMillisecondsPerMegapixel: Double, cpuShare: Double
  ) {
    self.deadline = deadline
    self.whole = whole
    self.decodeMillisecondsPerMegapixel = decodeMillisecondsPerMegapixel
    self.encodeMillisecondsPerMegapixel = encodeMillisecondsPerMegapixel
    self.cpuShare = min(1, max(0.01, cpuShare))
  }

  /// The estimated time of decoding `sourcePixels` and encoding `outputs`.
  public func estimate(sourcePixels: Double, outputs: [(pixels: Double, format: ImageFormat)])
    -> Duration
  {
    let encoded = outputs.reduce(0.0) { $0 + $1.pixels * $1.format.relativeEncodeCost }
    let milliseconds =
      (decodeMillisecondsPerMegapixel * sourcePixels
        + encodeMillisecondsPerMegapixel * encoded) / 1e6 / cpuShare
    return .milliseconds(Int64(min(milliseconds.rounded(.up), 1e15)))
  }

  /// Refuses work estimated at `needed` that would not end before the deadline: for good
  /// when even a whole budget could not hold it.
  func check(_ needed: Duration) throws(PipelineError) {
    let left = ContinuousClock.now.duration(to: deadline)
    guard needed > left else { return }
    if needed > whole {
      throw PipelineError(
        .notEnoughTime(transient: false),
        "its work is estimated at \(Self.seconds(needed)), more than the \(Self.seconds(whole)) an invocation has; not started",
        hint: "raise the function's timeout or memory_size (more memory is more CPU)")
    }
    throw PipelineError(
      .notEnoughTime(transient: true),
      "its work is estimated at \(Self.seconds(needed)), with \(Self.seconds(left)) left before the deadline; not started, so a retry can do it whole"
    )
  }

  /// `duration` in seconds with one decimal ("2.5 s"), never negative.
  static func seconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let tenths = max(0, seconds * 10 + attoseconds / 100_000_000_000_000_000)
    return "\(tenths / 10).\(tenths % 10) s"
  }
}
