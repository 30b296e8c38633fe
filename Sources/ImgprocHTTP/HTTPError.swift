/// The one error type of `ImgprocHTTP`: no response arrived. An HTTP error status is not an
/// `HTTPError`; it is a response, for the caller to interpret.
public struct HTTPError: Error, CustomStringConvertible, Sendable {
  public enum Code: Sendable, Equatable {
    /// Connecting, sending or receiving failed (refused, reset, timed out, TLS).
    case connection
    /// The response body was larger than the transport accepts.
    case responseTooLarge
  }

  public var code: Code
  public var message: String
  /// The transport's own error (AsyncHTTPClient's, NIO's), kept for whoever needs more than
  /// the message.
  public var underlying: (any Error)?

  public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  public var description: String { message }
}
