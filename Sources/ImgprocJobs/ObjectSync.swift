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
///
/// One for the process, with one engine: the objects it is given are converted one after
/// another, whatever bucket each event names (the engine spreads one object's variants over
/// its `jobs` threads).
public struct ObjectSync: Sendable {
  /// The upload prefix keys are relative to ("" or a folder; the manifests name it); each
  /// object's bucket is its own.
  public let sourcePrefix: String
  public let destination: S3Location
  let client: S3Client
  let reporter: any ConvertReporter
  let manifests: ManifestLog
  /// Its store is the destination; its commit log `manifests`.
  let engine: Engine

  /// Events go to `reporter`. Outputs are always replaced: the manifests decide what to do.
  public init(
    sourcePrefix: String, destination: S3Location, configuration: EngineConfiguration,
    client: S3Client, reporter: some ConvertReporter
  ) {
    self.sourcePrefix = sourcePrefix
    self.destination = destination
    var configuration = configuration
    configuration.existingOutputs = .replace
    self.client = client
    self.reporter = reporter
    let store = BucketStore(
      client: client, bucket: destination.bucket, prefix: destination.folderPrefix)
    manifests = ManifestLog(
      client: client, sourcePrefix: sourcePrefix, bucket: destination.bucket,
      destinationPrefix: destination.folderPrefix,
      settings: OutputIdentity.recipeFingerprint(
        configuration.settings, naming: configuration.naming))
    engine = Engine(
      configuration: configuration, reader: ObjectReader(client: client), store: store,
      commitLog: manifests, reporter: reporter)
  }

  /// Converts the object `key` of `bucket` unless it is up to date (a manifest records its
  /// current version with these settings: `upToDate`) or not a source (`skipped`). Its work
  /// must fit `timeBudget` when there is one. Failures are reported and returned; an object
  /// that is not there (or whose bucket is not) is a failure, never a skip, and so is an
  /// upload under the destination, which no run would ever convert.
  public func run(bucket: String, key: String, timeBudget: TimeBudget? = nil) async -> SourceOutcome
  {
    let source = S3Location(bucket: bucket, key: sourcePrefix)
    let name = "s3://\(bucket)/\(key)"
    let underDestination = destination.contains(bucket: bucket, key: key)
    if underDestination, !RemoteKeys.outputPrefixes([key]).isEmpty {
      return SourceOutcome(skipped: "imgproc's bookkeeping (.imgproc/), never an input")
    }
    if !underDestination, let reason = Self.notASource(key, source: source) {
      return SourceOutcome(skipped: reason)
    }
    var item = SourceItem(
      origin: .object(bucket: bucket, key: key),
      relativeKey: RemoteKeys.relative(key, to: source.folderPrefix))
    item.timeBudget = timeBudget
    // The manifest lookup does not depend on the HEAD's answer: both go out at once (one
    // round trip less per invocation); its failure matters only if the object is a source.
    async let head = currentVersion(of: key, in: bucket, name: name)
    async let lookup = lookUpManifests(of: item)
    let (headed, lookupFailure) = await (head, lookup)
    defer { manifests.forget(item) }
    let current: ObjectInfo
    do throws(PipelineError) {
      current = try headed.get()
    } catch {
      reporter.report(.failed(source: name, error: error))
      return SourceOutcome(failure: error)
    }
    if current.metadata["variant"] != nil && current.metadata["source-key"] != nil {
      return SourceOutcome(
        skipped: "an output of imgproc (it carries x-amz-meta-variant), never an input")
    }
    if underDestination {
      let failure = PipelineError(
        .invalidConfiguration,
        "\(name) is under the destination \(destination), where outputs go: an upload there is never converted",
        hint:
          "keep uploads and outputs apart: set PROCESSED_PREFIX, or UPLOAD_BUCKET and UPLOAD_PREFIX"
      )
      reporter.report(.failed(source: name, error: failure))
      return SourceOutcome(failure: failure)
    }
    item.byteCount = current.size
    do throws(PipelineError) {
      if let lookupFailure { throw lookupFailure }
      // The manifests vouch for the outputs; one deleted since is made again.
      if try await engine.state(of: item, version: current.etag) == .done {
        return SourceOutcome(upToDate: true)
      }
    } catch {
      reporter.report(.failed(source: name, error: error))
      return SourceOutcome(failure: error)
    }
    return await engine.process(item)
  }

  /// `manifests.lookUp(item)` (the log keeps what it found), its failure as a value (for
  /// `async let`).
  private func lookUpManifests(of item: SourceItem) async -> PipelineError? {
    do throws(PipelineError) {
      _ = try await manifests.lookUp(item)
      return nil
    } catch {
      return error
    }
  }

  /// The object's size, ETag and metadata. An object that is not there fails as
  /// `NoSuchKey` (deleted before it was converted), or as `NoSuchBucket` when its bucket is
  /// not there either (a listing tells them apart: HEAD answers both with a bare 404).
  private func currentVersion(of key: String, in bucket: String, name: String) async -> Result<
    ObjectInfo, PipelineError
  > {
    do throws(S3Error) {
      if let current = try await client.head(bucket: bucket, key: key) { return .success(current) }
      _ = try await client.listPage(bucket: bucket, prefix: key, continuationToken: nil)
    } catch {
      return .failure(PipelineError(error, while: "reading it"))
    }
    return .failure(
      PipelineError(
        .remote(service: "NoSuchKey", transient: false),
        "\(name): no such object (deleted before it was converted?)"))
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
