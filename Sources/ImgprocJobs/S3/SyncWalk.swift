import ImgprocConcurrency
import ImgprocPipeline
import ImgprocS3

/// s3-sync's plan, one source folder at a time, so that memory does not grow with the bucket
/// and disjoint folders are listed at once.
///
/// For a folder of the source (its keys and subfolders: pages with `/` as the delimiter),
/// the manifests of its sources (one folder of the manifest tree) and the folder their
/// outputs go to are listed; each source is then up to date (`ManifestLog.state`: a manifest
/// for its ETag and the settings, its outputs in that listing) or to convert, and the
/// folder's events go to the engine in key order, interleaved with its subfolders'. Up to
/// `lookahead` folders of each level are planned ahead of the one being handed over; what a
/// folder's plan keeps (its sources' manifests, its outputs' keys) is dropped once its
/// sources are done.
///
/// A folder that cannot be listed is one failed event; the walk goes on. A plan that must
/// not run (a folder written to is another sync's destination, two sources would write the
/// same output) stops the walk before that folder's events: `refusal` says why, and nothing
/// more is handed over.
final class SyncWalk: Sendable {
  let client: S3Client
  let source: S3Location
  let destination: S3Location
  let engine: Engine
  let store: BucketStore
  let log: ManifestLog
  let listed: ListedFolders
  let sniffContent: Bool
  /// The settings fingerprint in manifest keys.
  let settings: String
  let reporter: any ConvertReporter
  /// Folders of one level planned ahead of the one being handed to the engine: enough to
  /// keep a few listings in flight while the engine converts, few enough that a bucket of
  /// big folders (1,000 sources each: about 1 MB planned) keeps memory flat.
  static let lookahead = 4
  /// Why the walk stopped, if it did (guarded by its mutex).
  let refusal = Locked<PipelineError?>(nil)

  init(
    client: S3Client, source: S3Location, destination: S3Location, engine: Engine,
    store: BucketStore, log: ManifestLog, listed: ListedFolders, sniffContent: Bool,
    settings: String, reporter: any ConvertReporter
  ) {
    self.client = client
    self.source = source
    self.destination = destination
    self.engine = engine
    self.store = store
    self.log = log
    self.listed = listed
    self.sniffContent = sniffContent
    self.settings = settings
    self.reporter = reporter
  }

  /// One folder's plan: its keys' events, each with the key it stands for, and its
  /// subfolders (full prefixes), both in key order.
  struct Folder: Sendable {
    var events: [(key: String, event: SourceEvent)] = []
    var folders: [String] = []
  }

  /// Hands `root`'s events and those of every folder below it to `send`, in key order.
  func walk(_ root: Folder, send: @Sendable (SourceEvent) async -> Void) async {
    if refusal.withLock({ $0 != nil }) { return }
    // The plans being made, by folder index; each let go once handed over, so that a
    // level's plans are not all kept until its last folder.
    var pending: [Int: Task<Folder, Never>] = [:]
    defer { for task in pending.values { task.cancel() } }
    func start(_ index: Int) {
      let prefix = root.folders[index]
      pending[index] = Task { await self.planOrFail(prefix) }
    }
    for index in 0..<min(Self.lookahead, root.folders.count) { start(index) }
    var next = 0
    for (index, folder) in root.folders.enumerated() {
      while next < root.events.count,
        root.events[next].key.utf8.lexicographicallyPrecedes(folder.utf8)
      {
        await send(root.events[next].event)
        next += 1
      }
      guard let planning = pending.removeValue(forKey: index) else { continue }
      let planned = await planning.value
      if refusal.withLock({ $0 != nil }) { return }
      if index + Self.lookahead < root.folders.count { start(index + Self.lookahead) }
      await walk(planned, send: send)
    }
    for (_, event) in root.events[next...] { await send(event) }
  }

  /// `plan`, a failure being the folder's one event.
  private func planOrFail(_ prefix: String) async -> Folder {
    do throws(PipelineError) {
      return try await plan(prefix)
    } catch  where error.code == .invalidConfiguration {
      refusal.withLock { $0 = $0 ?? error }
      return Folder()
    } catch {
      return Folder(
        events: [(prefix, .failed(name: "s3://\(source.bucket)/\(prefix)", error: error))])
    }
  }

  /// The plan of the source folder `prefix` (the source prefix or one below it).
  func plan(_ prefix: String) async throws(PipelineError) -> Folder {
    let listing = try await listFolder(source.bucket, prefix)
    // A folder holding imgproc's bookkeeping is imgproc's outputs: none of it is read.
    if listing.folders.contains(prefix + RemoteKeys.bookkeeping) {
      let name = "s3://\(source.bucket)/\(prefix)"
      return Folder(events: [(prefix, .skipped(name: name, reason: .imgprocOutputs))])
    }
    let objects = listing.objects.filter { !$0.key.hasSuffix("/") }
    let events = await S3Listing.events(
      objects, bucket: source.bucket, prefix: source.folderPrefix, localOutput: false,
      sniffing: sniffContent ? client : nil)
    var folder = Folder(events: Array(zip(objects.map(\.key), events)), folders: listing.folders)
    let items = events.compactMap { event -> SourceItem? in
      if case .source(let item) = event { item } else { nil }
    }
    guard !items.isEmpty else { return folder }
    let (index, outputs) = try await destinationListing(of: prefix, items: items)
    let etags = Dictionary(objects.map { ($0.key, $0.etag) }) { first, _ in first }
    for position in folder.events.indices {
      guard case .source(var item) = folder.events[position].event else { continue }
      let etag = etags[item.origin.key] ?? ""
      log.remember(item, index: index, outputs: outputs)
      switch try await engine.state(of: item, version: etag) {
      case .done:
        log.forget(item)
        folder.events[position].event = .upToDate(name: item.name)
        await sweep(item, etag: etag, index: index)
      case .toConvert(let reason):
        // A dry run converts nothing: nothing will commit or forget it.
        if engine.configuration.dryRun { log.forget(item) }
        item.plannedAction = reason
        folder.events[position].event = .source(item)
      }
    }
    try engine.checkNames(folder.events.map(\.event))
    return folder
  }

  /// The manifests of the sources directly in `prefix` and the keys of the folders their
  /// outputs go to, listed at once; the output keys are also kept for the engine's `exists`.
  /// A folder there that is another sync's destination is refused.
  private func destinationListing(of prefix: String, items: [SourceItem])
    async throws(PipelineError) -> (ManifestIndex, ListedOutputs)
  {
    let relative = RemoteKeys.relative(prefix, to: source.folderPrefix)
    let manifestFolder =
      destination.folderPrefix + RemoteKeys.manifestFolder + RemoteKeys.sourceComponent(source)
      + "/" + relative
    let outputFolders = Set(
      items.map {
        RemoteKeys.split(engine.configuration.outputsPrefix(of: $0, in: store)).folder
      })
    let folders = [manifestFolder] + outputFolders.sorted()
    let listings = await withTaskGroup(of: (Int, Result<ListingPage, PipelineError>).self) {
      group in
      for (position, folder) in folders.enumerated() {
        group.addTask { (position, await self.listing(self.destination.bucket, folder)) }
      }
      var found = [Result<ListingPage, PipelineError>?](repeating: nil, count: folders.count)
      for await (position, listing) in group { found[position] = listing }
      return found
    }
    var pages: [ListingPage] = []
    for listing in listings {
      guard let listing else { continue }
      pages.append(try listing.get())
    }
    var keys: [String] = []
    for (folder, page) in zip(folders, pages).dropFirst() {
      try await DestinationOverlap.checkNested(
        destination, folder: folder, subfolders: page.folders, client: client)
      let listedKeys = page.objects.map(\.key)
      listed.remember(folder: folder, keys: Set(listedKeys))
      // Subfolders stand for what is in them: outputs named with `{hash}` in a folder.
      keys += listedKeys + page.folders
    }
    let index = ManifestIndex(
      listing: pages.first?.objects ?? [], destinationPrefix: destination.folderPrefix)
    return (index, ListedOutputs(keys))
  }

  /// Finishes a clean-up a failure left for an up-to-date source: its other manifests and
  /// the outputs only they list. A failure here is a warning; the next run tries again.
  private func sweep(_ item: SourceItem, etag: String, index: ManifestIndex) async {
    guard !engine.configuration.dryRun, index.manifests(of: item.relativeKey).count > 1,
      let current = index.manifest(item.relativeKey, etag: etag, settings: settings)
    else { return }
    do throws(PipelineError) {
      try await log.sweep(item.relativeKey, current: current, index: index)
    } catch {
      reporter.report(
        .warning(source: item.name, message: "earlier outputs not cleaned up: \(error)"))
    }
  }

  private func listFolder(_ bucket: String, _ prefix: String) async throws(PipelineError)
    -> ListingPage
  {
    try await listing(bucket, prefix).get()
  }

  private func listing(_ bucket: String, _ prefix: String) async
    -> Result<ListingPage, PipelineError>
  {
    do throws(S3Error) {
      return .success(try await client.listFolder(bucket: bucket, prefix: prefix))
    } catch {
      return .failure(PipelineError(error, while: "listing"))
    }
  }
}
