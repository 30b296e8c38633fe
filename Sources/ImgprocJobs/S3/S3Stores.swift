import ImgprocCodecs
import ImgprocConcurrency
import ImgprocPipeline
import ImgprocS3
import Synchronization

/// Reads objects through the S3 client (their ETag is the version), and local files and
/// standard input as `FileReader` does.
public struct ObjectReader: SourceReader {
  let client: S3Client
  let files = FileReader()

  public init(client: S3Client) { self.client = client }

  public func read(_ origin: SourceOrigin, maxBytes: Int) async throws(PipelineError)
    -> SourceContent
  {
    guard case .object(let bucket, let key) = origin else {
      return try await files.read(origin, maxBytes: maxBytes)
    }
    do throws(S3Error) {
      let (bytes, info) = try await client.get(bucket: bucket, key: key, maxBytes: maxBytes)
      return SourceContent(bytes: bytes, version: info.etag)
    } catch  where error.code == .tooLarge {
      throw FileIO.tooLarge(maxBytes)
    } catch {
      throw PipelineError(error, while: "download")
    }
  }
}

/// Outputs under a bucket prefix: one PUT each (multipart when large) with its content type
/// and provenance metadata (`x-amz-meta-source-key`, `-source-etag`, `-recipe`, `-variant`).
/// An object appears whole or not at all. With `marksOutputs`, the first write of a run
/// also puts `RemoteKeys.outputMarker` (s3-sync's manifests mark its prefixes already).
public struct BucketStore: OutputStore {
  let client: S3Client
  public let bucket: String
  /// "" or ending in `/`.
  public let prefix: String
  private let marker: OnceFlag?
  /// Keys of the folders s3-sync listed to plan: `exists` answers from them, without a
  /// request. Nil, or a folder not listed: a HEAD each.
  let listed: ListedFolders?

  init(
    client: S3Client, bucket: String, prefix: String, marksOutputs: Bool = false,
    listed: ListedFolders? = nil
  ) {
    self.client = client
    self.bucket = bucket
    self.prefix = prefix
    marker = marksOutputs ? OnceFlag() : nil
    self.listed = listed
  }

  public func destination(folder: String, name: String) -> String { prefix + folder + name }

  public func display(_ destination: String) -> String { "s3://\(bucket)/\(destination)" }

  /// From the listing when there is one, else a HEAD. Any failure counts as absent: without
  /// read permission S3 answers 403 for a missing key, and the output is then simply
  /// written again.
  public func exists(_ destination: String) async -> Bool {
    if let known = listed?.contains(destination) { return known }
    return ((try? await client.head(bucket: bucket, key: destination)) ?? nil) != nil
  }

  public func write(_ file: OutputFile, to destination: String) async throws(PipelineError) {
    do throws(S3Error) {
      if let marker, marker.claim() {
        try await client.put(
          bucket: bucket, key: RemoteKeys.outputMarker(prefix: prefix),
          body: Array("Outputs of imgproc: it never reads this prefix as input.\n".utf8),
          contentType: "text/plain")
      }
      try await client.put(
        bucket: bucket, key: destination, body: file.bytes, contentType: file.format.mediaType,
        metadata: file.metadata)
    } catch {
      throw PipelineError(error, while: "upload")
    }
  }

  /// One DELETE per output (S3 answers a missing key with success).
  public func remove(_ destinations: [String], of item: SourceItem) async throws(PipelineError) {
    do throws(S3Error) {
      for destination in destinations { try await client.delete(bucket: bucket, key: destination) }
    } catch {
      throw PipelineError(error, while: "deleting an output")
    }
  }
}

/// The keys of the destination folders listed most recently, up to `capacity` keys (the
/// oldest folders dropped first, the newest always kept; guarded by its mutex): what
/// s3-sync's planner listed, kept while the engine converts what it planned, so that memory
/// does not grow with the bucket.
final class ListedFolders: Sendable {
  let capacity: Int
  private let state = Locked((keys: [String: Set<String>](), order: [String](), count: 0))

  init(capacity: Int) { self.capacity = max(1, capacity) }

  /// Keeps `keys`, the listing of `folder` ("" or ending in `/`).
  func remember(folder: String, keys: Set<String>) {
    state.withLock { state in
      if let old = state.keys.updateValue(keys, forKey: folder) {
        state.count -= old.count
      } else {
        state.order.append(folder)
      }
      state.count += keys.count
      while state.count > capacity, state.order.count > 1 {
        let oldest = state.order.removeFirst()
        state.count -= state.keys.removeValue(forKey: oldest)?.count ?? 0
      }
    }
  }

  /// Whether `key` was listed; nil when its folder is not kept.
  func contains(_ key: String) -> Bool? {
    let folder = RemoteKeys.split(key).folder
    return state.withLock { $0.keys[folder]?.contains(key) }
  }
}

/// True for the first caller only (guarded by its mutex).
final class OnceFlag: Sendable {
  private let taken = Locked(false)

  func claim() -> Bool {
    taken.withLock { taken in
      defer { taken = true }
      return !taken
    }
  }
}
