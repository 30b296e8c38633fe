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
      let outcomes = await process(objects, invocation)
      let handedBack = outcomes.compactMap(\.handedBack)
      if let failure = handedBack.first {
        return .error(
          LambdaError(
            failure.code,
            "\(handedBack.count) of \(objects.count) objects failed; first: \(failure.message)",
            underlying: failure))
      }
      return .response(Self.json(Self.totals(outcomes, objects)))
    case .queue(let messages):
      log.log(.info, "event", ["kind": "sqs", "messages": messages.count])
      var failed: [String] = []
      for message in messages {
        switch message.objects {
        case .failure(let error):
          log.log(.error, error.message, ["messageId": message.messageId])
          failed.append(message.messageId)
        case .success(let objects):
          let outcomes = await process(objects, invocation)
          if outcomes.contains(where: { $0.handedBack != nil }) {
            failed.append(message.messageId)
          }
        }
      }
      return .response(
        Self.json(["batchItemFailures": failed.map { ["itemIdentifier": $0] }]))
    case .batch(let schema, let invocationId, let tasks):
      log.log(
        .info, "event", ["kind": "batch-operations", "schema": schema, "tasks": tasks.count])
      let outcomes = await process(tasks.map(\.object), invocation)
      let answers: [[String: Any]] = zip(tasks, outcomes).map { task, outcome in
        ["taskId": task.taskId, "resultCode": outcome.batchCode, "resultString": outcome.text]
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
    -> [SourceOutcome]
  {
    let context = ObjectContext(invocation: invocation, whole: invocation.remainingMilliseconds())
    var outcomes: [SourceOutcome] = []
    for object in objects { outcomes.append(await process(object, context)) }
    return outcomes
  }

  /// Converts one object unless the deadline is too close or it would retrigger the
  /// function, records a failure no retry can cure, and logs what became of the object,
  /// with its metrics.
  private func process(_ object: ObjectReference, _ context: ObjectContext) async
    -> SourceOutcome
  {
    let start = DispatchTime.now()
    var outcome = await convert(object, context)
    if let failure = outcome.failure, !failure.isTransient {
      outcome = await record(object, failure, context)
    }
    let ms = Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    var fields: [String: Any] = ["source": object.name, "status": outcome.status, "ms": ms]
    if let sequencer = object.sequencer { fields["sequencer"] = sequencer }
    if let failure = outcome.failure.map(LambdaError.init) {
      fields["errorType"] = failure.errorType
      fields["retryable"] = outcome.failureRecord == nil
      if let key = outcome.failureRecord { fields["record"] = key }
      log.log(.error, failure.message, fields)
      log.metric {
        $0.failure(errorType: failure.errorType, permanent: !failure.isTransient, milliseconds: ms)
      }
      return outcome
    }
    if outcome.skipped == nil {
      if !outcome.upToDate {
        fields["outputs"] = outcome.outputsWritten
        fields["bytesIn"] = outcome.bytesIn
        fields["bytesOut"] = outcome.bytesOut
      }
      log.metric {
        $0.object(
          converted: !outcome.upToDate, bytesIn: outcome.bytesIn, bytesOut: outcome.bytesOut,
          milliseconds: ms)
      }
    }
    log.log(.info, outcome.text, fields)
    return outcome
  }

  private func convert(_ object: ObjectReference, _ context: ObjectContext) async
    -> SourceOutcome
  {
    let source = configuration.source(bucket: object.bucket)
    let remaining = context.invocation.remainingMilliseconds()
    if let remaining, remaining < configuration.minimumRemainingMilliseconds {
      return SourceOutcome(
        failure: PipelineError(
          .notEnoughTime(transient: true),
          "\(object.name): \(remaining) ms left before the deadline, less than MIN_REMAINING_MS (\(configuration.minimumRemainingMilliseconds)); not started"
        ))
    }
    // Keys under the destination are refused by ObjectSync with their reason; only the others
    // could be an upload that would trigger the function again.
    if !configuration.destination.contains(bucket: object.bucket, key: object.key) {
      do throws(LambdaError) {
        try configuration.checkNoRetrigger(source)
      } catch {
        // `LambdaError(_:)` gives back this error, typed `Runtime.WouldRetrigger`.
        return SourceOutcome(
          failure: PipelineError(.invalidConfiguration, error.message, underlying: error))
      }
    }
    let budget = remaining.map {
      configuration.timeBudget(remainingMilliseconds: $0, whole: context.whole ?? $0)
    }
    return await sync.run(bucket: object.bucket, key: object.key, timeBudget: budget)
  }

  /// `object`'s permanent failure, recorded; still a failure to hand back (retried, then in
  /// the failure queue) when the record cannot be written.
  private func record(
    _ object: ObjectReference, _ failure: PipelineError, _ context: ObjectContext
  ) async -> SourceOutcome {
    let records = FailureRecords(client: client, destination: configuration.destination)
    var outcome = SourceOutcome(failure: failure)
    do throws(S3Error) {
      outcome.failureRecord = try await records.record(
        object, LambdaError(failure), requestId: context.invocation.requestId)
    } catch {
      var unrecorded = failure
      unrecorded.message += "; its failure record could not be written: \(error)"
      unrecorded.underlying = error
      if error.isRetryable { unrecorded.code = .remote(service: nil, transient: true) }
      outcome.failure = unrecorded
    }
    return outcome
  }

  /// Counts for a notification's response (every failure in it recorded).
  private static func totals(_ outcomes: [SourceOutcome], _ objects: [ObjectReference])
    -> [String: Int]
  {
    var summary = ConvertSummary()
    for (outcome, object) in zip(outcomes, objects) { summary.add(outcome, source: object.name) }
    return [
      "converted": summary.converted, "upToDate": summary.upToDate,
      "skipped": summary.excluded, "failed": summary.failed,
    ]
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

extension SourceOutcome {
  /// The failure to hand back (an error answer, `batchItemFailures`): one not recorded, which
  /// a retry may cure or whose record could not be written.
  var handedBack: LambdaError? {
    guard failureRecord == nil else { return nil }
    return failure.map(LambdaError.init)
  }

  /// The log line's `status`.
  var status: String {
    if failed { return "failed" }
    if skipped != nil { return "skipped" }
    return upToDate ? "up-to-date" : "converted"
  }

  /// The log line's message, and Batch Operations' `resultString`.
  var text: String {
    if let failure = failure.map(LambdaError.init) {
      guard let failureRecord else { return failure.message }
      return "\(failure.message) (recorded in \(failureRecord))"
    }
    if let skipped { return "skipped: \(skipped)" }
    if upToDate { return "up to date: a manifest records this version" }
    return "converted: \(outputsWritten) outputs"
  }

  /// Batch Operations' `resultCode`.
  var batchCode: String {
    guard let failure else { return "Succeeded" }
    return failureRecord == nil && failure.isTransient ? "TemporaryFailure" : "PermanentFailure"
  }
}
