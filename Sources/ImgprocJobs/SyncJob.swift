import Dispatch
import ImgprocPipeline
import ImgprocS3

/// `imgproc s3-sync`: converts what is new or changed under a source prefix into a
/// destination prefix, resumably and idempotently.
///
/// What is done is decided without reading images: a listing of the source prefix and one of
/// the destination, at once, each folder by folder when it is big (`S3Client.listTree`),
/// whose manifest keys carry each source's prefix, relative key, ETag and settings
/// fingerprint (`ManifestIndex`). A source is converted when no manifest has its
/// current ETag and settings (new or changed object, changed recipe), or when an output of
/// it is missing from the destination listing (deleted since); the others are up to date.
/// A destination already fed from another source prefix, or inside or around another
/// sync's destination (`DestinationOverlap`), is refused. The engine uploads its variants,
/// then `ManifestLog` writes its manifest: the commit point, so a run killed at any moment
/// is completed by the next one, which overwrites any variants already uploaded with
/// identical bytes under identical keys.
public struct SyncJob: Sendable {
  public var source: S3Location
  public var destination: S3Location
  /// The engine's settings. The manifests decide which sources to convert; of those, outputs
  /// named with `{hash}` that exist already (left by a run that was killed before its
  /// manifest) are the same bytes and are not made again. Other names are replaced.
  public var configuration: EngineConfiguration
  public var connection: S3ConnectionOptions
  /// Read the first bytes of keys without an image extension (a ranged GET each, every run)
  /// to find images among them; by default such keys are skipped by name.
  public var sniffContent: Bool

  public init(
    source: S3Location, destination: S3Location, configuration: EngineConfiguration,
    connection: S3ConnectionOptions = S3ConnectionOptions(), sniffContent: Bool = false
  ) {
    self.source = source
    self.destination = destination
    self.configuration = configuration
    self.configuration.existingOutputs = .skip
    self.connection = connection
    self.sniffContent = sniffContent
  }

  /// Refuses a destination that overlaps the source in the same bucket: outputs written
  /// under the source prefix would be picked up again (the serverless version's endless
  /// trigger).
  public static func checkDisjoint(_ source: S3Location, _ destination: S3Location)
    throws(PipelineError)
  {
    guard source.bucket == destination.bucket else { return }
    let a = source.folderPrefix
    let b = destination.folderPrefix
    if a.hasPrefix(b) || b.hasPrefix(a) {
      throw PipelineError(
        .invalidConfiguration,
        "the destination \(destination) overlaps the source \(source) in the same bucket: outputs would be processed again",
        hint: "choose a destination prefix outside the source prefix, or another bucket")
    }
  }

  /// Connects as `connection` says, then runs.
  public func run(reporter: some ConvertReporter) async throws(PipelineError) -> ConvertSummary {
    try Self.checkDisjoint(source, destination)
    let client = try await S3Connection.connect(connection)
    return try await run(client: client, reporter: reporter).withRequests(of: client)
  }

  /// Runs with `client`; throws when a listing fails, the prefixes overlap, the
  /// destination is fed from another source, or it overlaps another sync's destination.
  public func run(client: S3Client, reporter: some ConvertReporter) async throws(PipelineError)
    -> ConvertSummary
  {
    let start = DispatchTime.now()
    try Self.checkDisjoint(source, destination)
    let destinationPrefix = destination.folderPrefix
    let listed: [S3Object]
    let destinationObjects: [S3Object]
    do throws(S3Error) {
      // Both at once: neither depends on the other.
      async let sources = Self.listTree(client, source.bucket, source.folderPrefix)
      async let outputs = Self.listTree(client, destination.bucket, destinationPrefix)
      listed = try await sources.get()
      destinationObjects = try await outputs.get()
    } catch {
      throw PipelineError(error, while: "listing")
    }
    let manifests = destinationObjects.filter {
      $0.key.hasPrefix(destinationPrefix + RemoteKeys.manifestFolder)
    }
    let index = ManifestIndex(listing: manifests, destinationPrefix: destinationPrefix)
    try checkFedFromThisSource(index)
    try await DestinationOverlap.check(
      destination, destinationKeys: destinationObjects.map(\.key), client: client)
    let settings = OutputIdentity.recipeFingerprint(
      configuration.settings, naming: configuration.naming)
    let store = BucketStore(
      client: client, bucket: destination.bucket, prefix: destinationPrefix,
      listed: Set(destinationObjects.map(\.key)))
    let log = ManifestLog(
      client: client, sourcePrefix: source.key, bucket: destination.bucket,
      destinationPrefix: destinationPrefix, settings: settings, index: index,
      listedOutputs: ListedOutputs(destinationObjects.map(\.key)))
    let engine = Engine(
      configuration: configuration, reader: ObjectReader(client: client), store: store,
      commitLog: log, reporter: reporter)
    let events = try await plan(listed, client: client, engine: engine)
    try engine.checkNames(events)
    // A dry run lists in key order; a real one starts the biggest sources first.
    var summary = await engine.run(configuration.dryRun ? events : events.biggestSourcesFirst())
    if !configuration.dryRun {
      await sweep(index, listed: listed, settings: settings, log: log, reporter: reporter)
    }
    summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return summary
  }

  /// `S3Client.listTree` as a value, for `async let` (which does not keep the error's type).
  private static func listTree(_ client: S3Client, _ bucket: String, _ prefix: String) async
    -> Result<[S3Object], S3Error>
  {
    do throws(S3Error) {
      return .success(try await client.listTree(bucket: bucket, prefix: prefix))
    } catch {
      return .failure(error)
    }
  }

  /// A destination takes the outputs of one source prefix: two sources with a key in common
  /// would replace each other's outputs.
  private func checkFedFromThisSource(_ index: ManifestIndex) throws(PipelineError) {
    let this = "s3://\(source.bucket)/\(source.folderPrefix)"
    guard let other = index.sources.filter({ $0 != this }).sorted().first else { return }
    throw PipelineError(
      .invalidConfiguration,
      "\(destination) already holds the outputs of \(other); syncing \(this) into it could replace them",
      hint: "give each source prefix its own destination prefix")
  }

  /// The listing as events, each source as the manifests say (`ManifestLog.state`): up to
  /// date (a manifest for its ETag and these settings, its outputs all in the destination
  /// listing), or new, changed, or missing outputs (deleted since: made again, as
  /// `aws s3 sync` does).
  private func plan(_ listed: [S3Object], client: S3Client, engine: Engine)
    async throws(PipelineError) -> [SourceEvent]
  {
    let etags = Dictionary(listed.map { ($0.key, $0.etag) }) { first, _ in first }
    let events = await S3Listing.events(
      listed, bucket: source.bucket, prefix: source.folderPrefix, localOutput: false,
      sniffing: sniffContent ? client : nil)
    var planned: [SourceEvent] = []
    planned.reserveCapacity(events.count)
    for event in events {
      guard case .source(var item) = event else {
        planned.append(event)
        continue
      }
      switch try await engine.state(of: item, version: etags[item.origin.key] ?? "") {
      case .done: planned.append(.upToDate(name: item.name))
      case .toConvert(let reason):
        item.plannedAction = reason
        planned.append(.source(item))
      }
    }
    return planned
  }

  /// Finishes clean-ups that failures left: sources committed in their current version that
  /// still have other manifests. A failure here is a warning; the next run tries again.
  private func sweep(
    _ index: ManifestIndex, listed: [S3Object], settings: String, log: ManifestLog,
    reporter: some ConvertReporter
  ) async {
    let etags = Dictionary(
      listed.map { (RemoteKeys.relative($0.key, to: source.folderPrefix), $0.etag) }
    ) { first, _ in first }
    for relative in index.leftovers {
      guard let etag = etags[relative],
        let current = index.manifest(relative, etag: etag, settings: settings)
      else { continue }
      do throws(PipelineError) {
        try await log.sweep(relative, current: current)
      } catch {
        reporter.report(
          .warning(
            source: "s3://\(source.bucket)/\(source.folderPrefix)\(relative)",
            message: "earlier outputs not cleaned up: \(error)"))
      }
    }
  }
}
