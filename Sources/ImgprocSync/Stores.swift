import ImgprocCodecs
import ImgprocPipeline
import ImgprocS3

/// A source image to convert, in a folder or a bucket.
public struct RemoteSource: Sendable {
  public enum Location: Sendable {
    case file(String)
    case object(bucket: String, key: String)
  }

  public var location: Location
  /// Where its outputs go below the output root ("" or a folder ending in `/`).
  public var folder: String
  /// `{base}` of its output names.
  public var base: String
  public var size: Int
  /// The relative key (S3 sources), for manifests.
  public var relativeKey: String

  /// How messages name it: the path, or `s3://bucket/key`.
  public var name: String {
    switch location {
    case .file(let path): return path
    case .object(let bucket, let key): return "s3://\(bucket)/\(key)"
    }
  }
}

/// Reads sources: local files, or objects through the S3 client.
public struct SourceReader: Sendable {
  let client: S3Client?

  public init(client: S3Client?) { self.client = client }

  /// The bytes and, for objects, the ETag of what was read.
  func read(_ source: RemoteSource) async throws(PipelineError) -> (bytes: [UInt8], etag: String?) {
    switch source.location {
    case .file(let path):
      return (try FileIO.read(path), nil)
    case .object(let bucket, let key):
      guard let client else { throw PipelineError(.io, "no S3 client for \(source.name)") }
      do {
        let (bytes, info) = try await client.get(bucket: bucket, key: key)
        return (bytes, info.etag)
      } catch {
        throw PipelineError(.io, "download failed: \(error)")
      }
    }
  }
}

/// Where outputs are written: a local folder (atomic rename) or a bucket prefix (PUT, with
/// metadata; multipart for large outputs).
public enum OutputStore: Sendable {
  case folder(String)
  case bucket(S3Client, bucket: String, prefix: String)

  /// The full path or key of output `name` in `folder` (relative, from `RemoteSource`).
  func destination(folder: String, name: String) -> String {
    switch self {
    case .folder(let root): return root + "/" + folder + name
    case .bucket(_, _, let prefix): return prefix + folder + name
    }
  }

  /// How messages name a destination.
  func display(_ destination: String) -> String {
    switch self {
    case .folder: return destination
    case .bucket(_, let bucket, _): return "s3://\(bucket)/\(destination)"
    }
  }

  func exists(_ destination: String) async -> Bool {
    switch self {
    case .folder: return FileIO.exists(destination)
    case .bucket(let client, let bucket, _):
      return ((try? await client.head(bucket: bucket, key: destination)) ?? nil) != nil
    }
  }

  func write(
    _ bytes: [UInt8], to destination: String, format: ImageFormat, metadata: [String: String]
  )
    async throws(PipelineError)
  {
    switch self {
    case .folder:
      try FileIO.writeAtomically(bytes, to: destination)
    case .bucket(let client, let bucket, _):
      do {
        try await client.put(
          bucket: bucket, key: destination, body: bytes, contentType: format.mediaType,
          metadata: metadata)
      } catch {
        throw PipelineError(.io, "upload failed: \(error)")
      }
    }
  }
}
