import Foundation
import Testing

@testable import ImgprocLambda

@Suite("Lambda events: every envelope, keys decoded as each source encodes them")
struct LambdaEventTests {
  static func notification(
    key: String, bucket: String = "upload", name: String = "ObjectCreated:Put"
  )
    -> String
  {
    """
    {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"\(name)",\
    "s3":{"bucket":{"name":"\(bucket)"},"object":{"key":"\(key)","size":12,"eTag":"abc",\
    "sequencer":"0055AED6DCD90281E5"}}}]}
    """
  }

  static func parse(_ text: String) throws -> LambdaEvent {
    try LambdaEvent.parse(Array(text.utf8))
  }

  @Test("an S3 notification: + is a space, then %XX; other event names are ignored")
  func notification() throws {
    let event = try Self.parse(Self.notification(key: "photos/my+cat%C3%A9+%2B1.jpg"))
    guard case .objects(let objects, let ignored) = event else {
      Issue.record("not objects: \(event)")
      return
    }
    #expect(
      objects == [
        ObjectReference(
          bucket: "upload", key: "photos/my caté +1.jpg", etag: "abc",
          sequencer: "0055AED6DCD90281E5")
      ])
    #expect(ignored.isEmpty)
    guard
      case .objects(let none, let removed) = try Self.parse(
        Self.notification(key: "a.jpg", name: "ObjectRemoved:Delete"))
    else { return }
    #expect(none.isEmpty && removed == ["ObjectRemoved:Delete"])
  }

  @Test("SQS bodies, SNS envelopes inside them, EventBridge")
  func envelopes() throws {
    let inner = Self.notification(key: "a+b.jpg")
    let sns = try String(
      decoding: JSONSerialization.data(withJSONObject: [
        "Records": [["EventSource": "aws:sns", "Sns": ["Message": inner]]]
      ]), as: UTF8.self)
    let sqs = try String(
      decoding: JSONSerialization.data(withJSONObject: [
        "Records": [
          ["eventSource": "aws:sqs", "messageId": "m1", "body": inner],
          ["eventSource": "aws:sqs", "messageId": "m2", "body": sns],
          ["eventSource": "aws:sqs", "messageId": "m3", "body": "not json"],
        ]
      ]), as: UTF8.self)
    guard case .queue(let messages) = try Self.parse(sqs) else {
      Issue.record("not a queue")
      return
    }
    #expect(messages.map(\.messageId) == ["m1", "m2", "m3"])
    #expect((try? messages[0].objects.get())?.map(\.key) == ["a b.jpg"])
    #expect((try? messages[1].objects.get())?.map(\.key) == ["a b.jpg"])
    #expect((try? messages[2].objects.get()) == nil)
    guard case .objects(let direct, _) = try Self.parse(sns) else { return }
    #expect(direct.map(\.key) == ["a b.jpg"])

    let bridge = """
      {"version":"0","detail-type":"Object Created","source":"aws.s3","detail":{"bucket":\
      {"name":"upload"},"object":{"key":"raw+name.jpg","etag":"e1","sequencer":"01"}}}
      """
    guard case .objects(let bridged, _) = try Self.parse(bridge) else { return }
    #expect(
      bridged == [
        ObjectReference(bucket: "upload", key: "raw+name.jpg", etag: "e1", sequencer: "01")
      ])
  }

  @Test("Batch Operations 1.0 (bucket ARN) and 2.0 (bucket name); keys percent-decoded")
  func batchOperations() throws {
    let one = """
      {"invocationSchemaVersion":"1.0","invocationId":"inv","job":{"id":"j"},"tasks":\
      [{"taskId":"t1","s3Key":"a%20b+c%2Bd%25e%C3%A9.jpg","s3VersionId":"1","s3BucketArn":"arn:aws:s3:::upload"}]}
      """
    guard case .batch(let schema, let id, let tasks) = try Self.parse(one) else {
      Issue.record("not a batch")
      return
    }
    #expect(schema == "1.0" && id == "inv")
    // AWS decodes them with `urllib.parse.unquote`, not `unquote_plus`: `+` stays a plus.
    #expect(
      tasks.map(\.object) == [
        ObjectReference(bucket: "upload", key: "a b+c+d%eé.jpg", versionId: "1")
      ])
    let two = """
      {"invocationSchemaVersion":"2.0","invocationId":"inv2","job":{"id":"j","userArguments":\
      {"k":"v"}},"tasks":[{"taskId":"t2","s3Key":"x.png","s3VersionId":null,"s3Bucket":"upload"}]}
      """
    guard case .batch("2.0", _, let tasks2) = try Self.parse(two) else {
      Issue.record("not a 2.0 batch")
      return
    }
    #expect(tasks2.map(\.object.key) == ["x.png"] && tasks2.map(\.taskId) == ["t2"])
    #expect(throws: LambdaError.self) {
      try Self.parse(#"{"invocationSchemaVersion":"3.0","invocationId":"i","tasks":[]}"#)
    }
  }

  @Test("a test event is recognised; malformed bodies are errors, not crashes")
  func testAndMalformed() throws {
    guard
      case .test = try Self.parse(#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}"#)
    else {
      Issue.record("not a test event")
      return
    }
    for body in [
      "", "[]", "{", #"{"Records":"x"}"#, #"{"Records":[{"eventSource":"aws:s3"}]}"#,
      #"{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"%zz"}}}]}"#,
      #"{"detail-type":"Object Created","detail":{}}"#,
    ] {
      #expect(throws: LambdaError.self, "\(body)") { try Self.parse(body) }
    }
  }
}
