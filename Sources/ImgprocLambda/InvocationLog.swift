import Foundation
import ImgprocConcurrency
import ImgprocConsole
import ImgprocPipeline
import Synchronization

/// The runtime's log: one JSON line per event, per output and per failure on standard output
/// (CloudWatch Logs keeps one log event per line, and Logs Insights finds the fields), each
/// with the invocation's request id. Lines below `level` are left out; the Embedded Metric
/// Format lines of `metrics`, when there are any, never are.
public final class InvocationLog: ConvertReporter {
  public let requestId: String?
  let level: LogLevel
  let metrics: EmbeddedMetrics?
  /// One line at a time (guarded by its mutex).
  private static let output = Locked(())

  public init(requestId: String?, level: LogLevel, metrics: EmbeddedMetrics? = nil) {
    self.requestId = requestId
    self.level = level
    self.metrics = metrics
  }

  /// Writes a line: `message` and `fields`, with the level, time and request id.
  public func log(_ level: LogLevel, _ message: String, _ fields: [String: Any] = [:]) {
    guard level >= self.level else { return }
    var object = fields
    object["level"] = level.name
    object["message"] = message
    object["time"] = LogTime.now()
    write(object)
  }

  /// Writes an Embedded Metric Format line made by `make` from `metrics`, whatever the level.
  func metric(_ make: (EmbeddedMetrics) -> [String: Any]) {
    guard let metrics else { return }
    write(make(metrics))
  }

  /// Writes `fields`, with the request id, as one JSON line.
  private func write(_ fields: [String: Any]) {
    var object = fields
    if let requestId { object["requestId"] = requestId }
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    let line = Array(data) + [0x0A]
    Self.output.withLock { _ in _ = FileIO.writeAll(line, to: STDOUT_FILENO) }
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
