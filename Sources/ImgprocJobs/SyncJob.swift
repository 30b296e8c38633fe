import Dispatch
import ImgprocConcurrency
import ImgprocPipeline
import ImgprocS3

/// `imgproc s3-sync`: converts what is new or changed under a source prefix into a
/// destination prefix, resumably and idempotently.
///
/// What is done is decided without reading images, one source folder at a time
/// (`SyncWalk`): its keys, the manifests of its sources, whose keys carry each source's
/// prefix, relative key, ETag and settings fingerprint (`ManifestIndex`), and the folder its
/// outputs go to. A source is converted when no manifest has its current ETag and settings
/// (new or changed object, changed recipe), or when an output of it is missing from that
/// folder's listing (deleted since); the others are up to date.
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
    self.configuration.waitingSources = connection.concurrency
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

  /// Runs with `client`; throws when the first listing fails, the prefixes overlap, the
  /// destination is fed from another source, or it overlaps another sync's destination.
  /// One above it is refused before anything; one below it when the walk reaches the folder
  /// that holds it: nothing is written there, sources not yet started are not, and the run
  /// ends with the refusal (as for two sources that would write the same output).
  public func run(client: S3Client, reporter: some ConvertReporter) async throws(PipelineError)
    -> ConvertSummary
  {
    let start = DispatchTime.now()
    try Self.checkDisjoint(source, destination)
    try await checkFedFromThisSource(client)
    try await DestinationOverlap.checkEnclosing(destination, client: client)
    let settings = OutputIdentity.recipeFingerprint(
      configuration.settings, naming: configuration.naming)
    // The planner lists a few folders ahead of the engine; their output keys are kept
    // while the engine may ask for them (more than the planner and the channel hold).
    let listed = ListedFolders(capacity: 16_384)
    let store = BucketStore(
      client: client, bucket: destination.bucket, prefix: destination.folderPrefix,
      listed: listed)
    let log = ManifestLog(
      client: client, sourcePrefix: source.key, bucket: destination.bucket,
      destinationPrefix: destination.folderPrefix, settings: settings)
    let engine = Engine(
      configuration: configuration, reader: ObjectReader(client: client), store: store,
      commitLog: log, reporter: reporter)
    let walk = SyncWalk(
      client: client, source: source, destination: destination, engine: engine, store: store,
      log: log, listed: listed, sniffContent: sniffContent, settings: settings,
      reporter: reporter)
    let root = try await walk.plan(source.folderPrefix)
    // At most this many events planned ahead of the engine, besides the folders planned.
    let channel = BoundedChannel<SourceEvent>(capacity: 256)
    let planner = Task {
      await walk.walk(root) { await channel.send($0) }
      // A refusal drops what was planned and not yet started.
      if walk.refusal.withLock({ $0 != nil }) { await channel.close() }
      await channel.finish()
    }
    var summary = await engine.run(channel.elements)
    await channel.close()
    await planner.value
    if let refusal = walk.refusal.withLock({ $0 }) { throw refusal }
    summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return summary
  }

  /// A destination takes the outputs of one source prefix: two sources with a key in common
  /// would replace each other's outputs. The sources are the folders of the manifest folder
  /// (`RemoteKeys.manifestKey`): one LIST.
  private func checkFedFromThisSource(_ client: S3Client) async throws(PipelineError) {
    let manifests = destination.folderPrefix + RemoteKeys.manifestFolder
    let folders: [String]
    do throws(S3Error) {
      folders = try await client.listFolder(bucket: destination.bucket, prefix: manifests).folders
    } catch {
      throw PipelineError(error, while: "listing")
    }
    let this = "s3://\(source.bucket)/\(source.folderPrefix)"
    let others = folders.compactMap { folder in
      RemoteKeys.source(ofManifestFolder: String(folder.dropFirst(manifests.count).dropLast()))
    }.filter { $0 != this }
    guard let other = others.sorted().first else { return }
    throw PipelineError(
      .invalidConfiguration,
      "\(destination) already holds the outputs of \(other); syncing \(this) into it could replace them",
      hint: "give each source prefix its own destination prefix")
  }
}
