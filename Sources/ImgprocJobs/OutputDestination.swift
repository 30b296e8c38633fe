import ImgprocPipeline
import ImgprocS3

extension ConvertOutput {
  /// Whether outputs go to a bucket, and so need an S3 connection.
  public var isBucket: Bool {
    if case .s3 = self { return true }
    return false
  }

  /// The store outputs go to: a folder, standard output, or a bucket prefix through `client`
  /// (marked as imgproc's outputs on the first write). The one factory of `convert` and
  /// `watch`.
  public func store(client: S3Client?) throws(PipelineError) -> any OutputStore {
    switch self {
    case .folder(let path): return FolderStore(root: path)
    case .standardOutput: return StandardOutputStore()
    case .s3(let location):
      guard let client else { throw PipelineError(.invalidConfiguration, "no S3 connection") }
      return BucketStore(
        client: client, bucket: location.bucket, prefix: location.folderPrefix, marksOutputs: true)
    }
  }
}

extension ConvertSummary {
  /// This summary with the requests `client` has made (unchanged without a client): what
  /// `--json`'s summary reports as `requests` and `retries`.
  public func withRequests(of client: S3Client?) -> ConvertSummary {
    guard let counts = client?.counts else { return self }
    var summary = self
    summary.requests = counts.requests
    summary.retries = counts.retries
    return summary
  }
}

/// Connecting as a job's options say, with S3's failures as the pipeline's, mapped by their
/// code (`PipelineError(_:while:)`): a malformed endpoint is a usage error, missing
/// credentials a credentials error, an unreachable metadata service a remote one.
public enum S3Connection {
  public static func connect(_ options: S3ConnectionOptions) async throws(PipelineError)
    -> S3Client
  {
    do throws(S3Error) {
      return try await S3Client.connect(options)
    } catch {
      throw PipelineError(error, while: nil)
    }
  }
}
