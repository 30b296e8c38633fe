import Foundation
import ImgprocHTTP

/// One invocation, as `GET /runtime/invocation/next` delivers it.
public struct Invocation: Sendable {
  public var requestId: String
  /// When the invocation must have answered, in milliseconds since the Unix epoch.
  public var deadlineMilliseconds: Int64?
  public var functionArn: String?
  public var traceId: String?
  public var body: [UInt8]

  /// Milliseconds left before the deadline (nil: no deadline given).
  public func remainingMilliseconds() -> Int64? {
    guard let deadlineMilliseconds else { return nil }
    return deadlineMilliseconds - Int64((Date().timeIntervalSince1970 * 1000).rounded())
  }
}

/// The Lambda Runtime API (`http://$AWS_LAMBDA_RUNTIME_API/2018-06-01`), as a custom runtime
/// uses it: fetch the next invocation, answer it (a response or an error), or report an
/// initialisation error. Every call is one HTTP request through `transport`.
/// What the runtime loop needs of Lambda's Runtime API: the next invocation, and its
/// answer, as swift-aws-lambda-runtime's `runLoop` takes a runtime client. `RuntimeAPI`
/// speaks it over HTTP; tests hand the loop one in memory.
public protocol LambdaRuntimeClient: Sendable {
  /// Waits for the next invocation.
  func next() async throws(LambdaError) -> Invocation
  /// Answers invocation `id` with `body` (JSON).
  func respond(_ id: String, _ body: [UInt8]) async throws(LambdaError)
  /// Answers invocation `id` with an error.
  func fail(_ id: String, _ error: LambdaError) async throws(LambdaError)
}

public struct RuntimeAPI: LambdaRuntimeClient {
  let host: String
  let port: Int
  let transport: any HTTPTransport

  /// `address` is `AWS_LAMBDA_RUNTIME_API`: `host:port`, no scheme.
  public init(address: String, transport: any HTTPTransport) throws(LambdaError) {
    guard let colon = address.lastIndex(of: ":"),
      let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port)
    else {
      throw LambdaError(
        .configuration, "AWS_LAMBDA_RUNTIME_API is '\(address)', not host:port")
    }
    var host = String(address[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    self.host = host
    self.port = port
    self.transport = transport
  }

  /// Waits for the next invocation (a long poll).
  public func next() async throws(LambdaError) -> Invocation {
    let response = try await send("GET", "/runtime/invocation/next")
    guard response.status == 200, let id = response.header("Lambda-Runtime-Aws-Request-Id"),
      !id.isEmpty
    else {
      throw LambdaError(
        .runtimeAPI, "GET /runtime/invocation/next answered \(response.status) without a request id"
      )
    }
    return Invocation(
      requestId: id,
      deadlineMilliseconds: response.header("Lambda-Runtime-Deadline-Ms").flatMap { Int64($0) },
      functionArn: response.header("Lambda-Runtime-Invoked-Function-Arn"),
      traceId: response.header("Lambda-Runtime-Trace-Id"), body: response.body)
  }

  /// Answers invocation `id` with `body` (JSON).
  public func respond(_ id: String, _ body: [UInt8]) async throws(LambdaError) {
    try await expectAccepted(
      send("POST", "/runtime/invocation/\(Self.escaped(id))/response", body: body))
  }

  /// Answers invocation `id` with an error.
  public func fail(_ id: String, _ error: LambdaError) async throws(LambdaError) {
    try await expectAccepted(
      send(
        "POST", "/runtime/invocation/\(Self.escaped(id))/error", body: Self.errorDocument(error),
        errorType: error.errorType))
  }

  /// Reports that the runtime cannot start; Lambda then stops it.
  public func initializationFailed(_ error: LambdaError) async throws(LambdaError) {
    try await expectAccepted(
      send(
        "POST", "/runtime/init/error", body: Self.errorDocument(error),
        errorType: error.errorType))
  }

  /// `{"errorMessage", "errorType", "stackTrace": []}`.
  static func errorDocument(_ error: LambdaError) -> [UInt8] {
    let object: [String: Any] = [
      "errorMessage": error.message, "errorType": error.errorType, "stackTrace": [String](),
    ]
    let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return Array(data ?? Data())
  }

  private func expectAccepted(_ response: HTTPResponseData) throws(LambdaError) {
    guard response.status == 202 else {
      let text = String(decoding: response.body.prefix(300), as: UTF8.self)
      throw LambdaError(.runtimeAPI, "the Runtime API answered \(response.status): \(text)")
    }
  }

  private func send(
    _ method: String, _ path: String, body: [UInt8] = [], errorType: String? = nil
  ) async throws(LambdaError) -> HTTPResponseData {
    let hostHeader = HTTPRequestSpec.authority(
      host: host, port: port, scheme: "http", alwaysPort: true)
    var headers: [(name: String, value: String)] = [("Host", hostHeader)]
    if !body.isEmpty || method == "POST" {
      headers.append(("Content-Type", "application/json"))
    }
    if let errorType { headers.append(("Lambda-Runtime-Function-Error-Type", errorType)) }
    let request = HTTPRequestSpec(
      method: method, scheme: "http", host: host, port: port, target: "/2018-06-01" + path,
      headers: headers, body: body)
    do throws(HTTPError) {
      return try await transport.send(request)
    } catch {
      throw LambdaError(.runtimeAPI, "the Runtime API: \(error)", underlying: error)
    }
  }

  /// A request id as a path component.
  private static func escaped(_ id: String) -> String {
    id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", "."])) ?? id
  }
}
