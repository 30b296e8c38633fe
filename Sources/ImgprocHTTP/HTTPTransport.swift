import Foundation

/// One HTTP request, ready to send: the target (`path?query`) exactly as it was signed.
public struct HTTPRequestSpec: Sendable {
  public var method: String
  /// `http` or `https`.
  public var scheme: String
  /// A name or an IP address; an IPv6 address without its brackets (`::1`).
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
    self.init(
      method: method, scheme: scheme, host: host, port: port, target: target,
      headers: [("Host", Self.authority(host: host, port: port, scheme: scheme))], body: [])
  }

  /// `host:port` as URLs and the `Host` header write it: an IPv6 address in brackets
  /// (RFC 3986 3.2.2), the port left out when it is the scheme's default (unless
  /// `alwaysPort`).
  public static func authority(host: String, port: Int, scheme: String, alwaysPort: Bool = false)
    -> String
  {
    let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    let isDefault = (port == 80 && scheme == "http") || (port == 443 && scheme == "https")
    return isDefault && !alwaysPort ? name : "\(name):\(port)"
  }

  /// `host:port`, brackets around an IPv6 address.
  public var authority: String {
    Self.authority(host: host, port: port, scheme: scheme, alwaysPort: true)
  }

  /// `scheme://host:port/target`, for messages (never contains credentials).
  public var url: String { "\(scheme)://\(authority)\(target)" }
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
