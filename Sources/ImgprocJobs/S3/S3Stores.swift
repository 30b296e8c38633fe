import ImgprocCodecs
import ImgprocPipeline
import ImgprocS3

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
/// An object appears whole or not at all.
public struct BucketStore: OutputStore {
  let client: S3Client
  public let bucket: String
  /// "" or ending in `/`.
  public let prefix: String

  public init(client: S3Client, bucket: String, prefix: String) {
    self.client = client
    self.bucket = bucket
    self.prefix = prefix
  }

  public func destination(folder: String, name: String) -> String { prefix + folder + name }

  public func display(_ destination: String) -> String { "s3://\(bucket)/\(destination)" }

  /// A HEAD. Any failure counts as absent: without read permission S3 answers 403 for a
  /// missing key, and the output is then simply written again.
  public func exists(_ destination: String) async -> Bool {
    ((try? await client.head(bucket: bucket, key: destination)) ?? nil) != nil
  }

  public func write(_ file: OutputFile, to destination: String) async throws(PipelineError) {
    do throws(S3Error) {
      try await client.put(
        bucket: bucket, key: destination, body: file.bytes, contentType: file.format.mediaType,
        metadata: file.metadata)
    } catch {
      throw PipelineError(error, while: "upload")
    }
  }
}
