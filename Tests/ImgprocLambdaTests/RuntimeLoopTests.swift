import Foundation
import ImgprocS3
import Synchronization
import Testing

@testable import ImgprocLambda

/// A Runtime API in memory: hands out queued invocations, keeps the answers, and waits
/// (until its task is cancelled) when there is nothing left to hand out.
final class MemoryRuntimeClient: LambdaRuntimeClient {
  enum Answer: Equatable {
    case response(String)
    case error(type: String, message: String)
  }

  private let queue: Mutex<[Invocation]>
  private let given = Mutex<[(String, Answer)]>([])

  init(_ bodies: [String]) {
    queue = Mutex(
      bodies.enumerated().map { index, body in
        Invocation(
          requestId: "request-\(index)", deadlineMilliseconds: nil, functionArn: nil,
          traceId: nil, body: Array(body.utf8))
      })
  }

  var answers: [(String, Answer)] { given.withLock { $0 } }

  func next() async throws(LambdaError) -> Invocation {
    if let invocation = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
      return invocation
    }
    try? await Task.sleep(for: .seconds(3600))
    throw LambdaError(.runtimeAPI, "no more invocations")
  }

  func respond(_ id: String, _ body: [UInt8]) async throws(LambdaError) {
    given.withLock { $0.append((id, .response(String(decoding: body, as: UTF8.self)))) }
  }

  func fail(_ id: String, _ error: LambdaError) async throws(LambdaError) {
    given.withLock { $0.append((id, .error(type: error.errorType, message: error.message))) }
  }
}

@Suite("The Lambda loop in process, over an in-memory runtime client")
struct RuntimeLoopTests {
  /// A handler whose S3 client is never reached by these events (nothing listens there).
  static func handler() async throws -> LambdaHandler {
    let environment = [
      "PROCESSED_BUCKET": "processed", "UPLOAD_BUCKET": "uploads", "LOG_LEVEL": "critical",
      "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
      "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9",
    ]
    let configuration = try LambdaConfiguration(environment: environment)
    let client = try await S3Client.connect(S3ConnectionOptions(), environment: environment)
    return LambdaHandler(configuration: configuration, client: client)
  }

  static func notification(_ bucket: String, _ key: String) -> String {
    """
    {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
     "s3": {"bucket": {"name": "\(bucket)"}, "object": {"key": "\(key)", "size": 10}}}]}
    """
  }

  @Test("each invocation answered in order: a test event, a malformed body, a non-image key")
  func answersInOrder() async throws {
    let client = MemoryRuntimeClient([
      #"{"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "uploads"}"#,
      "not json",
      Self.notification("uploads", "notes/readme.txt"),
    ])
    let handler = try await Self.handler()
    let loop = Task { await LambdaRuntime.runLoop(client, handler) }
    while client.answers.count < 3 { try await Task.sleep(for: .milliseconds(5)) }
    loop.cancel()
    #expect(await loop.value == 0, "a stop ends the loop with status 0")
    let answers = client.answers
    #expect(answers.map(\.0) == ["request-0", "request-1", "request-2"])
    #expect(answers[0].1 == .response(#"{"reason":"s3:TestEvent","status":"ignored"}"#))
    guard case .error(let type, _) = answers[1].1 else {
      Issue.record("a malformed body is an error answer: \(answers[1].1)")
      return
    }
    #expect(type.hasPrefix("Runtime."), "\(type)")
    #expect(
      answers[2].1 == .response(#"{"converted":0,"failed":0,"skipped":1,"upToDate":0}"#),
      "a key without an image extension is skipped, with no request")
  }
}
