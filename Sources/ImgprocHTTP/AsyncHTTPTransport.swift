import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `HTTPTransport` over AsyncHTTPClient (SwiftNIO): connection pooling and reuse, TLS, and
/// the request target sent exactly as given (no path normalisation).
public final class AsyncHTTPTransport: HTTPTransport {
  private let client: HTTPClient
  private let requestTimeout: Int64
  /// Responses larger than this are refused (an image source or output is far smaller).
  public static let maximumResponseBytes = 1 << 31

  /// - Parameters:
  ///   - connectTimeout: seconds to establish a connection (short for instance metadata,
  ///     whose address does not answer off EC2).
  ///   - readTimeout: seconds without a byte before a request fails.
  ///   - requestTimeout: seconds for a whole request and its response.
  public init(
    connectionsPerHost: Int = 16, connectTimeout: Int64 = 10, readTimeout: Int64 = 60,
    requestTimeout: Int64 = 300
  ) {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(
      idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
    configuration.timeout = .init(connect: .seconds(connectTimeout), read: .seconds(readTimeout))
    configuration.decompression = .disabled
    configuration.redirectConfiguration = .disallow
    // A refused connection fails the request at once: the caller's retries (bounded by
    // --max-attempts) decide, instead of retrying until the connect timeout.
    configuration.connectionPool.retryConnectionEstablishment = false
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    self.requestTimeout = requestTimeout
  }

  /// Closes the connections (also done when the transport is released).
  public func shutdown() async {
    try? await client.shutdown()
  }

  deinit {
    // AsyncHTTPClient insists on an explicit shutdown. Not the blocking one: the last
    // reference may be dropped on one of the client's own event-loop threads. A second
    // shutdown only reports an error, ignored here.
    client.shutdown(queue: .global()) { _ in }
  }

  public func send(_ request: HTTPRequestSpec) async throws(HTTPError) -> HTTPResponseData {
    var outgoing = HTTPClientRequest(
      url: request.url)
    outgoing.method = HTTPMethod(rawValue: request.method)
    for (name, value) in request.headers where name.lowercased() != "host" {
      outgoing.headers.add(name: name, value: value)
    }
    if !request.body.isEmpty || request.method == "PUT" || request.method == "POST" {
      outgoing.body = .bytes(ByteBuffer(bytes: request.body))
    }
    let response: HTTPClientResponse
    do {
      response = try await client.execute(outgoing, timeout: .seconds(requestTimeout))
    } catch {
      throw HTTPError(
        .connection, "cannot reach \(request.authority): \(Self.reason(error))",
        underlying: error)
    }
    let limit = min(request.maximumResponseBytes ?? .max, Self.maximumResponseBytes)
    do {
      let body = try await response.body.collect(upTo: limit)
      return HTTPResponseData(
        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
        body: Array(buffer: body))
    } catch let error as NIOTooManyBytesError {
      throw HTTPError(
        .responseTooLarge,
        "\(request.method) \(request.authority): response over \(limit) bytes",
        underlying: error)
    } catch {
      throw HTTPError(
        .connection, "\(request.method) \(request.authority): \(Self.reason(error))",
        underlying: error)
    }
  }

  /// A short reason: the system's words for the errno NIO carries somewhere inside `error`
  /// ("Connection refused"), else AsyncHTTPClient's own description.
  static func reason(_ error: any Error) -> String {
    if let code = errnoCode(in: error, depth: 0) { return String(cString: strerror(code)) }
    if let client = error as? HTTPClientError {
      switch client {
      case .connectTimeout: return "the connection timed out"
      case .readTimeout: return "no answer in time"
      case .deadlineExceeded: return "no complete answer in time"
      default: break
      }
    }
    return "\(error)"
  }

  /// The first `errnoCode` found in `value` or what it holds (NIO's `IOError`, also inside
  /// its connection errors), a few levels deep.
  private static func errnoCode(in value: Any, depth: Int) -> Int32? {
    guard depth < 5 else { return nil }
    for child in Mirror(reflecting: value).children {
      if child.label == "errnoCode" || child.label == "errno", let code = child.value as? Int32 {
        return code
      }
      if let code = errnoCode(in: child.value, depth: depth + 1) { return code }
    }
    return nil
  }
}
