import Dispatch
import ImgprocConcurrency
import ImgprocPipeline
import Synchronization

/// The progress line of a run whose standard error is a terminal: images done of the total
/// (when the listing has ended, or was known), the rate, bytes in and out, the time left.
/// `ConsoleOutput` redraws it in place ("\r", the line, erase to its end) after each
/// finished source that `ConsoleReporter` passes on, at most ten times a second, erases it
/// before any other line on standard error and, for good, before the summary; standard
/// output is never touched. Bold counts
/// unless `NO_COLOR` is set (no-color.org). The counters are guarded by `state`.
final class LiveProgress: Sendable {
  private struct State {
    var done = 0
    var failed = 0
    var total: Int?
    var bytesIn = 0
    var bytesOut = 0
    /// Uptime in nanoseconds of the last redraw (0: never drawn).
    var drawnAt: UInt64 = 0
    var shown = false
  }

  private let state = Locked(State())
  private let started = DispatchTime.now().uptimeNanoseconds
  private let bold: Bool

  /// - Parameter color: whether bold is allowed (false when `NO_COLOR` is set).
  init(color: Bool) { bold = color }

  /// Counts a finished source; the line to draw, or nil when the last redraw is under
  /// 100 ms old (the last source always draws).
  func finished(_ outcome: SourceOutcome, total: Int?) -> String? {
    let now = DispatchTime.now().uptimeNanoseconds
    return state.withLock { state -> String? in
      state.done += 1
      if outcome.failed { state.failed += 1 }
      if let total { state.total = total }
      state.bytesIn += outcome.bytesIn
      state.bytesOut += outcome.bytesOut
      let last = state.total.map { state.done >= $0 } ?? false
      guard last || state.drawnAt == 0 || now - state.drawnAt >= 100_000_000 else { return nil }
      state.drawnAt = now
      state.shown = true
      return Self.line(state, seconds: Double(now - started) / 1e9, bold: bold)
    }
  }

  /// The line as last drawn, to redraw after another line; nil before the first.
  func current() -> String? {
    let now = DispatchTime.now().uptimeNanoseconds
    return state.withLock { state in
      state.shown ? Self.line(state, seconds: Double(now - started) / 1e9, bold: bold) : nil
    }
  }

  /// Whether a line is on the terminal (to be erased before other output).
  var isShown: Bool { state.withLock { $0.shown } }

  /// Forgets the line once erased for good.
  func hide() { state.withLock { $0.shown = false } }

  /// `imgproc: 12/40 images, 3.1/s, 23.8 MiB in → 60.9 MiB out, 9 s left`.
  private static func line(_ state: State, seconds: Double, bold: Bool) -> String {
    let count = state.total.map { "\(state.done)/\($0)" } ?? "\(state.done)"
    var parts = [(bold ? "\u{1B}[1m\(count)\u{1B}[0m" : count) + " images"]
    if state.failed > 0 { parts.append("\(state.failed) failed") }
    let rate = seconds > 0 ? Double(state.done) / seconds : 0
    if rate > 0 {
      parts.append(rate >= 10 ? "\(Int(rate.rounded()))/s" : "\(Double(Int(rate * 10)) / 10)/s")
    }
    parts.append("\(ByteCount.human(state.bytesIn)) in → \(ByteCount.human(state.bytesOut)) out")
    if let total = state.total, rate > 0, state.done < total {
      parts.append("\(Int((Double(total - state.done) / rate).rounded(.up))) s left")
    }
    return "imgproc: " + parts.joined(separator: ", ")
  }
}
