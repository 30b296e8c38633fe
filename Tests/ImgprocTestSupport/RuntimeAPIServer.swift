import Foundation

/// A local implementation of the AWS Lambda Runtime API contract
/// (`../shared/LAMBDA-RUNTIME.md`) over real HTTP on 127.0.0.1, for tests of a runtime:
/// events are queued with `invoke`, handed out by `GET /runtime/invocation/next` (a long
/// poll), and the runtime's answers (`/response`, `/error`, `/runtime/init/error`) are
/// collected and can be awaited. Wrong request ids get 400 `InvalidRequestID`, a second
/// answer too, an init error after the first `/next` 403, a response over 6 MiB 413.
///
/// One thread accepts, one thread serves each connection (keep-alive); all state is in
/// `state`, guarded by `condition`.
public final class RuntimeAPIServer: @unchecked Sendable {
  /// What the runtime answered to one invocation.
  public struct Answer: Sendable {
    /// `response`, `error` or `init-error`.
    public var kind: String
    public var body: [UInt8]
    /// `Lambda-Runtime-Function-Error-Type`, for errors.
    public var errorType: String?

    public var json: [String: Any]? {
      (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
  }

  private struct Pending {
    var id: String
    var body: [UInt8]
    var deadline: Int64
  }

  private struct State {
    var queue: [Pending] = []
    var open: Set<String> = []
    var answers: [String: Answer] = [:]
    var initError: Answer?
    var nextCalls = 0
    var firstNext: Date?
    var stopped = false
    var rejected: [String] = []
  }

  private let condition = NSCondition()
  private var state = State()
  private let listener: Int32
  public let port: Int

  public init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    listener = fd
    port = Int(UInt16(bigEndian: address.sin_port))
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  deinit { stop() }

  /// `AWS_LAMBDA_RUNTIME_API` for this server.
  public var address: String { "127.0.0.1:\(port)" }

  /// Queues an event; returns its request id. `deadlineIn` is the time the invocation gets.
  @discardableResult
  public func invoke(_ body: [UInt8], deadlineIn seconds: Double = 60) -> String {
    let id = UUID().uuidString.lowercased()
    let deadline = Int64((Date().timeIntervalSince1970 + seconds) * 1000)
    condition.lock()
    state.queue.append(Pending(id: id, body: body, deadline: deadline))
    condition.broadcast()
    condition.unlock()
    return id
  }

  /// Waits up to `timeout` seconds for the answer to `id`.
  public func answer(_ id: String, timeout: Double = 30) -> Answer? {
    wait(timeout) { $0.answers[id] }
  }

  /// Waits up to `timeout` seconds for an init error.
  public func initError(timeout: Double = 30) -> Answer? {
    wait(timeout) { $0.initError }
  }

  /// When the runtime first asked for an invocation.
  public func firstNext(timeout: Double = 30) -> Date? {
    wait(timeout) { $0.firstNext }
  }

  /// Requests refused as the contract says (`400 InvalidRequestID` …): a correct runtime
  /// causes none.
  public var rejected: [String] {
    condition.lock()
    defer { condition.unlock() }
    return state.rejected
  }

  public func stop() {
    condition.lock()
    let wasStopped = state.stopped
    state.stopped = true
    condition.broadcast()
    condition.unlock()
    if !wasStopped {
      shutdown(listener, Int32(SHUT_RDWR))
      close(listener)
    }
  }

  private func wait<T>(_ timeout: Double, _ found: (State) -> T?) -> T? {
    let limit = Date().addingTimeInterval(timeout)
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let value = found(state) { return value }
      if state.stopped || !condition.wait(until: limit) { return found(state) }
    }
  }

  private func acceptLoop() {
    while true {
      let connection = accept(listener, nil, nil)
      guard connection >= 0 else { return }
      let thread = Thread { [self] in serve(connection) }
      thread.start()
    }
  }

  /// Serves requests on one connection until it closes.
  private func serve(_ connection: Int32) {
    defer { close(connection) }
    var buffer: [UInt8] = []
    while let request = Self.readRequest(connection, &buffer) {
      let reply = handle(request)
      guard Self.write(reply, to: connection) else { return }
    }
  }

  private struct Request {
    var method: String
    var path: String
    var headers: [String: String]
    var body: [UInt8]
  }

  private struct Reply {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
  }

  private func handle(_ request: Request) -> Reply {
    let base = "/2018-06-01/runtime/"
    guard request.path.hasPrefix(base) else { return refuse(404, "UnknownPath", request.path) }
    let path = String(request.path.dropFirst(base.count))
    if request.method == "GET" && path == "invocation/next" { return next() }
    if request.method == "POST" && path == "init/error" {
      condition.lock()
      defer { condition.unlock() }
      guard state.nextCalls == 0, state.initError == nil else {
        return refuseLocked(403, "InvalidStateTransition", "init error after /next")
      }
      state.initError = Answer(
        kind: "init-error", body: request.body,
        errorType: request.headers["lambda-runtime-function-error-type"])
      condition.broadcast()
      return Reply(status: 202, body: Array(#"{"status":"OK"}"#.utf8))
    }
    let parts = path.split(separator: "/").map(String.init)
    guard request.method == "POST", parts.count == 3, parts[0] == "invocation",
      parts[2] == "response" || parts[2] == "error"
    else { return refuse(404, "UnknownPath", request.path) }
    let id = parts[1].removingPercentEncoding ?? parts[1]
    condition.lock()
    defer { condition.unlock() }
    guard state.open.contains(id) else {
      return refuseLocked(400, "InvalidRequestID", "unknown or answered request id \(id)")
    }
    if parts[2] == "response" && request.body.count > 6 * 1024 * 1024 {
      return refuseLocked(413, "RequestEntityTooLarge", "response over 6 MiB")
    }
    state.open.remove(id)
    state.answers[id] = Answer(
      kind: parts[2], body: request.body,
      errorType: request.headers["lambda-runtime-function-error-type"])
    condition.broadcast()
    return Reply(status: 202, body: Array(#"{"status":"OK"}"#.utf8))
  }

  /// Waits for an event (while the server runs) and hands it out.
  private func next() -> Reply {
    condition.lock()
    defer { condition.unlock() }
    state.nextCalls += 1
    if state.firstNext == nil {
      state.firstNext = Date()
      condition.broadcast()
    }
    while state.queue.isEmpty && !state.stopped { condition.wait() }
    guard !state.stopped else { return Reply(status: 500) }
    let event = state.queue.removeFirst()
    state.open.insert(event.id)
    return Reply(
      status: 200,
      headers: [
        ("Lambda-Runtime-Aws-Request-Id", event.id),
        ("Lambda-Runtime-Deadline-Ms", String(event.deadline)),
        (
          "Lambda-Runtime-Invoked-Function-Arn",
          "arn:aws:lambda:us-east-1:123456789012:function:imgproc"
        ),
        (
          "Lambda-Runtime-Trace-Id",
          "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
        ),
        ("Content-Type", "application/json"),
      ], body: event.body)
  }

  private func refuse(_ status: Int, _ type: String, _ message: String) -> Reply {
    condition.lock()
    defer { condition.unlock() }
    return refuseLocked(status, type, message)
  }

  private func refuseLocked(_ status: Int, _ type: String, _ message: String) -> Reply {
    state.rejected.append("\(status) \(type): \(message)")
    let body = try? JSONSerialization.data(withJSONObject: [
      "errorType": type, "errorMessage": message,
    ])
    return Reply(status: status, body: Array(body ?? Data()))
  }

  /// Reads one request (headers, then a `Content-Length` body); nil at the end.
  private static func readRequest(_ connection: Int32, _ buffer: inout [UInt8]) -> Request? {
    let separator: [UInt8] = [13, 10, 13, 10]
    var headerEnd: Int?
    while true {
      if buffer.count >= 4 {
        headerEnd = (0...(buffer.count - 4)).first { buffer[$0..<$0 + 4].elementsEqual(separator) }
      }
      if headerEnd != nil { break }
      guard fill(connection, &buffer) else { return nil }
    }
    guard let end = headerEnd else { return nil }
    let head = String(decoding: buffer[..<end], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ")
    guard requestLine.count >= 2 else { return nil }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
        .trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    buffer.removeFirst(end + 4)
    while buffer.count < length {
      guard fill(connection, &buffer) else { return nil }
    }
    let body = Array(buffer.prefix(length))
    buffer.removeFirst(length)
    return Request(
      method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
  }

  private static func fill(_ connection: Int32, _ buffer: inout [UInt8]) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
    guard count > 0 else { return false }
    buffer += chunk.prefix(count)
    return true
  }

  private static func write(_ reply: Reply, to connection: Int32) -> Bool {
    var text = "HTTP/1.1 \(reply.status) \(reply.status == 200 ? "OK" : "Status")\r\n"
    for (name, value) in reply.headers { text += "\(name): \(value)\r\n" }
    text += "Content-Length: \(reply.body.count)\r\n\r\n"
    var bytes = Array(text.utf8) + reply.body
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes {
        send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      guard written > 0 else { return false }
      bytes.removeFirst(written)
    }
    return true
  }
}
