import Foundation
import ImgprocConcurrency
import ImgprocPipeline
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Prints events. Human lines go through swift-log (`ConsoleLogHandler`, on standard error):
/// failures at `error`, warnings at `warning`, skipped files worth a word, outputs of other
/// versions, per-source lines of `watch` and `s3-sync` and the summary at `notice` (the
/// default level), each output and each source's time at `info` (`-v`). With `json`, one
/// JSON object per event on standard output (standard error when outputs go to standard
/// output), and only `error` records on standard error unless a level is asked for.
public final class ConsoleReporter: ConvertReporter {
  public enum Verbosity: Sendable { case quiet, normal, verbose }

  let json: Bool
  let verbosity: Verbosity
  let jsonToStandardError: Bool
  let showsProgress: Bool
  let perSource: Bool
  private let finished = Locked(0)
  private let output: ConsoleOutput
  private let logger: Logger

  /// - Parameters:
  ///   - showsProgress: log `[done/total] source` as each source finishes (s3-sync).
  ///   - perSource: log `source: N outputs in T ms` as each source finishes (watch).
  ///   - liveProgress: standard error is a terminal: keep a progress line redrawn in place
  ///     instead of `showsProgress`'s lines (never with `json`, quiet or JSON logs); `color`
  ///     allows bold.
  ///   - logLevel: the least severe record shown; nil: `notice`, `info` when verbose,
  ///     `error` when quiet or with `json`.
  public init(
    json: Bool, verbosity: Verbosity, jsonToStandardError: Bool = false,
    showsProgress: Bool = false, perSource: Bool = false, liveProgress: Bool = false,
    color: Bool = true, logLevel: Logger.Level? = nil, logFormat: LogFormat = .text
  ) {
    self.json = json
    self.verbosity = verbosity
    self.jsonToStandardError = jsonToStandardError
    self.showsProgress = showsProgress
    self.perSource = perSource
    let live = liveProgress && !json && verbosity != .quiet && logFormat == .text
    let output = ConsoleOutput(live: live ? LiveProgress(color: color) : nil)
    self.output = output
    let level =
      logLevel
      ?? (verbosity == .quiet ? .error : verbosity == .verbose ? .info : json ? .error : .notice)
    logger = Logger(label: "imgproc") { _ in
      ConsoleLogHandler(level: level, format: logFormat, output: output)
    }
  }

  public func report(_ event: ConvertEvent) {
    var done = 0
    if case .finished = event { done = countFinished() }
    if json {
      let line = jsonLine(event, done: done)
      if jsonToStandardError { output.line(line) } else { output.standardOutput(line) }
    }
    switch event {
    case .failed(let source, let error):
      logger.error(
        "imgproc: \(source): \(error)",
        metadata: ["source": "\(source)", "code": "\(error.identifier)"])
    case .warning(let source, let message):
      logger.warning("imgproc: \(source): warning: \(message)", metadata: ["source": "\(source)"])
    case .wrote(let source, let variant, let path, let format, let size, let bytes, _, _):
      logger.info(
        "\(source) → \(path) [\(variant) \(size), \(bytes) bytes]",
        metadata: [
          "source": "\(source)", "variant": "\(variant)", "path": "\(path)",
          "format": "\(format.rawValue)", "width": .stringConvertible(size.width),
          "height": .stringConvertible(size.height), "bytes": .stringConvertible(bytes),
        ])
    case .upToDate(let source, let variant, let path):
      logger.info(
        "\(source) → \(path) [\(variant) up to date]",
        metadata: ["source": "\(source)", "variant": "\(variant)", "path": "\(path)"])
    case .skipped(let path, let reason):
      logger.log(
        level: reason.isNotice ? .notice : .info,
        "imgproc: \(path): skipped, \(reason.description)", metadata: ["source": "\(path)"])
    case .planned(let source, let action):
      if !json && verbosity != .quiet { output.standardOutput("\(source): \(action)") }
    case .otherVersion(let path, let removed):
      logger.notice(
        removed
          ? "imgproc: \(path): deleted, made from other settings or another version of its source"
          : "imgproc: \(path): left in place, made from other settings or another version of its source (--delete deletes it)",
        metadata: ["path": "\(path)"])
    case .watching(let folder, let files):
      logger.notice(
        "imgproc: watching \(folder) (\(count(files, "file")) there already)",
        metadata: ["folder": "\(folder)"])
    case .orphan(let path, let source, let removed):
      logger.notice(
        removed
          ? "imgproc: \(path): deleted, its source \(source) is gone"
          : "imgproc: \(path): left in place, its source \(source) is gone (--delete deletes it)",
        metadata: ["path": "\(path)", "source": "\(source)"])
    case .finished(let source, let total, let outcome, let seconds):
      if let live = output.live {
        if let line = live.finished(outcome, total: total) { output.draw(line) }
        return
      }
      let ms = Int((seconds * 1000).rounded())
      let metadata: Logger.Metadata = [
        "source": "\(source)", "ms": .stringConvertible(ms),
        "outputs": .stringConvertible(outcome.outputsWritten),
        "status": "\(outcome.failed ? "failed" : outcome.upToDate ? "up-to-date" : "converted")",
      ]
      let what = outcome.upToDate ? "up to date" : count(outcome.outputsWritten, "output")
      if showsProgress {
        logger.notice("[\(done)\(total.map { "/\($0)" } ?? "")] \(source)", metadata: metadata)
      } else if outcome.failed {
        logger.info("\(source): failed in \(ms) ms", metadata: metadata)
      } else {
        logger.log(
          level: perSource ? .notice : .info, "\(source): \(what) in \(ms) ms", metadata: metadata)
      }
    }
  }

  /// Prints an error that stopped the run before or instead of its sources (credentials,
  /// a listing, a refused destination): one line on standard error, and with `json` an
  /// `error` event without a source.
  public func fatal(_ error: PipelineError) {
    if json {
      let line = Self.encode(Self.errorObject(error, source: nil))
      if jsonToStandardError { output.line(line) } else { output.standardOutput(line) }
    }
    logger.error("imgproc: \(error)", metadata: ["code": "\(error.identifier)"])
  }

  /// Why a write to standard output failed (a full disk, a closed pipe), if one did: the run
  /// then exits 3, as coreutils do.
  public var standardOutputError: String? { output.standardOutputError }

  /// Prints the totals (a JSON `summary` event with `json`).
  public func finish(_ summary: ConvertSummary) {
    if json {
      var object: [String: Any] = [
        "event": "summary", "sources": summary.sources, "converted": summary.converted,
        "upToDate": summary.upToDate, "failed": summary.failed, "ignored": summary.ignored,
        "excluded": summary.excluded, "otherVersions": summary.otherVersions,
        "orphans": summary.orphans, "removed": summary.removed,
        "outputs": summary.outputsWritten, "bytesIn": summary.bytesIn, "bytesOut": summary.bytesOut,
        "notStarted": summary.notStarted, "seconds": (summary.seconds * 1000).rounded() / 1000,
        "failedSources": summary.failedSources,
      ]
      if let peak = PeakMemory.residentBytes() { object["peakMemory"] = peak }
      if !summary.requests.isEmpty {
        object["requests"] = summary.requests
        object["retries"] = summary.retries
      }
      let line = Self.encode(object)
      if jsonToStandardError { output.line(line) } else { output.standardOutput(line) }
      return
    }
    output.clearProgress()
    var line = "imgproc: \(count(summary.sources, "source")): \(summary.converted) converted"
    if summary.sources == 0 && summary.ignored == 0 && summary.excluded == 0 {
      logger.notice("imgproc: nothing to convert", metadata: ["sources": "0"])
      return
    }
    if summary.upToDate > 0 { line += ", \(summary.upToDate) up to date" }
    if summary.failed > 0 { line += ", \(summary.failed) failed" }
    if summary.notStarted > 0 {
      line += ", \(summary.notStarted) not started (the credentials were refused)"
    }
    if summary.ignored > 0 { line += ", \(count(summary.ignored, "non-image file")) skipped" }
    if summary.excluded > 0 {
      line += ", \(count(summary.excluded, "hidden or output entry", "hidden or output entries"))"
      line += " excluded"
      if verbosity != .verbose { line += " (-v names them)" }
    }
    line += "; \(count(summary.outputsWritten, "file")) written"
    if summary.otherVersions > 0 {
      line += ", \(summary.otherVersions) of other settings or versions left in place"
    }
    if summary.orphans > 0 { line += ", \(summary.orphans) of gone sources left in place" }
    if summary.removed > 0 {
      line += ", \(summary.removed) of other versions or gone sources deleted"
    }
    line += "; \(ByteCount.human(summary.bytesIn)) in → \(ByteCount.human(summary.bytesOut)) out"
    line += String(format: " in %.2f s", summary.seconds)
    logger.notice(
      "\(line)",
      metadata: [
        "sources": .stringConvertible(summary.sources),
        "converted": .stringConvertible(summary.converted),
        "failed": .stringConvertible(summary.failed),
        "outputs": .stringConvertible(summary.outputsWritten),
        "bytesIn": .stringConvertible(summary.bytesIn),
        "bytesOut": .stringConvertible(summary.bytesOut),
        "ms": .stringConvertible(Int((summary.seconds * 1000).rounded())),
      ])
    if !summary.failedSources.isEmpty {
      logger.notice("imgproc: failed: \(summary.failedSources.joined(separator: ", "))")
    }
  }

  /// `1 source`, `2 sources`.
  private func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
  }

  /// The `--json` event; `done`: the sources finished so far, for `progress`.
  private func jsonLine(_ event: ConvertEvent, done: Int) -> String {
    switch event {
    case .wrote(let source, let variant, let path, let format, let size, let bytes, let ssim, _):
      var object: [String: Any] = [
        "event": "output", "source": source, "variant": variant, "path": path,
        "format": format.rawValue, "width": size.width, "height": size.height, "bytes": bytes,
      ]
      if let ssim { object["ssim"] = (ssim * 10000).rounded() / 10000 }
      return Self.encode(object)
    case .upToDate(let source, let variant, let path):
      return Self.encode([
        "event": "up-to-date", "source": source, "variant": variant, "path": path,
      ])
    case .warning(let source, let message):
      return Self.encode(["event": "warning", "source": source, "message": message])
    case .failed(let source, let error):
      return Self.encode(Self.errorObject(error, source: source))
    case .skipped(let path, let reason):
      return Self.encode([
        "event": reason.isNotAnImage ? "ignored" : "excluded", "source": path,
        "reason": reason.description,
      ])
    case .planned(let source, let action):
      return Self.encode(["event": "planned", "source": source, "action": action])
    case .otherVersion(let path, let removed):
      return Self.encode(["event": "other-version", "path": path, "removed": removed])
    case .watching(let folder, let files):
      return Self.encode(["event": "watching", "folder": folder, "files": files])
    case .orphan(let path, let source, let removed):
      return Self.encode(["event": "orphan", "path": path, "source": source, "removed": removed])
    case .finished(let source, let total, let outcome, let seconds):
      var object: [String: Any] = [
        "event": "progress", "source": source, "done": done,
        "status": outcome.failed ? "failed" : (outcome.upToDate ? "up-to-date" : "converted"),
        "outputs": outcome.outputsWritten, "ms": Int((seconds * 1000).rounded()),
      ]
      if let total { object["total"] = total }
      return Self.encode(object)
    }
  }

  /// An `error` event: the message, the hint, the stable `code` (S3's own code for remote
  /// failures) and whether a retry may succeed.
  private static func errorObject(_ error: PipelineError, source: String?) -> [String: Any] {
    var object: [String: Any] = [
      "event": "error", "message": error.message, "code": error.identifier,
      "retryable": error.isTransient,
    ]
    if let source { object["source"] = source }
    if let hint = error.hint { object["hint"] = hint }
    return object
  }

  private func countFinished() -> Int {
    finished.withLock { count -> Int in
      count += 1
      return count
    }
  }

  private static func encode(_ object: [String: Any]) -> String {
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
