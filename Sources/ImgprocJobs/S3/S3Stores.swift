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
  /// The keys under `prefix` when the run started (s3-sync lists them anyway): `exists`
  /// answers from it, without a request. Nil: a HEAD each.
  let listed: Set<String>?

  public init(
    client: S3Client, bucket: String, prefix: String, marksOutputs: Bool = false,
    listed: Set<String>? = nil
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
    if let listed { return listed.contains(destination) }
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
