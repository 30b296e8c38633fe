import Dispatch
import Foundation
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3

/// Handles one invocation: reads its event, converts the objects it names (the same work as
/// `s3-sync`, one object at a time, `ObjectSync`) and says what to answer.
///
/// A failure no retry can cure (undecodable, too large, gone, refused by the configuration)
/// is not retried: it is recorded under `<PROCESSED_PREFIX>.imgproc/failures/`
/// (`FailureRecords`), logged, and counted in the answer. What a retry may cure (throttling,
/// 5xx, a deadline too close), or a failure whose record could not be written, is handed
/// back:
///
/// - S3 notifications (direct, SNS, EventBridge): a response when every object is done, up
///   to date, not a source or recorded as failed (`"failed": N`); else an error typed by the
///   first failure, so Lambda retries the event (outputs already written are found by the
///   retry's manifest check) and, after its retries, sends it to the failure queue.
/// - SQS batches: a response listing the messages handed back in `batchItemFailures`, so
///   only they return to the queue (and to its dead-letter queue in the end).
/// - S3 Batch Operations: a result per task: `Succeeded`, `TemporaryFailure` (throttling,
///   5xx, a deadline too close: S3 runs the task again before the job ends) or
///   `PermanentFailure` (an undecodable image, an object or bucket that is not there: the
///   task is marked failed in the job's completion report, with its `resultString`). Every
///   task gets a result; `treatMissingKeysAs` (the code of a task left out of `results`) is
///   `PermanentFailure`, as in AWS's example (Amazon S3 User Guide, "Invoke AWS Lambda
///   function": response and result codes).
/// - `s3:TestEvent`: acknowledged. A malformed event is an error answer; the runtime goes on.
///
/// An object is not started with less than `minimumRemainingMilliseconds` left before the
/// deadline, nor when its work, estimated from its header (`TimeBudget`), would not end
/// before then: it fails as temporary (a fresh invocation could do it whole) or, when not
/// even a whole invocation could, as permanent — never cut off halfway.
public struct LambdaHandler: Sendable {
  public let configuration: LambdaConfiguration
  let client: S3Client
  /// The process's log: the runtime loop sets the request id of each invocation.
  public let log: InvocationLog
  /// The process's one engine, behind the same conversion as `s3-sync`'s.
  let sync: ObjectSync

  public init(configuration: LambdaConfiguration, client: S3Client) {
    self.configuration = configuration
    self.client = client
    log = InvocationLog(level: configuration.logLevel, metrics: configuration.metrics)
    sync = ObjectSync(
      sourcePrefix: configuration.uploadPrefix, destination: configuration.destination,
      configuration: configuration.engine, client: client, reporter: log)
  }

  /// What to send the Runtime API.
  public enum Answer: Sendable {
    case response([UInt8])
    case error(LambdaError)
  }

  public func handle(_ invocation: Invocation) async -> Answer {
    let event: LambdaEvent
    do throws(LambdaError) {
      event = try LambdaEvent.parse(invocation.body)
    } catch {
      log.log(
        .error, error.message, ["errorType": error.errorType, "bytes": invocation.body.count])
      return .error(error)
    }
    switch event {
    case .test:
      log.log(.info, "event", ["kind": "s3:TestEvent", "action": "acknowledged, nothing to do"])
      return .response(Self.json(["status": "ignored", "reason": "s3:TestEvent"]))
    case .objects(let objects, let ignored):
      log.log(.info, "event", ["kind": "notification", "objects": objects.count])
      for name in ignored { log.log(.info, "ignored: not an object creation", ["event": name]) }
      let results = await process(objects, invocation)
      if let failure = results.compactMap(\.failure).first {
        return .error(
          LambdaError(
            failure.code,
            "\(results.filter { $0.failure != nil }.count) of \(objects.count) objects failed; first: \(failure.message)",
            underlying: failure))
      }
      return .response(Self.json(Self.totals(results)))
    case .queue(let messages):
      log.log(.info, "event", ["kind": "sqs", "messages": messages.count])
      var failed: [String] = []
      for message in messages {
        switch message.objects {
        case .failure(let error):
          log.log(.error, error.message, ["messageId": message.messageId])
          failed.append(message.messageId)
        case .success(let objects):
          let results = await process(objects, invocation)
          if results.contains(where: { $0.failure != nil }) { failed.append(message.messageId) }
        }
      }
      return .response(
        Self.json(["batchItemFailures": failed.map { ["itemIdentifier": $0] }]))
    case .batch(let schema, let invocationId, let tasks):
      log.log(
        .info, "event", ["kind": "batch-operations", "schema": schema, "tasks": tasks.count])
      let results = await process(tasks.map(\.object), invocation)
      let answers: [[String: Any]] = zip(tasks, results).map { task, result in
        ["taskId": task.taskId, "resultCode": result.batchCode, "resultString": result.text]
      }
      return .response(
        Self.json([
          "invocationSchemaVersion": schema, "treatMissingKeysAs": "PermanentFailure",
          "invocationId": invocationId, "results": answers,
        ]))
    }
  }

  /// Converts `objects` one after another: the handler runs no concurrency of its own (the
  /// engine spreads one image's variants over the function's vCPUs), so one image at a time
  /// holds the function's memory (`LambdaConfiguration.maxPixels`).
  private func process(_ objects: [ObjectReference], _ invocation: Invocation) async
    -> [ObjectResult]
  {
    let context = ObjectContext(invocation: invocation, whole: invocation.remainingMilliseconds())
    var results: [ObjectResult] = []
    for object in objects { results.append(await process(object, context)) }
    return results
  }

  /// Converts one object unless the deadline is too close or it would retrigger the
  /// function, and logs what became of it, with its metrics.
  private func process(_ object: ObjectReference, _ context: ObjectContext) async -> ObjectResult {
    let start = DispatchTime.now()
    var result = await outcome(object, context)
    if case .failed(let error) = result, !error.isTransient {
      result = await record(object, error, context)
    }
    let ms = Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    var fields: [String: Any] = ["source": object.name, "status": result.status, "ms": ms]
    if let sequencer = object.sequencer { fields["sequencer"] = sequencer }
    if case .converted(let outputs, let bytesIn, let bytesOut) = result {
      fields["outputs"] = outputs
      fields["bytesIn"] = bytesIn
      fields["bytesOut"] = bytesOut
      log.metric {
        $0.object(converted: true, bytesIn: bytesIn, bytesOut: bytesOut, milliseconds: ms)
      }
    }
    if case .upToDate = result {
      log.metric { $0.object(converted: false, bytesIn: 0, bytesOut: 0, milliseconds: ms) }
    }
    if let failure = result.failure ?? result.recordedFailure {
      fields["errorType"] = failure.errorType
      fields["retryable"] = result.failure != nil
      if case .recorded(_, let key) = result { fields["record"] = key }
      log.log(.error, failure.message, fields)
      log.metric {
        $0.failure(errorType: failure.errorType, permanent: !failure.isTransient, milliseconds: ms)
      }
    } else {
      log.log(.info, result.text, fields)
    }
    return result
  }

  private func outcome(_ object: ObjectReference, _ context: ObjectContext) async -> ObjectResult {
    let source = configuration.source(bucket: object.bucket)
    let remaining = context.invocation.remainingMilliseconds()
    if let remaining, remaining < configuration.minimumRemainingMilliseconds {
      return .failed(
        LambdaError(
          .deadline,
          "\(object.name): \(remaining) ms left before the deadline, less than MIN_REMAINING_MS (\(configuration.minimumRemainingMilliseconds)); not started"
        ))
    }
    // Keys under the destination are refused by ObjectSync with their reason; only the others
    // could be an upload that would trigger the function again.
    if !configuration.destination.contains(bucket: object.bucket, key: object.key) {
      do throws(LambdaError) {
        try configuration.checkNoRetrigger(source)
      } catch {
        return .failed(error)
      }
    }
    let budget = remaining.map {
      configuration.timeBudget(remainingMilliseconds: $0, whole: context.whole ?? $0)
    }
    switch await sync.run(bucket: object.bucket, key: object.key, timeBudget: budget) {
    case .converted(let outcome):
      return .converted(
        outcome.outputsWritten, bytesIn: outcome.bytesIn, bytesOut: outcome.bytesOut)
    case .upToDate: return .upToDate
    case .skipped(let reason): return .skipped(reason)
    case .failed(let error): return .failed(LambdaError(error))
    }
  }

  /// `object`'s permanent failure, recorded; still a failure to hand back (retried, then in
  /// the failure queue) when the record cannot be written.
  private func record(
    _ object: ObjectReference, _ failure: LambdaError, _ context: ObjectContext
  ) async -> ObjectResult {
    let records = FailureRecords(client: client, destination: configuration.destination)
    do throws(S3Error) {
      let key = try await records.record(
        object, failure, requestId: context.invocation.requestId)
      return .recorded(failure, key: key)
    } catch {
      let code: LambdaError.Code =
        error.isRetryable
        ? .processing(type: "Runtime.S3Unavailable", transient: true) : failure.code
      return .failed(
        LambdaError(
          code, "\(failure.message); its failure record could not be written: \(error)",
          underlying: error))
    }
  }

  /// Counts for a notification's response.
  private static func totals(_ results: [ObjectResult]) -> [String: Any] {
    var counts: [String: Int] = ["converted": 0, "upToDate": 0, "skipped": 0, "failed": 0]
    for result in results {
      switch result {
      case .converted: counts["converted", default: 0] += 1
      case .upToDate: counts["upToDate", default: 0] += 1
      case .skipped: counts["skipped", default: 0] += 1
      case .recorded: counts["failed", default: 0] += 1
      case .failed: break
      }
    }
    return counts
  }

  static func json(_ object: [String: Any]) -> [UInt8] {
    let data = try? JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return Array(data ?? Data("{}".utf8))
  }
}

/// What an object's conversion needs to know of its invocation.
struct ObjectContext: Sendable {
  let invocation: Invocation
  /// Milliseconds the invocation had when it arrived.
  let whole: Int64?
}

/// What became of one object of an event.
enum ObjectResult: Sendable {
  case converted(_ outputs: Int, bytesIn: Int, bytesOut: Int)
  case upToDate
  case skipped(String)
  /// A failure handed back: a retry may cure it, or it could not be recorded.
  case failed(LambdaError)
  /// A failure no retry can cure, recorded under the failures folder at `key`.
  case recorded(LambdaError, key: String)

  /// The failure to hand back (an error answer, `batchItemFailures`), if any.
  var failure: LambdaError? {
    if case .failed(let error) = self { return error }
    return nil
  }

  /// The failure recorded instead of handed back, if any.
  var recordedFailure: LambdaError? {
    if case .recorded(let error, _) = self { return error }
    return nil
  }

  /// The log line's `status`.
  var status: String {
    switch self {
    case .converted: return "converted"
    case .upToDate: return "up-to-date"
    case .skipped: return "skipped"
    case .failed, .recorded: return "failed"
    }
  }

  /// The log line's message, and Batch Operations' `resultString`.
  var text: String {
    switch self {
    case .converted(let outputs, _, _): return "converted: \(outputs) outputs"
    case .upToDate: return "up to date: a manifest records this version"
    case .skipped(let reason): return "skipped: \(reason)"
    case .failed(let error): return error.message
    case .recorded(let error, let key): return "\(error.message) (recorded in \(key))"
    }
  }

  /// Batch Operations' `resultCode`.
  var batchCode: String {
    if recordedFailure != nil { return "PermanentFailure" }
    guard let failure else { return "Succeeded" }
    return failure.isTransient ? "TemporaryFailure" : "PermanentFailure"
  }
}
