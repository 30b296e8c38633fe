import Foundation
import ImgprocPipeline
import ImgprocS3

/// `imgproc s3-sync`: converts what is new or changed under a source prefix into a
/// destination prefix, resumably and idempotently.
///
/// What is done is decided without reading images: one LIST of the source prefix and one of
/// the destination's manifest folder, whose keys carry each source's relative key and ETag
/// (`RemoteKeys.manifestKey`). A source is processed when no manifest has its current ETag
/// (new or changed object). Its variants are uploaded first, then its manifest: the manifest
/// is the commit point, so a run killed at any moment is completed by the next one, which
/// overwrites any variants already uploaded with identical bytes under identical keys.
/// When a source changed, the outputs its previous version produced (listed in the stale
/// manifest) and the stale manifest are deleted after the new manifest is written.
public struct S3Sync: Sendable {
  public var source: S3Location
  public var destination: S3Location
  public var batch: RemoteBatch
  public var client: S3Client
  public var dryRun: Bool

  public init(
    source: S3Location, destination: S3Location, batch: RemoteBatch, client: S3Client, dryRun: Bool
  ) {
    self.source = source
    self.destination = destination
    self.batch = batch
    self.client = client
    self.dryRun = dryRun
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

  public func run(reporter: some ConvertReporter) async throws(PipelineError) -> ConvertSummary {
    let start = DispatchTime.now()
    try Self.checkDisjoint(source, destination)
    let sourcePrefix = source.folderPrefix
    let destinationPrefix = destination.folderPrefix
    let variantNames = batch.settings.recipe.variants.map(\.name)
    let listed: [S3Object]
    let manifests: [S3Object]
    do {
      listed = try await client.list(bucket: source.bucket, prefix: sourcePrefix)
      manifests = try await client.list(
        bucket: destination.bucket, prefix: destinationPrefix + RemoteKeys.manifestFolder)
    } catch {
      throw PipelineError(.io, "listing failed: \(error)")
    }
    var done: [String: [(etag: String, key: String)]] = [:]
    for object in manifests {
      guard
        let (relative, etag) = RemoteKeys.parseManifestKey(
          object.key, destination: destinationPrefix)
      else {
        continue
      }
      done[relative, default: []].append((etag, object.key))
    }
    var summary = ConvertSummary()
    var work: [RemoteSource] = []
    for object in listed {
      let relative = RemoteKeys.relative(object.key, to: sourcePrefix)
      if object.key.hasSuffix("/")
        || RemoteKeys.looksLikeOwnOutput(object.key, variants: variantNames)
      {
        continue
      }
      guard RemoteKeys.looksLikeImage(object.key) else {
        summary.ignored += 1
        reporter.report(.ignored(path: "s3://\(source.bucket)/\(object.key)"))
        continue
      }
      let name = "s3://\(source.bucket)/\(object.key)"
      if done[relative, default: []].contains(where: { $0.etag == object.etag }) {
        summary.upToDate += 1
        if dryRun { reporter.report(.planned(source: name, action: "up to date")) }
        continue
      }
      let (folder, file) = RemoteKeys.split(relative)
      work.append(
        RemoteSource(
          location: .object(bucket: source.bucket, key: object.key), folder: folder,
          base: RemoteKeys.base(of: file),
          size: object.size, relativeKey: relative))
      if dryRun {
        reporter.report(
          .planned(
            source: name,
            action: done[relative] == nil ? "new: would convert" : "changed: would convert"))
      }
    }
    summary.sources = work.count + summary.upToDate
    if !dryRun {
      let client = self.client
      let done = done
      let bucket = destination.bucket
      let recipe = batch.settings.recipe.name
      let processed = await batch.run(work, reporter: reporter) {
        (converted) async throws(PipelineError) in
        let etag = converted.etag ?? ""
        let relative = converted.source.relativeKey
        let manifestKey = RemoteKeys.manifestKey(
          destination: destinationPrefix, relative: relative, etag: etag)
        let sourceKey: String
        if case .object(_, let key) = converted.source.location {
          sourceKey = key
        } else {
          sourceKey = relative
        }
        let manifest = Manifest(
          sourceKey: sourceKey, sourceETag: etag, recipe: recipe, outputs: converted.outputs)
        do {
          try await client.put(
            bucket: bucket, key: manifestKey, body: manifest.json(), contentType: "application/json"
          )
          // A changed source: remove what the previous version produced, then its manifest.
          for stale in done[relative, default: []] where stale.key != manifestKey {
            let old = try? JSONDecoder().decode(
              Manifest.self, from: Data(try await client.get(bucket: bucket, key: stale.key).bytes))
            for output in old?.outputs ?? [] where !converted.outputs.contains(output) {
              try await client.delete(bucket: bucket, key: output)
            }
            try await client.delete(bucket: bucket, key: stale.key)
          }
        } catch {
          throw PipelineError(.io, "could not record the manifest: \(error)")
        }
      }
      summary.add(processed)
    }
    summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return summary
  }
}
