import Foundation
import ImgprocCodecs
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3
import ImgprocTestSupport
import Testing

/// `imgproc lambda` (the built binary) against a local Runtime API over real HTTP and the
/// real S3 server.
final class LambdaProcess {
  let api: RuntimeAPIServer
  let process: Process
  let logFile: URL

  init(_ variables: [String: String], endpoint: String? = nil) throws {
    api = try RuntimeAPIServer()
    logFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lambda-\(UUID().uuidString).log")
    var environment = S3TestServer.binaryEnvironment()
    environment["AWS_LAMBDA_RUNTIME_API"] = api.address
    environment["AWS_ENDPOINT_URL_S3"] = try #require(endpoint ?? S3TestServer.endpoint)
    environment["AWS_REGION"] = "us-east-1"
    environment["AWS_MAX_ATTEMPTS"] = "2"
    environment["AWS_LAMBDA_FUNCTION_NAME"] = "imgproc"
    // Lambda hands out session credentials: every request signs x-amz-security-token.
    environment["AWS_SESSION_TOKEN"] = "FwoGZXIvYXdzEXAMPLEsessiontoken"
    for (name, value) in variables { environment[name] = value }
    process = try CLIRunner.start(["lambda"], environment: environment, output: logFile)
  }

  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    api.stop()
    try? FileManager.default.removeItem(at: logFile)
  }

  /// Queues `event` and waits for the runtime's answer.
  func invoke(_ event: String, deadlineIn seconds: Double = 60) -> (
    id: String, answer: RuntimeAPIServer.Answer?
  ) {
    let id = api.invoke(Array(event.utf8), deadlineIn: seconds)
    return (id, api.answer(id, timeout: 60))
  }

  /// The JSON lines logged so far.
  var lines: [[String: Any]] {
    CLIRunner.events((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")
  }

  /// The error line logged for the object of request `id` (a failure: its message,
  /// `errorType` and, when recorded, `record`).
  func failureLine(_ id: String) -> [String: Any]? {
    lines.first { $0["requestId"] as? String == id && $0["level"] as? String == "error" }
  }

  /// SIGTERM, then the exit status.
  func stop() -> Int32 {
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    return process.terminationStatus
  }
}

/// Event bodies as AWS delivers them.
enum Events {
  /// A key as S3 notifications encode it: form-encoded (space → `+`).
  static func formEncoded(_ key: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.*/ ")
    return (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)
      .replacingOccurrences(of: " ", with: "+")
  }

  static func s3(_ bucket: String, _ key: String, sequencer: String = "0A") -> String {
    json([
      "Records": [
        [
          "eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
          "s3": [
            "bucket": ["name": bucket],
            "object": ["key": formEncoded(key), "size": 100, "sequencer": sequencer],
          ],
        ]
      ]
    ])
  }

  static func sqs(_ messages: [(id: String, body: String)]) -> String {
    json([
      "Records": messages.map {
        ["eventSource": "aws:sqs", "messageId": $0.id, "body": $0.body] as [String: Any]
      }
    ])
  }

  static func sns(_ message: String) -> String {
    json(["Records": [["EventSource": "aws:sns", "Sns": ["Message": message]]]])
  }

  static func eventBridge(_ bucket: String, _ key: String) -> String {
    json([
      "version": "0", "detail-type": "Object Created", "source": "aws.s3",
      "detail": ["bucket": ["name": bucket], "object": ["key": key, "size": 100]],
    ])
  }

  static func batch(_ schema: String, _ bucket: String, _ keys: [String]) -> String {
    let tasks = keys.enumerated().map { index, key -> [String: Any] in
      var task: [String: Any] = [
        "taskId": "t\(index)",
        "s3Key": key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key,
        "s3VersionId": NSNull(),
      ]
      if schema == "1.0" {
        task["s3BucketArn"] = "arn:aws:s3:::\(bucket)"
      } else {
        task["s3Bucket"] = bucket
      }
      return task
    }
    var job: [String: Any] = ["id": "job-1"]
    if schema == "2.0" { job["userArguments"] = ["k": "v"] }
    return json([
      "invocationSchemaVersion": schema, "invocationId": "inv-\(schema)", "job": job,
      "tasks": tasks,
    ])
  }

  static func json(_ object: Any) -> String {
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}

@Suite(
  "imgproc lambda: a local Runtime API, the real S3 server", .enabled(if: S3TestServer.available),
  .serialized)
struct LambdaRuntimeTests {
  /// Two buckets with a few photos and one file that is not an image.
  static func buckets() async throws -> (S3Client, upload: String, processed: String) {
    let client = try S3TestServer.client()
    let upload = try await S3TestServer.bucket(client)
    let processed = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(
      client, upload, ["photos/my cat+1.jpg", "b.jpg", "c.png", "d.jpg"])
    try await client.put(
      bucket: upload, key: "bad.jpg", body: Array("not an image at all".utf8),
      contentType: "image/jpeg")
    return (client, upload, processed)
  }

  static func variables(_ upload: String, _ processed: String) -> [String: String] {
    ["PROCESSED_BUCKET": processed, "UPLOAD_BUCKET": upload, "PROCESSED_PREFIX": "web/"]
  }

  @Test(
    "an S3 event: the variants s3-sync gives, same names and metadata; a duplicate does nothing")
  func endToEnd() async throws {
    let (client, upload, processed) = try await Self.buckets()
    let lambda = try LambdaProcess(Self.variables(upload, processed))
    let (id, answer) = lambda.invoke(Events.s3(upload, "photos/my cat+1.jpg"))
    #expect(answer?.kind == "response", "\(String(decoding: answer?.body ?? [], as: UTF8.self))")
    #expect(answer?.json?["converted"] as? Int == 1)
    let outputs = try await S3TestServer.keys(client, processed, "web/").filter {
      !$0.contains("/.imgproc/")
    }
    #expect(outputs.count == 5 && outputs.allSatisfy { $0.hasPrefix("web/photos/my cat+1_") })

    // The same object through s3-sync into another prefix: the same names and metadata.
    let (summary, _) = try await S3TestServer.sync(
      client, from: "s3://\(upload)/", to: "s3://\(processed)/sync/")
    #expect(summary.converted == 4 && summary.failed == 1)
    let synced = try await S3TestServer.keys(client, processed, "sync/photos/")
    #expect(
      synced.map { $0.dropFirst("sync/".count) } == outputs.map { $0.dropFirst("web/".count) })
    for (mine, theirs) in zip(outputs, synced) {
      let a = try #require(try await client.head(bucket: processed, key: mine))
      let b = try #require(try await client.head(bucket: processed, key: theirs))
      #expect(a.metadata == b.metadata && a.contentType == b.contentType && a.etag == b.etag)
    }

    // A duplicate delivery (and a late one with an older sequencer) changes nothing.
    let before = try await client.list(bucket: processed, prefix: "web/")
    let again = lambda.invoke(Events.s3(upload, "photos/my cat+1.jpg", sequencer: "09"))
    #expect(again.answer?.json?["upToDate"] as? Int == 1)
    let after = try await client.list(bucket: processed, prefix: "web/")
    #expect(after == before)
    // An output deleted since: the next event makes it again, though the manifest is there.
    let gone = try #require(outputs.first { $0.contains("_webp_") })
    try await client.delete(bucket: processed, key: gone)
    let remade = lambda.invoke(Events.s3(upload, "photos/my cat+1.jpg", sequencer: "0B"))
    #expect(remade.answer?.json?["converted"] as? Int == 1, "\(remade.answer?.json ?? [:])")
    #expect(
      try await client.list(bucket: processed, prefix: "web/").map(\.key) == before.map(\.key))

    let lines = lambda.lines
    #expect(
      lines.contains { $0["message"] as? String == "output" && $0["requestId"] as? String == id })
    #expect(
      lines.allSatisfy { [id, again.id, remade.id].contains($0["requestId"] as? String ?? "") },
      "the request id in every line: \(lines.filter { $0["requestId"] == nil })")
    #expect(lambda.stop() == 0)
    #expect(lambda.api.rejected.isEmpty, "\(lambda.api.rejected)")
  }

  @Test(
    "SQS: a throttled object's message is handed back, a bad image is recorded, not retried; SNS and EventBridge envelopes"
  )
  func envelopes() async throws {
    let (client, upload, processed) = try await Self.buckets()
    // Every request naming slow.jpg answers 503 SlowDown: a failure a retry may cure.
    try await S3TestServer.upload(client, upload, ["slow.jpg"])
    let proxy = try FaultProxy(
      upstream: try #require(S3TestServer.endpoint), pattern: "path=slow.jpg")
    let lambda = try LambdaProcess(Self.variables(upload, processed), endpoint: proxy.endpoint)
    let sqs = lambda.invoke(
      Events.sqs([
        ("m-good", Events.s3(upload, "b.jpg")), ("m-bad", Events.s3(upload, "bad.jpg")),
        ("m-slow", Events.s3(upload, "slow.jpg")),
        ("m-sns", Events.sns(Events.s3(upload, "c.png"))),
      ]))
    #expect(sqs.answer?.kind == "response")
    let failures = sqs.answer?.json?["batchItemFailures"] as? [[String: String]]
    #expect(failures == [["itemIdentifier": "m-slow"]], "\(String(describing: sqs.answer))")
    let bridge = lambda.invoke(Events.eventBridge(upload, "d.jpg"))
    #expect(bridge.answer?.json?["converted"] as? Int == 1)
    let keys = try await S3TestServer.keys(client, processed, "web/")
    for base in ["b", "c", "d"] {
      #expect(keys.filter { $0.hasPrefix("web/\(base)_") }.count == 5, "\(base): \(keys)")
    }
    #expect(!keys.contains { $0.hasPrefix("web/bad_") })
    // The bad image as a direct event: handled (no retry could cure it), counted, logged as
    // an error typed by its cause, and recorded under the failures folder.
    let direct = lambda.invoke(Events.s3(upload, "bad.jpg"))
    #expect(direct.answer?.kind == "response")
    #expect(direct.answer?.json?["failed"] as? Int == 1, "\(String(describing: direct.answer))")
    let errorLine = lambda.lines.first {
      $0["requestId"] as? String == direct.id && $0["level"] as? String == "error"
    }
    #expect((errorLine?["source"] as? String)?.hasSuffix("bad.jpg") == true)
    #expect(errorLine?["errorType"] as? String == "Runtime.ImageDecodeError")
    let recordKey = "web/.imgproc/failures/\(upload)/bad.jpg.json"
    #expect(errorLine?["record"] as? String == recordKey)
    let record =
      try JSONSerialization.jsonObject(
        with: Data(try await client.get(bucket: processed, key: recordKey).bytes)) as? [String: Any]
    #expect(record?["key"] as? String == "bad.jpg" && record?["bucket"] as? String == upload)
    #expect(record?["errorType"] as? String == "Runtime.ImageDecodeError")
    #expect((record?["reason"] as? String)?.isEmpty == false && record?["time"] != nil)
    #expect(record?["requestId"] as? String == direct.id)
    // The throttled object as a direct event: an error, so Lambda retries it.
    let slow = lambda.invoke(Events.s3(upload, "slow.jpg"))
    #expect(
      slow.answer?.kind == "error" && slow.answer?.errorType?.hasPrefix("Runtime.S3") == true,
      "\(String(describing: slow.answer))")
    #expect(slow.answer?.json?["errorMessage"] as? String != nil)
    #expect(lambda.stop() == 0)
  }

  @Test("Embedded Metric Format lines: per object, per output by variant, per failure by type")
  func metrics() async throws {
    let (_, upload, processed) = try await Self.buckets()
    var variables = Self.variables(upload, processed)
    variables["LOG_LEVEL"] = "error"  // metric lines are written whatever the level
    let lambda = try LambdaProcess(variables)
    let good = lambda.invoke(Events.s3(upload, "b.jpg"))
    let bad = lambda.invoke(Events.s3(upload, "bad.jpg"))
    #expect(bad.answer?.json?["failed"] as? Int == 1)
    let metrics = lambda.lines.filter { $0["_aws"] != nil }
    func declared(_ line: [String: Any]) -> [String] {
      let aws = line["_aws"] as? [String: Any]
      let sets = aws?["CloudWatchMetrics"] as? [[String: Any]]
      return (sets?.first?["Metrics"] as? [[String: String]])?.compactMap { $0["Name"] } ?? []
    }
    let object = metrics.first { $0["requestId"] as? String == good.id && $0["Images"] != nil }
    #expect(object?["Images"] as? Int == 1 && (object?["BytesIn"] as? Int ?? 0) > 0)
    #expect(
      (object?["BytesOut"] as? Int ?? 0) > 0 && object?["FunctionName"] as? String == "imgproc")
    #expect(declared(object ?? [:]) == ["Images", "BytesIn", "BytesOut", "ImageMilliseconds"])
    let outputs = metrics.filter { $0["requestId"] as? String == good.id && $0["Variant"] != nil }
    #expect(
      Set(outputs.compactMap { $0["Variant"] as? String })
        == ["compressed", "low", "webp", "png", "thumbnail"])
    #expect(outputs.allSatisfy { $0["EncodeMilliseconds"] is Int && $0["OutputBytes"] is Int })
    let failure = metrics.first { $0["requestId"] as? String == bad.id }
    #expect(failure?["PermanentFailures"] as? Int == 1 && failure?["Failures"] as? Int == 1)
    #expect(failure?["ErrorType"] as? String == "Runtime.ImageDecodeError")
    #expect(lambda.stop() == 0)
  }

  @Test("Batch Operations 1.0 and 2.0: Succeeded, PermanentFailure, TemporaryFailure")
  func batchOperations() async throws {
    let (client, upload, processed) = try await Self.buckets()
    // Every request naming slow.jpg answers 503 SlowDown: a temporary failure.
    try await S3TestServer.upload(client, upload, ["slow.jpg"])
    let proxy = try FaultProxy(
      upstream: try #require(S3TestServer.endpoint), pattern: "path=slow.jpg")
    let lambda = try LambdaProcess(Self.variables(upload, processed), endpoint: proxy.endpoint)
    for schema in ["1.0", "2.0"] {
      let batch = lambda.invoke(Events.batch(schema, upload, ["b.jpg", "bad.jpg", "slow.jpg"]))
      let json = try #require(batch.answer?.json, "schema \(schema)")
      #expect(json["invocationSchemaVersion"] as? String == schema)
      #expect(json["invocationId"] as? String == "inv-\(schema)")
      #expect(json["treatMissingKeysAs"] as? String == "PermanentFailure")
      let results = try #require(json["results"] as? [[String: String]])
      #expect(results.map { $0["taskId"] } == ["t0", "t1", "t2"])
      #expect(
        results.map { $0["resultCode"] } == ["Succeeded", "PermanentFailure", "TemporaryFailure"],
        "\(results)")
    }
    #expect(
      try await S3TestServer.keys(client, processed, "web/").filter { $0.hasPrefix("web/b_") }.count
        == 5)
    #expect(lambda.stop() == 0)
  }

  @Test("an event's objects are converted one after another: the handler runs no concurrency")
  func oneObjectAtATime() async throws {
    let (_, upload, processed) = try await Self.buckets()
    let lambda = try LambdaProcess(Self.variables(upload, processed))
    let keys = ["b.jpg", "c.png", "d.jpg"]
    let (_, answer) = lambda.invoke(Events.batch("2.0", upload, keys))
    let results = answer?.json?["results"] as? [[String: Any]] ?? []
    #expect(results.map { $0["resultCode"] as? String } == ["Succeeded", "Succeeded", "Succeeded"])
    // Every line about an object (its outputs, then its own line) comes before any line
    // about the next one.
    let order = lambda.lines.compactMap { line in
      keys.firstIndex { (line["source"] as? String)?.hasSuffix("/" + $0) == true }
    }
    #expect(order.count >= 3 * 6 && order == order.sorted(), "\(order)")
    #expect(lambda.stop() == 0)
  }

  @Test("a test event is acknowledged; a malformed body is an error and the loop goes on")
  func testAndMalformedEvents() async throws {
    let (_, upload, processed) = try await Self.buckets()
    let lambda = try LambdaProcess(Self.variables(upload, processed))
    let test = lambda.invoke(#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"x"}"#)
    #expect(test.answer?.kind == "response" && test.answer?.json?["status"] as? String == "ignored")
    for body in ["{not json", #"{"Records":[{"eventSource":"aws:dynamodb"}]}"#] {
      let bad = lambda.invoke(body)
      #expect(bad.answer?.kind == "error" && bad.answer?.errorType == "Runtime.MalformedEvent")
    }
    let good = lambda.invoke(Events.s3(upload, "b.jpg"))
    #expect(good.answer?.json?["converted"] as? Int == 1)
    // Its own outputs, were they to trigger it, are skipped.
    let output = try #require(
      try await S3TestServer.keys(S3TestServer.client(), processed, "web/").first {
        $0.hasPrefix("web/b_")
      })
    let own = lambda.invoke(Events.s3(processed, output))
    #expect(own.answer?.json?["skipped"] as? Int == 1, "\(String(describing: own.answer))")
    #expect(lambda.process.isRunning)
    #expect(lambda.stop() == 0)
  }

  @Test("an object or bucket that is not there is a failure with its reason, never a skip")
  func missingObjects() async throws {
    let (client, upload, processed) = try await Self.buckets()
    let lambda = try LambdaProcess(Self.variables(upload, processed))
    // No retry can cure them: handled, counted, logged with their type, recorded.
    let noBucket = lambda.invoke(Events.s3("s-nosuchbucket-\(upload)", "a.jpg"))
    #expect(noBucket.answer?.json?["failed"] as? Int == 1, "\(String(describing: noBucket.answer))")
    #expect(lambda.failureLine(noBucket.id)?["errorType"] as? String == "Runtime.S3NoSuchBucket")
    let noKey = lambda.invoke(Events.s3(upload, "deleted.jpg"))
    let noKeyLine = lambda.failureLine(noKey.id)
    #expect(noKeyLine?["errorType"] as? String == "Runtime.S3NoSuchKey")
    #expect((noKeyLine?["message"] as? String)?.contains("no such object") == true)
    #expect(
      try await Set(S3TestServer.keys(client, processed, "web/.imgproc/failures/")) == [
        "web/.imgproc/failures/\(upload)/deleted.jpg.json",
        "web/.imgproc/failures/s-nosuchbucket-\(upload)/a.jpg.json",
      ])
    let batch = lambda.invoke(Events.batch("2.0", upload, ["deleted.jpg", "b.jpg"]))
    let results = try #require(batch.answer?.json?["results"] as? [[String: String]])
    #expect(results.map { $0["resultCode"] } == ["PermanentFailure", "Succeeded"], "\(results)")
    #expect(results.first?["resultString"]?.contains("no such object") == true)
    #expect(
      try await S3TestServer.keys(client, processed, "web/").filter { $0.hasPrefix("web/b_") }.count
        == 5)
    #expect(lambda.stop() == 0)
  }

  @Test("uploads into the destination (PROCESSED_BUCKET is the upload bucket) fail, naming why")
  func uploadsUnderTheDestination() async throws {
    let (client, upload, _) = try await Self.buckets()
    let lambda = try LambdaProcess(["PROCESSED_BUCKET": upload])
    let event = lambda.invoke(Events.s3(upload, "b.jpg"))
    #expect(event.answer?.json?["failed"] as? Int == 1, "\(String(describing: event.answer))")
    let line = lambda.failureLine(event.id)
    #expect(line?["errorType"] as? String == "Runtime.ConfigurationError")
    let message = line?["message"] as? String ?? ""
    #expect(message.contains("under the destination") && message.contains("PROCESSED_PREFIX"))
    let batch = lambda.invoke(Events.batch("1.0", upload, ["b.jpg"]))
    let results = batch.answer?.json?["results"] as? [[String: String]]
    #expect(results?.first?["resultCode"] == "PermanentFailure")
    #expect(
      try await S3TestServer.keys(client, upload, "").filter { !$0.hasPrefix(".imgproc/") }.count
        == 5)
    #expect(lambda.stop() == 0)
  }

  @Test(
    "by default MAX_PIXELS is what the function's memory holds; work no invocation can finish is refused"
  )
  func memoryAndTimeBounds() async throws {
    let (client, upload, processed) = try await Self.buckets()
    let big = try Codecs.encode(
      Fixtures.noise(width: 3000, height: 1600), .jpeg(JPEGSettings(quality: 85)))
    try await client.put(bucket: upload, key: "big.jpg", body: big, contentType: "image/jpeg")
    // 128 MB: 0.07 of a vCPU, and memory for about 4 megapixels (one image at a time).
    var variables = Self.variables(upload, processed)
    variables["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128"
    let small = try LambdaProcess(variables)
    let tooLarge = small.invoke(Events.s3(upload, "big.jpg"))
    #expect(tooLarge.answer?.json?["failed"] as? Int == 1)
    let line = small.failureLine(tooLarge.id)
    #expect(line?["errorType"] as? String == "Runtime.ImageTooLarge")
    let message = line?["message"] as? String ?? ""
    #expect(message.contains("memory_size"), "\(message)")
    #expect(small.stop() == 0)
    // Allowed the pixels, its work (about 30 s at that share of a core) exceeds the whole
    // 3 s invocation: refused for good from its header, nothing written.
    variables["MAX_PIXELS"] = "100000000"
    variables["MIN_REMAINING_MS"] = "0"
    let slow = try LambdaProcess(variables)
    let batch = slow.invoke(Events.batch("2.0", upload, ["big.jpg"]), deadlineIn: 3)
    let results = try #require(batch.answer?.json?["results"] as? [[String: String]])
    #expect(results.first?["resultCode"] == "PermanentFailure", "\(results)")
    #expect(results.first?["resultString"]?.contains("estimated") == true, "\(results)")
    #expect(
      try await S3TestServer.keys(client, processed, "web/").filter { $0.hasPrefix("web/big_") }
        .isEmpty)
    #expect(slow.stop() == 0)
  }

  @Test("a deadline too close: not started, a temporary failure")
  func deadline() async throws {
    let (client, upload, processed) = try await Self.buckets()
    let lambda = try LambdaProcess(Self.variables(upload, processed))
    let late = lambda.invoke(Events.batch("1.0", upload, ["b.jpg"]), deadlineIn: 1)
    let results = late.answer?.json?["results"] as? [[String: String]]
    #expect(results?.first?["resultCode"] == "TemporaryFailure")
    #expect(results?.first?["resultString"]?.contains("MIN_REMAINING_MS") == true)
    #expect(try await S3TestServer.keys(client, processed, "web/").isEmpty)
    #expect(lambda.stop() == 0)
  }

  @Test("an init error for outputs that would trigger the function again")
  func loopingConfiguration() async throws {
    let (_, upload, _) = try await Self.buckets()
    let lambda = try LambdaProcess(["PROCESSED_BUCKET": upload, "UPLOAD_BUCKET": upload])
    let error = lambda.api.initError()
    #expect(error?.errorType == "Runtime.WouldRetrigger")
    #expect(
      (error?.json?["errorMessage"] as? String)?.contains("trigger the function again") == true)
    lambda.process.waitUntilExit()
    #expect(lambda.process.terminationStatus == 1)
    let missing = try LambdaProcess(["UPLOAD_BUCKET": upload])
    #expect(missing.api.initError()?.errorType == "Runtime.ConfigurationError")
  }

  @Test("an init error for a destination inside another sync's destination, naming both")
  func nestedDestination() async throws {
    let (client, upload, processed) = try await Self.buckets()
    _ = try await S3TestServer.sync(
      client, from: "s3://\(upload)/photos/", to: "s3://\(processed)/")
    let lambda = try LambdaProcess(Self.variables(upload, processed))
    let error = lambda.api.initError()
    #expect(error?.errorType == "Runtime.ConfigurationError")
    let message = error?.json?["errorMessage"] as? String ?? ""
    #expect(
      message.contains("s3://\(processed)/web/") && message.contains("s3://\(processed)/,"),
      "\(message)")
    lambda.process.waitUntilExit()
    #expect(lambda.process.terminationStatus == 1)
  }

  @Test("named bootstrap and given no arguments, the binary runs the Lambda loop")
  func bootstrapName() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bootstrap-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let bootstrap = folder.appendingPathComponent("bootstrap")
    try FileManager.default.createSymbolicLink(at: bootstrap, withDestinationURL: CLIRunner.binary)
    let process = Process()
    process.executableURL = bootstrap
    var environment = S3TestServer.binaryEnvironment()
    environment["AWS_LAMBDA_RUNTIME_API"] = nil
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(text.contains("AWS_LAMBDA_RUNTIME_API is not set"), "\(text)")
  }
}
