/// The one error type of `ImgprocS3`.
public struct S3Error: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Code: Sendable, Equatable {
    /// S3 answered with an error document (`code` holds S3's own code, e.g. `AccessDenied`).
    case service(status: Int, code: String)
    /// The connection failed (refused, reset, timed out) after every retry.
    case connection
    /// No credentials were found, or a provider failed.
    case credentials
    /// An `s3://` URL, endpoint or option is malformed.
    case invalidArgument
    /// S3 answered with something that is not what the operation expects.
    case invalidResponse
  }

  public var code: Code
  public var message: String
  /// Bucket and key the request was about, when there was one.
  public var bucket: String?
  public var key: String?

  public init(_ code: Code, _ message: String, bucket: String? = nil, key: String? = nil) {
    self.code = code
    self.message = message
    self.bucket = bucket
    self.key = key
  }

  /// S3's error code (`NoSuchKey`, `SlowDown`…), nil for other failures.
  public var serviceCode: String? {
    if case .service(_, let code) = code { return code }
    return nil
  }

  public var status: Int? {
    if case .service(let status, _) = code { return status }
    return nil
  }

  public var description: String {
    var text = message
    if let serviceCode { text = "\(serviceCode): \(message)" }
    switch (bucket, key) {
    case (let bucket?, let key?): text += " (s3://\(bucket)/\(key))"
    case (let bucket?, nil): text += " (bucket \(bucket))"
    default: break
    }
    return text
  }
}
