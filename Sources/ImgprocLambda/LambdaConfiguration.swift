import Foundation
import ImgprocCodecs
import ImgprocConsole
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3
import Logging

/// What `imgproc lambda` is told by its environment, checked before the first invocation.
///
/// - `PROCESSED_BUCKET` (required) and `PROCESSED_PREFIX`: where outputs go, named as
///   `imgproc s3-sync s3://UPLOAD_BUCKET/UPLOAD_PREFIX s3://PROCESSED_BUCKET/PROCESSED_PREFIX`
///   names them, so the two can be mixed on one bucket.
/// - `UPLOAD_BUCKET`, `UPLOAD_PREFIX`: the source the manifests name (default: the bucket an
///   event names, and the whole bucket). With `UPLOAD_BUCKET`, a destination that would
///   trigger the function again is refused at start.
/// - `RECIPE`: `default` (the built-in five variants), the name of a recipe packaged beside
///   the bootstrap (`$LAMBDA_TASK_ROOT/recipes/NAME.json`: `thumbs`), a recipe as JSON, or
///   the path of a recipe file.
/// - `MAX_PIXELS`: images with more pixels are refused from their header; by default what the
///   function's memory holds (`maxPixels(memoryMiB:)`).
/// - `LOG_LEVEL`: swift-log's `trace`, `debug`, `info` (default), `notice`, `warning` (or
///   `warn`), `error` or `critical`.
/// - `MIN_REMAINING_MS`: time kept for S3 at the end of an invocation (default 2000): an
///   object is not started with less left, nor one whose work, estimated from its header,
///   would not end by then (`timeBudget`).
/// - `METRICS_NAMESPACE`: the CloudWatch namespace of the Embedded Metric Format lines
///   (default `imgproc`; empty: no metric lines).
/// - Set by Lambda: `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, the CPU share the estimate assumes
///   (Lambda gives a whole vCPU at 1,769 MB, in proportion below), and
///   `AWS_LAMBDA_FUNCTION_NAME`, the metrics' `FunctionName`.
public struct LambdaConfiguration: Sendable {
  public var destination: S3Location
  public var uploadBucket: String?
  /// "" or ending in `/`.
  public var uploadPrefix: String
  public var engine: EngineConfiguration
  public var logLevel: Logger.Level
  /// Milliseconds of the invocation's time an object needs at least to be started.
  public var minimumRemainingMilliseconds: Int
  /// The vCPUs Lambda gives the function: its memory / 1,769 MB.
  public var vCPUs: Double
  /// Where the metric lines go, and the function they are about (nil: no metric lines).
  public var metrics: EmbeddedMetrics?

  /// Peak memory of converting one image (the handler converts an event's objects one
  /// after another), as a base and bytes per pixel of the source, measured with the release bootstrap and rounded up
  /// (`Benchmarks/lambda_limits.sh`): the default `MAX_PIXELS` is what the function's memory
  /// holds by them.
  static let memoryBaseMiB = 96.0
  static let memoryBytesPerPixel = 8.0

  /// One core's milliseconds per megapixel decoded and per weighted megapixel encoded
  /// (`TimeBudget`), measured with the release bootstrap and rounded up
  /// (`Benchmarks/lambda_limits.sh`).
  static let decodeMillisecondsPerMegapixel = 30.0
  static let encodeMillisecondsPerMegapixel = 52.0

  /// Reads and checks the environment.
  public init(environment: [String: String]) throws(LambdaError) {
    guard let bucket = environment["PROCESSED_BUCKET"], !bucket.isEmpty else {
      throw LambdaError(
        .configuration, "PROCESSED_BUCKET is not set: the bucket to write the variants to")
    }
    try Self.checkBucketName(bucket, variable: "PROCESSED_BUCKET")
    destination = S3Location(
      bucket: bucket, key: Self.folder(environment["PROCESSED_PREFIX"] ?? ""))
    uploadBucket = environment["UPLOAD_BUCKET"].flatMap { $0.isEmpty ? nil : $0 }
    if let uploadBucket { try Self.checkBucketName(uploadBucket, variable: "UPLOAD_BUCKET") }
    uploadPrefix = Self.folder(environment["UPLOAD_PREFIX"] ?? "")
    let recipe = try Self.recipe(
      environment["RECIPE"], packagedIn: (environment["LAMBDA_TASK_ROOT"] ?? ".") + "/recipes")
    let memory = environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"].flatMap(Double.init) ?? 1769
    vCPUs = max(memory, 128) / 1769
    var decode = DecodeOptions()
    decode.maxPixels = Self.maxPixels(memoryMiB: memory)
    if let text = environment["MAX_PIXELS"], !text.isEmpty {
      guard let pixels = Int(text), pixels > 0 else {
        throw LambdaError(.configuration, "MAX_PIXELS is '\(text)', not a positive number")
      }
      decode.maxPixels = pixels
    }
    let settings = RenderSettings(recipe: recipe, decode: decode)
    let naming: OutputNaming
    do throws(PipelineError) {
      naming = try OutputNaming(variantCount: recipe.variants.count)
    } catch {
      throw LambdaError(.configuration, error.description, underlying: error)
    }
    // One source at a time, its variants encoded on up to two threads (a Lambda function
    // with 3,538 MB or more has two vCPUs).
    engine = EngineConfiguration(
      settings: settings, naming: naming, jobs: 2, existingOutputs: .replace)
    let levelName = environment["LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "info"
    guard let level = Logger.Level(named: levelName) else {
      throw LambdaError(
        .configuration, "LOG_LEVEL is '\(levelName)': expected \(Logger.Level.names)")
    }
    logLevel = level
    minimumRemainingMilliseconds = 2000
    if let text = environment["MIN_REMAINING_MS"] {
      guard let value = Int(text), value >= 0 else {
        throw LambdaError(.configuration, "MIN_REMAINING_MS is '\(text)', not a number of ms")
      }
      minimumRemainingMilliseconds = value
    }
    let namespace = environment["METRICS_NAMESPACE"] ?? "imgproc"
    metrics =
      namespace.isEmpty
      ? nil
      : EmbeddedMetrics(
        namespace: namespace, functionName: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "imgproc")
    if let uploadBucket {
      try checkNoRetrigger(S3Location(bucket: uploadBucket, key: uploadPrefix))
    }
  }

  /// The most source pixels `memoryMiB` holds for one image at a time (`memoryBaseMiB`,
  /// `memoryBytesPerPixel`).
  static func maxPixels(memoryMiB: Double) -> Int {
    max(1, Int((memoryMiB - memoryBaseMiB) * 1_048_576 / memoryBytesPerPixel))
  }

  /// The time budget of an object: what is left of the invocation but
  /// `minimumRemainingMilliseconds`, on the function's vCPUs (at most one counted: the
  /// estimate is one core's). `whole` is the time the invocation had when it arrived.
  func timeBudget(remainingMilliseconds: Int64, whole: Int64) -> TimeBudget {
    let margin = Int64(minimumRemainingMilliseconds)
    return TimeBudget(
      deadline: .now + .milliseconds(remainingMilliseconds - margin),
      whole: .milliseconds(whole - margin),
      decodeMillisecondsPerMegapixel: Self.decodeMillisecondsPerMegapixel,
      encodeMillisecondsPerMegapixel: Self.encodeMillisecondsPerMegapixel,
      cpuShare: min(1, vCPUs))
  }

  /// Refuses what is not a bucket name (`S3Location.isValidBucket`), such as
  /// `s3://processed/`, which would otherwise fail every object instead of the start.
  static func checkBucketName(_ name: String, variable: String) throws(LambdaError) {
    guard !S3Location.isValidBucket(name) else { return }
    var hint = "a bucket name is 3 to 63 lower-case letters, digits, dots and hyphens"
    if let location = S3Location(url: name) {
      let prefix = variable.replacingOccurrences(of: "BUCKET", with: "PREFIX")
      hint = "give the bucket's name alone: \(variable)=\(location.bucket)"
      if !location.key.isEmpty { hint += " and \(prefix)=\(location.key)" }
    }
    throw LambdaError(.configuration, "\(variable) is '\(name)', not a bucket name: \(hint)")
  }

  /// The upload location an object of `bucket` belongs to.
  public func source(bucket: String) -> S3Location {
    S3Location(bucket: bucket, key: uploadPrefix)
  }

  /// Refuses a source whose outputs would land where the function is triggered from.
  public func checkNoRetrigger(_ source: S3Location) throws(LambdaError) {
    do throws(PipelineError) {
      try SyncJob.checkDisjoint(source, destination)
    } catch {
      throw LambdaError(
        .wouldRetrigger,
        "outputs to \(destination) would trigger the function again: it is triggered by \(source); set PROCESSED_BUCKET (or PROCESSED_PREFIX) outside UPLOAD_BUCKET/UPLOAD_PREFIX",
        underlying: error)
    }
  }

  /// "" or the prefix ending in `/`.
  private static func folder(_ prefix: String) -> String {
    prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
  }

  /// `RECIPE`: unset or `default` is the built-in five variants; a value starting with `{`
  /// is a recipe document; a bare name is a recipe in `folder`; anything else is a recipe
  /// file's path.
  private static func recipe(_ value: String?, packagedIn folder: String) throws(LambdaError)
    -> Recipe
  {
    guard let value, !value.isEmpty, value != "default" else { return .standard }
    if value.hasPrefix("{") {
      do throws(PipelineError) {
        return try Recipe.decode(Data(value.utf8), origin: "RECIPE")
      } catch {
        // The decoder names RECIPE already, and its hint (the recipe format) applies.
        throw LambdaError(.configuration, error.description, underlying: error)
      }
    }
    do throws(PipelineError) {
      return try Recipe.load(path: Variant.isValidName(value) ? "\(folder)/\(value).json" : value)
    } catch {
      // The file's own hint names --recipe, a flag the function has not got.
      throw LambdaError(
        .configuration,
        "RECIPE is '\(value)': \(error.message) (give default, a recipe packaged in the zip: thumbs or modern, a recipe as JSON, or a file's path)",
        underlying: error)
    }
  }
}
