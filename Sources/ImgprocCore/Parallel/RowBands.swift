import Dispatch

/// Splits rows into contiguous, disjoint bands and runs them in parallel.
///
/// Each band writes only its own rows, so the work needs no locks. The split depends only on
/// the row count, the thread budget and the band minimum, and every row is computed the same
/// way whichever band holds it, so results are identical for any thread count.
public enum RowBands {
  /// The number of pixels below which a band is not worth a thread.
  public static let minimumPixelsPerBand = 65_536

  /// The bands for `rows` rows of `width` pixels with at most `threads` threads.
  public static func split(rows: Int, width: Int, threads: Int) -> [Range<Int>] {
    guard rows > 0 else { return [] }
    let byArea = max(1, rows * max(width, 1) / minimumPixelsPerBand)
    let count = max(1, min(threads, rows, byArea))
    return (0..<count).map { band in
      (band * rows / count)..<((band + 1) * rows / count)
    }
  }

  /// Runs `body` once per band, concurrently when there is more than one.
  public static func run(
    rows: Int, width: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void
  ) {
    let bands = split(rows: rows, width: width, threads: threads)
    if bands.count == 1 {
      body(bands[0])
      return
    }
    DispatchQueue.concurrentPerform(iterations: bands.count) { body(bands[$0]) }
  }
}
