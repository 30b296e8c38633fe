import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// How log records look on standard error.
public enum LogFormat: String, Sendable, CaseIterable {
  /// The message alone, one line: for people.
  case text
  /// One JSON object per line: `time` (UTC, ISO 8601 with milliseconds), `level`, `message`
  /// and the record's metadata (`source`, `variant`, `path`, `bytes`, `ms`, `code`…), so
  /// CloudWatch Logs Insights or `jq` can filter on them.
  case json
}

/// swift-log's handler for imgproc's console: each record is one line on standard error,
/// written through `ConsoleOutput` (which keeps the progress line intact), or with
/// `toStandardOutput` on standard output (the Lambda runtime's log stream).
struct ConsoleLogHandler: LogHandler {
  var logLevel: Logger.Level
  var metadata: Logger.Metadata = [:]
  var metadataProvider: Logger.MetadataProvider?
  let format: LogFormat
  let output: ConsoleOutput
  let toStandardOutput: Bool

  init(
    level: Logger.Level, format: LogFormat, output: ConsoleOutput, toStandardOutput: Bool = false
  ) {
    self.logLevel = level
    self.format = format
    self.output = output
    self.toStandardOutput = toStandardOutput
  }

  private func write(_ line: String) {
    if toStandardOutput { output.standardOutput(line) } else { output.line(line) }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    switch format {
    case .text: write(ConsoleText.oneLine(event.message.description))
    case .json:
      var object: [String: Any] = [
        "time": LogTime.now(), "level": event.level.rawValue,
        "message": event.message.description,
      ]
      for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
        object[key] = Self.json(value)
      }
      write(JSONLine.text(object))
    }
  }

  /// Numbers stay numbers; the rest is text, lists and objects as JSON.
  private static func json(_ value: Logger.Metadata.Value) -> Any {
    switch value {
    case .string(let text): return text
    case .stringConvertible(let convertible):
      if let number = convertible as? Int { return number }
      if let number = convertible as? Double { return number }
      if let flag = convertible as? Bool { return flag }
      return convertible.description
    case .array(let values): return values.map(json)
    case .dictionary(let values): return values.mapValues(json)
    }
  }
}

/// One JSON object as one line: keys sorted, slashes as they are.
enum JSONLine {
  static func text(_ object: [String: Any]) -> String {
    let data = try? JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }
}

/// Log records as JSON lines on standard output, where the Lambda runtime's log stream
/// reads them (CloudWatch Logs keeps one log event per line): the same handler and the same
/// line shape as `--log-format json` on the command line. One output for the process, so
/// that lines written from many tasks never interleave.
public enum StandardOutputLog {
  private static let output = ConsoleOutput(live: nil)

  /// A logger writing records from `level` up, each with `metadata` (a request id).
  public static func logger(level: Logger.Level, metadata: Logger.Metadata = [:]) -> Logger {
    var logger = Logger(label: "imgproc") { _ in
      ConsoleLogHandler(level: level, format: .json, output: output, toStandardOutput: true)
    }
    for (key, value) in metadata { logger[metadataKey: key] = value }
    return logger
  }

  /// Writes `object` as one JSON line whatever the level (Embedded Metric Format records).
  public static func write(_ object: [String: Any]) {
    output.standardOutput(JSONLine.text(object))
  }
}

/// Log timestamps: UTC, ISO 8601 with milliseconds, as CloudWatch and `jq` read them.
public enum LogTime {
  /// Now, as `2026-11-28T14:05:09.123Z`.
  public static func now() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var seconds = time_t(now.tv_sec)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900,
      Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
      Int(parts.tm_sec), Int(now.tv_nsec / 1_000_000))
  }
}

/// Text lines for people.
enum ConsoleText {
  /// `text` on one line whatever the names in it hold: control characters (a newline in a
  /// file name) shown as escapes (`\n`, `\t`, `\u{1B}`), as `ls -b` shows them.
  static func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
      return text
    }
    var escaped = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": escaped += "\\n"
      case "\t": escaped += "\\t"
      case "\r": escaped += "\\r"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }
}
