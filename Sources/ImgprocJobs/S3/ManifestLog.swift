import Foundation
import ImgprocPipeline
import ImgprocS3

/// What a destination's manifest folder records as done, from one LIST of it: for each
/// source (by relative key), the ETags converted and their manifest keys.
public struct ManifestIndex: Sendable {
  private var done: [String: [Entry]] = [:]

  struct Entry: Sendable {
    let etag: String
    let key: String
  }

  /// Reads the manifest keys under `destinationPrefix` ("" or ending in `/`); other keys are
  /// left out.
  public init(listing: [S3Object], destinationPrefix: String) {
    for object in listing {
      guard
        let (relative, etag) = RemoteKeys.parseManifestKey(
          object.key, destination: destinationPrefix)
      else { continue }
      done[relative, default: []].append(Entry(etag: etag, key: object.key))
    }
  }

  /// Whether the source at `relative` is converted for this ETag.
  public func isDone(_ relative: String, etag: String) -> Bool {
    done[relative, default: []].contains { $0.etag == etag }
  }

  /// Whether an earlier version of the source at `relative` was converted.
  public func hasAnyVersion(_ relative: String) -> Bool { done[relative] != nil }

  /// The manifest keys recorded for the source at `relative`.
  func manifests(of relative: String) -> [String] { done[relative, default: []].map(\.key) }
}

/// s3-sync's commit protocol: after a source's outputs, a small manifest at
/// `DEST/.imgproc/manifests/<relative key>@<ETag>.json` listing them. Its key alone says
/// "done for this ETag", so the next run decides from a LIST. When the source had an earlier
/// version, the outputs only that version had and its manifest are deleted after the new
/// manifest is written, so a run killed at any moment leaves either the old or the new
/// version committed.
struct ManifestLog: CommitLog {
  let client: S3Client
  let bucket: String
  /// "" or ending in `/`.
  let destinationPrefix: String
  let index: ManifestIndex

  func commit(_ record: CommitRecord) async throws(PipelineError) {
    let etag = record.version ?? ""
    let relative = record.item.relativeKey
    let manifestKey = RemoteKeys.manifestKey(
      destination: destinationPrefix, relative: relative, etag: etag)
    let manifest = Manifest(
      sourceKey: record.item.origin.key, sourceETag: etag, recipe: record.recipe,
      outputs: record.outputs)
    do throws(S3Error) {
      try await client.put(
        bucket: bucket, key: manifestKey, body: manifest.json(), contentType: "application/json")
      for stale in index.manifests(of: relative) where stale != manifestKey {
        let old = try? JSONDecoder().decode(
          Manifest.self, from: Data(try await client.get(bucket: bucket, key: stale).bytes))
        for output in old?.outputs ?? [] where !record.outputs.contains(output) {
          try await client.delete(bucket: bucket, key: output)
        }
        try await client.delete(bucket: bucket, key: stale)
      }
    } catch {
      throw PipelineError(error, while: "recording the manifest")
    }
  }
}
