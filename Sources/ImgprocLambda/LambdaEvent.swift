import Foundation

/// An object an event asks to process: its bucket and key (decoded), and what the event
/// says of its version.
public struct ObjectReference: Sendable, Equatable {
  public var bucket: String
  public var key: String
  /// The ETag the event saw, without quotes; nil when the source gives none.
  public var etag: String?
  /// S3's sequencer for this key (notifications only): a later event has a greater value.
  public var sequencer: String?
  /// The version id the event names, in a versioned bucket.
  public var versionId: String?

  public init(
    bucket: String, key: String, etag: String? = nil, sequencer: String? = nil,
    versionId: String? = nil
  ) {
    self.bucket = bucket
    self.key = key
    self.etag = etag
    self.sequencer = sequencer
    self.versionId = versionId
  }

  /// `s3://bucket/key`.
  public var name: String { "s3://\(bucket)/\(key)" }
}

/// One message of an SQS batch: its id (what `batchItemFailures` names) and the objects in
/// its body, or why the body could not be read.
public struct QueueMessage: Sendable {
  public var messageId: String
  public var objects: Result<[ObjectReference], LambdaError>
}

/// One task of an S3 Batch Operations job.
public struct BatchTask: Sendable {
  public var taskId: String
  public var object: ObjectReference
}

/// What an invocation's body asks for, whatever delivered it.
public enum LambdaEvent: Sendable {
  /// S3 notifications, directly or through SNS or EventBridge: objects to process, and the
  /// records that are not object creations (ignored with a line).
  case objects([ObjectReference], ignored: [String])
  /// An SQS batch: failures are reported per message.
  case queue([QueueMessage])
  /// S3 Batch Operations (`invocationSchemaVersion` 1.0 or 2.0): results per task.
  case batch(schema: String, invocationId: String, tasks: [BatchTask])
  /// `s3:TestEvent`, sent when a notification is configured: acknowledged, nothing done.
  case test

  /// Reads an invocation's body. Throws `.malformedEvent` naming what is missing.
  public static func parse(_ body: [UInt8]) throws(LambdaError) -> LambdaEvent {
    guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    else {
      throw LambdaError(.malformedEvent, "the event is not a JSON object")
    }
    if root["Event"] as? String == "s3:TestEvent" { return .test }
    if let version = root["invocationSchemaVersion"] as? String {
      return try batch(root, schema: version)
    }
    if let records = root["Records"] as? [[String: Any]],
      records.first.map({ source(of: $0) == "aws:sqs" }) == true
    {
      return .queue(
        records.enumerated().map { index, record in
          let id = record["messageId"] as? String ?? "#\(index)"
          let body = (record["body"] as? String).map { Array($0.utf8) } ?? []
          return QueueMessage(
            messageId: id,
            objects: Result(catching: { () throws(LambdaError) -> [ObjectReference] in
              try LambdaEvent.objects(in: body)
            }))
        })
    }
    let (objects, ignored) = try notifications(root)
    return .objects(objects, ignored: ignored)
  }

  /// The objects a message body names (an S3 notification, possibly in an SNS envelope or
  /// as EventBridge delivers it); a test event names none.
  static func objects(in body: [UInt8]) throws(LambdaError) -> [ObjectReference] {
    guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    else {
      throw LambdaError(.malformedEvent, "the message body is not a JSON object")
    }
    if root["Event"] as? String == "s3:TestEvent" { return [] }
    return try notifications(root).objects
  }

  /// S3 notification records (directly, in SNS envelopes, nested) or an EventBridge event.
  private static func notifications(_ root: [String: Any]) throws(LambdaError) -> (
    objects: [ObjectReference], ignored: [String]
  ) {
    if root["detail-type"] != nil { return try eventBridge(root) }
    guard let records = root["Records"] as? [[String: Any]] else {
      throw LambdaError(
        .malformedEvent,
        "the event has neither Records (S3, SNS, SQS), detail-type (EventBridge) nor tasks (Batch Operations)"
      )
    }
    var objects: [ObjectReference] = []
    var ignored: [String] = []
    for record in records {
      switch source(of: record) {
      case "aws:sns":
        let message = ((record["Sns"] as? [String: Any])?["Message"] as? String) ?? ""
        objects += try self.objects(in: Array(message.utf8))
      case "aws:s3":
        guard let name = record["eventName"] as? String else {
          throw LambdaError(.malformedEvent, "an S3 record without eventName")
        }
        guard name.hasPrefix("ObjectCreated:") else {
          ignored.append(name)
          continue
        }
        objects.append(try s3Record(record))
      default:
        throw LambdaError(
          .malformedEvent, "a record from '\(source(of: record) ?? "nowhere")', not S3 or SNS")
      }
    }
    return (objects, ignored)
  }

  /// `eventSource` (S3, SQS) or `EventSource` (SNS).
  private static func source(of record: [String: Any]) -> String? {
    (record["eventSource"] ?? record["EventSource"]) as? String
  }

  /// An S3 notification record; its key is form-encoded (`+` is a space, then `%XX`).
  private static func s3Record(_ record: [String: Any]) throws(LambdaError) -> ObjectReference {
    let s3 = record["s3"] as? [String: Any]
    let object = s3?["object"] as? [String: Any]
    guard let bucket = (s3?["bucket"] as? [String: Any])?["name"] as? String,
      let encoded = object?["key"] as? String
    else {
      throw LambdaError(.malformedEvent, "an S3 record without s3.bucket.name and s3.object.key")
    }
    guard let key = KeyDecoding.formDecoded(encoded) else {
      throw LambdaError(.malformedEvent, "the key '\(encoded)' has a malformed % escape")
    }
    return ObjectReference(
      bucket: bucket, key: key, etag: object?["eTag"] as? String,
      sequencer: object?["sequencer"] as? String, versionId: object?["versionId"] as? String)
  }

  /// An EventBridge "Object Created" event; its key is as stored (not encoded).
  private static func eventBridge(_ root: [String: Any]) throws(LambdaError) -> (
    objects: [ObjectReference], ignored: [String]
  ) {
    let type = root["detail-type"] as? String ?? ""
    guard type == "Object Created" else { return ([], [type]) }
    let detail = root["detail"] as? [String: Any]
    let object = detail?["object"] as? [String: Any]
    guard let bucket = (detail?["bucket"] as? [String: Any])?["name"] as? String,
      let key = object?["key"] as? String
    else {
      throw LambdaError(
        .malformedEvent, "an EventBridge event without detail.bucket.name and detail.object.key")
    }
    return (
      [
        ObjectReference(
          bucket: bucket, key: key, etag: object?["etag"] as? String,
          sequencer: object?["sequencer"] as? String, versionId: object?["version-id"] as? String)
      ], []
    )
  }

  /// An S3 Batch Operations invocation: schema 1.0 names buckets by ARN, 2.0 by name. Keys
  /// are URL-encoded and `+` is a plus, unlike in notifications: "keys from S3 Batch
  /// Operations are URL encoded", decoded in AWS's example with `urllib.parse.unquote`, not
  /// `unquote_plus` (Amazon S3 User Guide, "Invoke AWS Lambda function",
  /// https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-invoke-lambda.html).
  private static func batch(_ root: [String: Any], schema: String) throws(LambdaError)
    -> LambdaEvent
  {
    guard schema == "1.0" || schema == "2.0" else {
      throw LambdaError(
        .malformedEvent, "Batch Operations schema \(schema): only 1.0 and 2.0 are known")
    }
    guard let invocationId = root["invocationId"] as? String,
      let tasks = root["tasks"] as? [[String: Any]]
    else {
      throw LambdaError(.malformedEvent, "a Batch Operations event without invocationId and tasks")
    }
    var parsed: [BatchTask] = []
    for task in tasks {
      let arn = task["s3BucketArn"] as? String
      let bucket =
        (task["s3Bucket"] as? String) ?? arn.map { String($0.split(separator: ":").last ?? "") }
      guard let taskId = task["taskId"] as? String, let bucket, !bucket.isEmpty,
        let encoded = task["s3Key"] as? String
      else {
        throw LambdaError(
          .malformedEvent, "a Batch Operations task without taskId, bucket or s3Key")
      }
      guard let key = encoded.removingPercentEncoding else {
        throw LambdaError(.malformedEvent, "the key '\(encoded)' has a malformed % escape")
      }
      let reference = ObjectReference(
        bucket: bucket, key: key, versionId: task["s3VersionId"] as? String)
      parsed.append(BatchTask(taskId: taskId, object: reference))
    }
    return .batch(schema: schema, invocationId: invocationId, tasks: parsed)
  }
}

/// How event sources encode keys.
enum KeyDecoding {
  /// S3 notifications: `application/x-www-form-urlencoded`, so `+` first becomes a space,
  /// then `%XX` escapes are decoded (`%2B` is a plus). Nil for a malformed escape.
  static func formDecoded(_ text: String) -> String? {
    text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
  }
}
