import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Prints events: problems as one line each on standard error; with `json`, one JSON
/// object per event on standard output (standard error when outputs go to standard output).
public final class ConsoleReporter: ConvertReporter {
  public enum Verbosity: Sendable { case quiet, normal, verbose }

  let json: Bool
  let verbosity: Verbosity
  let jsonToStandardError: Bool
  private let lock = Mutex(())

  let showsProgress: Bool
  let perSource: Bool
  private let finished = Mutex(0)
  /// The progress line, when standard error is a terminal (see `LiveProgress`).
  private let live: LiveProgress?

  /// - Parameters:
  ///   - showsProgress: print `[done/total] source` as each source finishes (s3-sync),
  ///     unless quiet.
  ///   - perSource: print `source: N outputs in T ms` as each source finishes (watch),
  ///     unless quiet.
  ///   - liveProgress: standard error is a terminal: keep a progress line redrawn in place
  ///     instead of `showsProgress`'s lines (never with `json` or quiet); `color` allows bold.
  public init(
    json: Bool, verbosity: Verbosity, jsonToStandardError: Bool = false,
    showsProgress: Bool = false, perSource: Bool = false, liveProgress: Bool = false,
    color: Bool = true
  ) {
    live = liveProgress && !json && verbosity != .quiet ? LiveProgress(color: color) : nil
    self.json = json
    self.verbosity = verbosity
    self.jsonToStandardError = jsonToStandardError
    self.showsProgress = showsProgress
    self.perSource = perSource
  }

  public func report(_ event: ConvertEvent) {
    if json {
      emit(jsonLine(event), toError: jsonToStandardError)
      if case .failed(let source, let error) = event {
        emit("imgproc: \(source): \(error)", toError: true)
      }
      return
    }
    switch event {
    case .failed(let source, let error):
      emit("imgproc: \(source): \(error)", toError: true)
    case .warning(let source, let message):
      if verbosity != .quiet { emit("imgproc: \(source): warning: \(message)", toError: true) }
    case .wrote(let source, let variant, let path, _, let size, let bytes):
      if verbosity == .verbose {
        emit("\(source) → \(path) [\(variant) \(size), \(bytes) bytes]", toError: true)
      }
    case .upToDate(let source, let variant, let path):
      if verbosity == .verbose {
        emit("\(source) → \(path) [\(variant) up to date]", toError: true)
      }
    case .skipped(let path, let reason):
      if verbosity == .verbose || (reason.isNotice && verbosity != .quiet) {
        emit("imgproc: \(path): skipped, \(reason.description)", toError: true)
      }
    case .planned(let source, let action):
      if verbosity != .quiet { emit("\(source): \(action)", toError: false) }
    case .otherVersion(let path):
      if verbosity != .quiet {
        emit(
          "imgproc: \(path): left in place, made from other settings or another version of its source",
          toError: true)
      }
    case .finished(let source, let total, let outcome, let seconds):
      let done = countFinished()
      guard verbosity != .quiet else { return }
      if let live {
        if let line = live.finished(outcome, total: total) { draw(line) }
      } else if showsProgress {
        emit("[\(done)\(total.map { "/\($0)" } ?? "")] \(source)", toError: true)
      } else if perSource && !outcome.failed {
        let what =
          outcome.upToDate ? "up to date" : "\(outcome.outputsWritten) outputs"
        emit("\(source): \(what) in \(Int((seconds * 1000).rounded())) ms", toError: true)
      }
    }
  }

  /// Prints an error that stopped the run before or instead of its sources (credentials,
  /// a listing, a refused destination): one line on standard error, and with `json` an
  /// `error` event without a source.
  public func fatal(_ error: PipelineError) {
    if json {
      emit(Self.encode(Self.errorObject(error, source: nil)), toError: jsonToStandardError)
    }
    emit("imgproc: \(error)", toError: true)
  }

  /// Prints the totals (a JSON `summary` event with `json`).
  public func finish(_ summary: ConvertSummary) {
    if json {
      let object: [String: Any] = [
        "event": "summary", "sources": summary.sources, "converted": summary.converted,
        "upToDate": summary.upToDate, "failed": summary.failed, "ignored": summary.ignored,
        "excluded": summary.excluded, "otherVersions": summary.otherVersions,
        "outputs": summary.outputsWritten, "bytesIn": summary.bytesIn, "bytesOut": summary.bytesOut,
        "seconds": (summary.seconds * 1000).rounded() / 1000,
        "failedSources": summary.failedSources,
      ]
      emit(Self.encode(object), toError: jsonToStandardError)
      return
    }
    guard verbosity != .quiet else { return }
    if let live, live.isShown {
      lock.withLock { _ in _ = FileIO.writeAll(Array("\r\u{1B}[K".utf8), to: STDERR_FILENO) }
      live.hide()
    }
    var line = "imgproc: \(count(summary.sources, "source")): \(summary.converted) converted"
    if summary.upToDate > 0 { line += ", \(summary.upToDate) up to date" }
    if summary.failed > 0 { line += ", \(summary.failed) failed" }
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
    line += "; \(ByteCount.human(summary.bytesIn)) in → \(ByteCount.human(summary.bytesOut)) out"
    line += String(format: " in %.2f s", summary.seconds)
    emit(line, toError: true)
    if !summary.failedSources.isEmpty {
      emit("imgproc: failed: " + summary.failedSources.joined(separator: ", "), toError: true)
    }
  }

  /// `1 source`, `2 sources`.
  private func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
  }

  private func jsonLine(_ event: ConvertEvent) -> String {
    switch event {
    case .wrote(let source, let variant, let path, let format, let size, let bytes):
      return Self.encode([
        "event": "output", "source": source, "variant": variant, "path": path,
        "format": format.rawValue, "width": size.width, "height": size.height, "bytes": bytes,
      ])
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
    case .otherVersion(let path):
      return Self.encode(["event": "other-version", "path": path])
    case .finished(let source, let total, let outcome, let seconds):
      var object: [String: Any] = [
        "event": "progress", "source": source, "done": countFinished(),
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

  /// Prints `line`; on standard error under a progress line, erases that first and draws
  /// it again below.
  private func emit(_ line: String, toError: Bool) {
    lock.withLock { _ in
      guard toError, let live, let progress = live.current() else {
        _ = FileIO.writeAll(
          Array((line + "\n").utf8), to: toError ? STDERR_FILENO : STDOUT_FILENO)
        return
      }
      _ = FileIO.writeAll(Array("\r\u{1B}[K\(line)\n\(progress)\u{1B}[K".utf8), to: STDERR_FILENO)
    }
  }

  /// Redraws the progress line in place.
  private func draw(_ progress: String) {
    lock.withLock { _ in
      _ = FileIO.writeAll(Array("\r\(progress)\u{1B}[K".utf8), to: STDERR_FILENO)
    }
  }
}
