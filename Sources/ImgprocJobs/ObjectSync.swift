import ImgprocCodecs
import ImgprocPipeline
import ImgprocS3

/// `s3-sync` for one object, as an event names it: the same outputs, names, metadata and
/// manifest as `imgproc s3-sync SOURCE DESTINATION` would give it, so event-driven runs
/// (`imgproc lambda`) and batch runs can be mixed on one destination.
///
/// The object's current version is converted, whatever version the event saw: a duplicate
/// or late event finds the manifest of that version, and its outputs in a LIST of their
/// prefix, and does nothing (an output deleted since is made again), so an older event
/// never replaces a newer version's outputs. What imgproc wrote (a key under the destination
/// or under a prefix holding imgproc's bookkeeping, an object carrying imgproc's metadata)
/// is never converted.
public struct ObjectSync: Sendable {
  /// The upload prefix keys are relative to (the manifests name it).
  public var source: S3Location
  public var destination: S3Location
  /// The engine's settings; outputs are always replaced (the manifests decide what to do).
  public var configuration: EngineConfiguration

  public init(source: S3Location, destination: S3Location, configuration: EngineConfiguration) {
    self.source = source
    self.destination = destination
    self.configuration = configuration
    self.configuration.existingOutputs = .replace
  }

  /// What became of one object.
  public enum Outcome: Sendable {
    case converted(SourceOutcome)
    /// A manifest records its current version with these settings.
    case upToDate
    /// Not a source, and why.
    case skipped(String)
    case failed(PipelineError)
  }

  /// Converts the object `key` of `source.bucket` unless it is up to date or not a source.
  /// Its work must fit `timeBudget` when there is one. Failures are reported to `reporter`
  /// and returned; an object that is not there (or whose bucket is not) is a failure, never a
  /// skip, and so is an upload under the destination, which no run would ever convert.
  public func run(
    key: String, client: S3Client, reporter: some ConvertReporter, timeBudget: TimeBudget? = nil
  ) async -> Outcome {
    let name = "s3://\(source.bucket)/\(key)"
    let underDestination = destination.contains(bucket: source.bucket, key: key)
    if underDestination, !RemoteKeys.outputPrefixes([key]).isEmpty {
      return .skipped("imgproc's bookkeeping (.imgproc/), never an input")
    }
    if !underDestination, let reason = Self.notASource(key, source: source) {
      return .skipped(reason)
    }
    let relative = RemoteKeys.relative(key, to: source.folderPrefix)
    let destinationPrefix = destination.folderPrefix
    // The manifest listing does not depend on the HEAD's answer: both go out at once (one
    // round trip less per invocation); it is not read when the object is not converted.
    async let manifests = listManifests(of: relative, client: client)
    let current: ObjectInfo
    do throws(PipelineError) {
      current = try await currentVersion(of: key, name: name, client: client)
    } catch {
      reporter.report(.failed(source: name, error: error))
      return .failed(error)
    }
    if current.metadata["variant"] != nil && current.metadata["source-key"] != nil {
      return .skipped("an output of imgproc (it carries x-amz-meta-variant), never an input")
    }
    if underDestination {
      let failure = PipelineError(
        .invalidConfiguration,
        "\(name) is under the destination \(destination), where outputs go: an upload there is never converted",
        hint:
          "keep uploads and outputs apart: set PROCESSED_PREFIX, or UPLOAD_BUCKET and UPLOAD_PREFIX"
      )
      reporter.report(.failed(source: name, error: failure))
      return .failed(failure)
    }
    let settings = OutputIdentity.recipeFingerprint(
      configuration.settings, naming: configuration.naming)
    let index: ManifestIndex
    do throws(S3Error) {
      index = ManifestIndex(
        listing: try await manifests.get(), destinationPrefix: destinationPrefix)
    } catch {
      let failure = PipelineError(error, while: "looking up its manifest")
      reporter.report(.failed(source: name, error: failure))
      return .failed(failure)
    }
    var item = SourceItem(
      origin: .object(bucket: source.bucket, key: key), relativeKey: relative,
      byteCount: current.size)
    item.timeBudget = timeBudget
    let store = BucketStore(client: client, bucket: destination.bucket, prefix: destinationPrefix)
    if index.isDone(relative, etag: current.etag, settings: settings) {
      // The manifest vouches for outputs; one deleted since is made again.
      do throws(S3Error) {
        let outputs = try await client.list(
          bucket: destination.bucket, prefix: configuration.outputsPrefix(of: item, in: store))
        let listed = ListedOutputs(outputs.map(\.key))
        if configuration.hasOutputs(of: item, in: store, listed: listed) { return .upToDate }
      } catch {
        let failure = PipelineError(error, while: "listing its outputs")
        reporter.report(.failed(source: name, error: failure))
        return .failed(failure)
      }
    }
    let engine = Engine(
      configuration: configuration, reader: ObjectReader(client: client), store: store,
      commitLog: ManifestLog(
        client: client, source: source, bucket: destination.bucket,
        destinationPrefix: destinationPrefix, settings: settings, index: index),
      reporter: reporter)
    let outcome = await engine.process(item)
    guard let failure = outcome.failure else { return .converted(outcome) }
    return .failed(failure)
  }

  /// The manifests recorded for the source `relative` (every version and recipe of it).
  private func listManifests(of relative: String, client: S3Client) async -> Result<
    [S3Object], S3Error
  > {
    do throws(S3Error) {
      return .success(
        try await client.list(
          bucket: destination.bucket,
          prefix: destination.folderPrefix + RemoteKeys.manifestFolder
            + RemoteKeys.sourceComponent(source) + "/" + relative + "@"))
    } catch {
      return .failure(error)
    }
  }

  /// The object's size, ETag and metadata. An object that is not there fails as
  /// `NoSuchKey` (deleted before it was converted), or as `NoSuchBucket` when its bucket is
  /// not there either (a listing tells them apart: HEAD answers both with a bare 404).
  private func currentVersion(of key: String, name: String, client: S3Client)
    async throws(PipelineError) -> ObjectInfo
  {
    do throws(S3Error) {
      if let current = try await client.head(bucket: source.bucket, key: key) { return current }
      _ = try await client.listPage(bucket: source.bucket, prefix: key, continuationToken: nil)
    } catch {
      throw PipelineError(error, while: "reading it")
    }
    throw PipelineError(
      .remote(service: "NoSuchKey", transient: false),
      "\(name): no such object (deleted before it was converted?)")
  }

  /// Why `key`, outside the destination, is not a source of this sync; nil when it is one.
  static func notASource(_ key: String, source: S3Location) -> String? {
    guard key.hasPrefix(source.folderPrefix) else {
      return "outside the upload prefix \(source)"
    }
    if !RemoteKeys.outputPrefixes([key]).isEmpty {
      return "under a prefix holding imgproc's outputs (.imgproc/), never an input"
    }
    if key.hasSuffix("/") { return "a folder placeholder" }
    if !RemoteKeys.looksLikeImage(key) {
      return "no image extension (\(ImageFormat.knownExtensions))"
    }
    return nil
  }
}
