import Foundation

/// One HTTP request, ready to send: the target (`path?query`) exactly as it was signed.
public struct HTTPRequestSpec: Sendable {
  public var method: String
  /// `http` or `https`.
  public var scheme: String
  public var host: String
  public var port: Int
  /// The encoded path and query, sent verbatim.
  public var target: String
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]
  /// A longer response body fails with `HTTPError.responseTooLarge` (nil: the transport's own
  /// limit).
  public var maximumResponseBytes: Int?

  public init(
    method: String, scheme: String, host: String, port: Int, target: String,
    headers: [(name: String, value: String)], body: [UInt8]
  ) {
    self.method = method
    self.scheme = scheme
    self.host = host
    self.port = port
    self.target = target
    self.headers = headers
    self.body = body
  }

  /// A request for an absolute `http(s)://` URL, with its `Host` header; nil when `url` is
  /// not one. The path keeps its trailing slash and its percent-encoding.
  public init?(method: String, url text: String) {
    guard let url = URL(string: text), let host = url.host, let scheme = url.scheme else {
      return nil
    }
    let port = url.port ?? (scheme == "https" ? 443 : 80)
    // URL.path drops a trailing slash, which listing paths (instance metadata) need.
    let path = URLComponents(string: text)?.percentEncodedPath ?? url.path
    var target = path.isEmpty ? "/" : path
    if let query = url.query { target += "?" + query }
    let hostHeader =
      (port == 80 && scheme == "http") || (port == 443 && scheme == "https")
      ? host : "\(host):\(port)"
    self.init(
      method: method, scheme: scheme, host: host, port: port, target: target,
      headers: [("Host", hostHeader)], body: [])
  }

  /// `scheme://host:port/target`, for messages (never contains credentials).
  public var url: String { "\(scheme)://\(host):\(port)\(target)" }
}

/// An HTTP response, fully read.
public struct HTTPResponseData: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]

  public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The first header called `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}

/// Sends HTTP requests. The S3 client and the credential providers are written against this
/// protocol so that their logic can be exercised without a network; `AsyncHTTPTransport` is
/// the real one.
public protocol HTTPTransport: Sendable {
  /// Sends `request`; throws when no response arrives. Any status is a response.
  func send(_ request: HTTPRequestSpec) async throws(HTTPError) -> HTTPResponseData
}
