import Foundation
import ImgprocConcurrency
import ImgprocPipeline
import ImgprocS3

/// What manifests record, from a LIST of them (a source folder's, or one source's): for
/// each source (by relative key), the versions converted (ETag and settings fingerprint) and
/// their manifest keys.
public struct ManifestIndex: Sendable {
  private var done: [String: [ManifestName]] = [:]

  /// Reads the manifest keys under `destinationPrefix` ("" or ending in `/`); other keys are
  /// left out.
  public init(listing: [S3Object], destinationPrefix: String) {
    for object in listing {
      guard let name = RemoteKeys.parseManifestKey(object.key, destination: destinationPrefix)
      else { continue }
      done[name.relative, default: []].append(name)
    }
  }

  /// Whether the source at `relative` is converted for this ETag with these settings.
  public func isDone(_ relative: String, etag: String, settings: String) -> Bool {
    manifest(relative, etag: etag, settings: settings) != nil
  }

  /// The manifest key recording that version, if any.
  func manifest(_ relative: String, etag: String, settings: String) -> String? {
    done[relative, default: []].first { $0.etag == etag && $0.settings == settings }?.key
  }

  /// What a conversion of the source at `relative` would be, for `--dry-run`.
  func plannedAction(_ relative: String, etag: String) -> String {
    let versions = done[relative, default: []]
    if versions.isEmpty { return "new: would convert" }
    if versions.contains(where: { $0.etag == etag }) { return "settings changed: would convert" }
    return "changed: would convert"
  }

  /// The manifest keys recorded for the source at `relative`.
  func manifests(of relative: String) -> [String] { done[relative, default: []].map(\.key) }

}

/// s3-sync's commit protocol: after a source's outputs, a small manifest listing them
/// (`RemoteKeys.manifestKey`). Its key alone says "done for this ETag and these settings",
/// so the next run decides from a LIST. When the source had an earlier version (or other
/// settings), the outputs only that version had and its manifest go after the new manifest
/// is written; what they listed is read first, so a failure to read it fails the source
/// with nothing changed, and a run killed at any moment leaves the old or the new version
/// committed, never neither.
///
/// What the manifests record comes from the planner, one LIST of a source folder's manifests
/// and one of its output folder (`remember`, s3-sync), or per source, looked up as it comes
/// (`lookUp`, Lambda: one log for the process, whatever bucket an event names). Either is
/// kept for a source until it is committed, fails or is found up to date.
final class ManifestLog: CommitLog {
  let client: S3Client
  /// The upload prefix sources are relative to; their bucket is their own.
  let sourcePrefix: String
  let bucket: String
  /// "" or ending in `/`.
  let destinationPrefix: String
  let settings: String
  /// What is known of sources not yet committed, failed or found up to date (guarded by its
  /// mutex): their manifests and, when the planner listed them, the keys where their outputs
  /// go.
  private let known = Locked<[SourceOrigin: Known]>([:])

  private struct Known: Sendable {
    var index: ManifestIndex
    /// Nil: the outputs are checked by one LIST of their prefix.
    var outputs: ListedOutputs?
  }

  init(
    client: S3Client, sourcePrefix: String, bucket: String, destinationPrefix: String,
    settings: String
  ) {
    self.client = client
    self.sourcePrefix = sourcePrefix
    self.bucket = bucket
    self.destinationPrefix = destinationPrefix
    self.settings = settings
  }

  /// What a planner listed for `item`: the manifests of its folder and the keys of its
  /// output folder. Kept until `item` is committed, fails or is forgotten.
  func remember(_ item: SourceItem, index: ManifestIndex, outputs: ListedOutputs) {
    known.withLock { $0[item.origin] = Known(index: index, outputs: outputs) }
  }

  /// The upload location `item` came from.
  func source(of item: SourceItem) -> S3Location {
    guard case .object(let bucket, _) = item.origin else {
      return S3Location(bucket: "", key: sourcePrefix)
    }
    return S3Location(bucket: bucket, key: sourcePrefix)
  }

  /// The manifests of `item` (every version and recipe of it): one LIST of their prefix,
  /// kept until the item is committed or fails.
  func lookUp(_ item: SourceItem) async throws(PipelineError) -> ManifestIndex {
    let found: ManifestIndex
    do throws(S3Error) {
      found = ManifestIndex(
        listing: try await client.list(
          bucket: bucket,
          prefix: destinationPrefix + RemoteKeys.manifestFolder
            + RemoteKeys.sourceComponent(source(of: item)) + "/" + item.relativeKey + "@"),
        destinationPrefix: destinationPrefix)
    } catch {
      throw PipelineError(error, while: "looking up its manifest")
    }
    known.withLock { $0[item.origin] = Known(index: found, outputs: nil) }
    return found
  }

  /// Done when a manifest records `item`'s `version` with these settings and its outputs are
  /// all still there (in the destination listing, or one LIST of their prefix): a deleted
  /// output is made again.
  func state(of item: SourceItem, version: String, outputs: StoredOutputs)
    async throws(PipelineError) -> CommitState
  {
    let index = try await index(for: item)
    guard index.isDone(item.relativeKey, etag: version, settings: settings) else {
      return .toConvert(reason: index.plannedAction(item.relativeKey, etag: version))
    }
    var listed = known.withLock { $0[item.origin]?.outputs }
    if listed == nil {
      do throws(S3Error) {
        listed = ListedOutputs(
          try await client.list(bucket: bucket, prefix: outputs.prefix(of: item)).map(\.key))
      } catch {
        throw PipelineError(error, while: "listing its outputs")
      }
    }
    guard let listed, outputs.listed(of: item, in: listed) else {
      return .toConvert(reason: "outputs missing: would convert")
    }
    return .done
  }

  private func index(for item: SourceItem) async throws(PipelineError) -> ManifestIndex {
    if let found = known.withLock({ $0[item.origin]?.index }) { return found }
    return try await lookUp(item)
  }

  func commit(_ record: CommitRecord) async throws(PipelineError) {
    defer { forget(record.item) }
    let etag = record.version ?? ""
    let relative = record.item.relativeKey
    let source = source(of: record.item)
    let manifestKey = RemoteKeys.manifestKey(
      destination: destinationPrefix, source: source, relative: relative, etag: etag,
      settings: settings)
    let stale = try await index(for: record.item).manifests(of: relative).filter {
      $0 != manifestKey
    }
    let staleOutputs = try await outputs(listedIn: stale)
    let manifest = Manifest(
      sourceBucket: source.bucket, sourceKey: record.item.origin.key, sourceETag: etag,
      recipe: record.recipe, settings: settings, outputs: record.outputs)
    do throws(S3Error) {
      try await client.put(
        bucket: bucket, key: manifestKey, body: manifest.json(), contentType: "application/json")
    } catch {
      throw PipelineError(error, while: "recording the manifest")
    }
    try await remove(stale, outputs: staleOutputs, keeping: record.outputs)
  }

  func recordFailure(_ item: SourceItem, content: SourceContent?, error: PipelineError) async {
    forget(item)
  }

  /// Drops what `remember` or `lookUp` kept of `item`.
  func forget(_ item: SourceItem) { known.withLock { $0[item.origin] = nil } }

  /// Finishes a clean-up a failure interrupted: for a source whose current version is
  /// committed as `current`, the other manifests `index` records and the outputs only they
  /// list.
  func sweep(_ relative: String, current: String, index: ManifestIndex)
    async throws(PipelineError)
  {
    let stale = index.manifests(of: relative).filter { $0 != current }
    let keep = try await outputs(listedIn: [current])
    try await remove(stale, outputs: try await outputs(listedIn: stale), keeping: keep)
  }

  /// Every output the manifests `keys` list; one that cannot be read is an error naming it.
  private func outputs(listedIn keys: [String]) async throws(PipelineError) -> [String] {
    var outputs: [String] = []
    for key in keys {
      let bytes: [UInt8]
      do throws(S3Error) {
        bytes = try await client.get(bucket: bucket, key: key).bytes
      } catch {
        throw PipelineError(error, while: "reading the manifest s3://\(bucket)/\(key)")
      }
      guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes)) else {
        throw PipelineError(
          .io, "the manifest s3://\(bucket)/\(key) is not imgproc's: its outputs are unknown",
          hint: "delete it to convert the source again; the outputs it lists stay")
      }
      outputs += manifest.outputs
    }
    return outputs
  }

  /// Deletes `outputs` but `keeping`, then the manifests `stale`.
  private func remove(_ stale: [String], outputs: [String], keeping: [String])
    async throws(PipelineError)
  {
    do throws(S3Error) {
      for output in Set(outputs).subtracting(keeping).sorted() {
        try await client.delete(bucket: bucket, key: output)
      }
      for key in stale { try await client.delete(bucket: bucket, key: key) }
    } catch {
      throw PipelineError(error, while: "removing the outputs of an earlier version")
    }
  }
}
