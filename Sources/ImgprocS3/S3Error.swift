/// The one error type of `ImgprocS3`. It keeps S3's own code (`AccessDenied`, `SlowDown`…),
/// the bucket and key concerned, and the error that caused it, so callers can tell a
/// failure worth retrying (`isRetryable`) from a permanent one.
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
    /// The object is larger than the caller accepts (the download stopped there).
    case tooLarge
    /// A 2xx answer that cannot be trusted: a body that does not match its ETag, no ETag, an
    /// ETag other than the MD5 sent, a `200 OK` carrying an `<Error>` (`ResponseCheck`).
    case integrity
  }

  public var code: Code
  public var message: String
  /// Bucket and key the request was about, when there was one.
  public var bucket: String?
  public var key: String?
  /// What caused it: the transport's `HTTPError` for connection failures.
  public var underlying: (any Error)?

  public init(
    _ code: Code, _ message: String, bucket: String? = nil, key: String? = nil,
    underlying: (any Error)? = nil
  ) {
    self.code = code
    self.message = message
    self.bucket = bucket
    self.key = key
    self.underlying = underlying
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

  /// Whether the same request may succeed later: connection failures, damaged answers, 5xx,
  /// 429 and S3's throttling and timeout codes. Never other 4xx, credentials or malformed
  /// arguments.
  public var isRetryable: Bool {
    switch code {
    case .connection, .integrity: return true
    case .credentials, .invalidArgument, .invalidResponse, .tooLarge: return false
    case .service(let status, let code):
      return status >= 500 || status == 429
        || ["SlowDown", "RequestTimeout", "RequestTimeTooSkewed", "InternalError"].contains(code)
    }
  }

  /// Whether the credentials themselves were refused (unknown key, wrong secret, expired or
  /// invalid token): every request signed with them will fail the same way.
  public var isAuthenticationFailure: Bool {
    if code == .credentials { return true }
    return [
      "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken",
      "TokenRefreshRequired",
    ].contains(serviceCode ?? "")
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

  /// Equal when code, message, bucket and key are; the cause is not compared.
  public static func == (a: S3Error, b: S3Error) -> Bool {
    a.code == b.code && a.message == b.message && a.bucket == b.bucket && a.key == b.key
  }
}
