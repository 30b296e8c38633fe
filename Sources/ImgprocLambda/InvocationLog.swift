import Foundation
import ImgprocConcurrency
import ImgprocConsole
import ImgprocPipeline
import Logging

/// The runtime's log, one for the process: one JSON line per event, per output and per
/// failure on standard output (CloudWatch Logs keeps one log event per line, and Logs
/// Insights finds the fields), each with the request id of the invocation being handled
/// (`begin`), written by the command line's own swift-log handler (`StandardOutputLog`).
/// Lines below `level` are left out; the Embedded Metric Format lines of `metrics`, when
/// there are any, never are. The runtime handles one invocation at a time.
public final class InvocationLog: ConvertReporter {
  /// The logger, with the current request id in its metadata (guarded by its mutex).
  private let current: Locked<Logger>
  let metrics: EmbeddedMetrics?

  public init(level: Logger.Level, metrics: EmbeddedMetrics? = nil) {
    self.metrics = metrics
    current = Locked(StandardOutputLog.logger(level: level))
  }

  /// Lines from now on carry `requestId` (none when nil: between invocations).
  public func begin(_ requestId: String?) {
    current.withLock { $0[metadataKey: "requestId"] = requestId.map { .string($0) } }
  }

  /// The request id lines carry now.
  public var requestId: String? {
    current.withLock { $0[metadataKey: "requestId"] }.map { "\($0)" }
  }

  /// Writes a line: `message` and `fields` (text, integers, flags), with the level, time and
  /// request id.
  public func log(_ level: Logger.Level, _ message: String, _ fields: [String: Any] = [:]) {
    let logger = current.withLock { $0 }
    logger.log(level: level, "\(message)", metadata: fields.mapValues(Self.metadataValue))
  }

  /// Numbers and flags stay themselves (the handler writes them as JSON numbers and
  /// booleans); the rest is text.
  private static func metadataValue(_ value: Any) -> Logger.Metadata.Value {
    switch value {
    case let number as Int: return .stringConvertible(number)
    case let number as Int64: return .stringConvertible(Int(number))
    case let number as Double: return .stringConvertible(number)
    case let flag as Bool: return .stringConvertible(flag)
    default: return .string("\(value)")
    }
  }

  /// Writes an Embedded Metric Format line made by `make` from `metrics`, whatever the level.
  func metric(_ make: (EmbeddedMetrics) -> [String: Any]) {
    guard let metrics else { return }
    var object = make(metrics)
    if let requestId { object["requestId"] = requestId }
    StandardOutputLog.write(object)
  }

  public func report(_ event: ConvertEvent) {
    switch event {
    case .wrote(let source, let variant, let path, let format, let size, let bytes, _, let ms):
      log(
        .info, "output",
        [
          "source": source, "variant": variant, "output": path, "format": format.rawValue,
          "width": size.width, "height": size.height, "bytes": bytes, "ms": ms,
        ])
      metric { $0.output(variant: variant, milliseconds: ms, bytes: bytes) }
    case .upToDate(let source, let variant, let path):
      log(.debug, "up to date", ["source": source, "variant": variant, "output": path])
    case .warning(let source, let message):
      log(.warning, message, ["source": source])
    case .failed(let source, let error):
      // The handler logs each object's failure once, as an error with its type and record;
      // the engine's report of it is a detail.
      var fields: [String: Any] = [
        "source": source, "code": error.identifier, "retryable": error.isTransient,
      ]
      if let hint = error.hint { fields["hint"] = hint }
      log(.debug, error.message, fields)
    case .skipped(let path, let reason):
      log(.info, "skipped: \(reason.description)", ["source": path])
    case .planned, .otherVersion, .orphan, .watching: break
    case .finished(let source, _, let outcome, let seconds):
      log(
        .debug, "finished",
        [
          "source": source, "outputs": outcome.outputsWritten,
          "ms": Int((seconds * 1000).rounded()),
        ])
    }
  }
}
