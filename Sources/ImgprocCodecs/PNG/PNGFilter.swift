import Foundation

/// PNG's five row filters (PNG spec §9) and the per-row choice between them.
enum PNGFilter: UInt8, CaseIterable {
  case none = 0
  case sub = 1
  case up = 2
  case average = 3
  case paeth = 4

  /// Filters `count` bytes of `row` against `previous` (the unfiltered row above; all zeros
  /// for the first row) into `output`. `bpp` is the filter distance in bytes (≥ 1).
  func apply(
    _ row: UnsafePointer<UInt8>, previous: UnsafePointer<UInt8>, count: Int, bpp: Int,
    into output: UnsafeMutablePointer<UInt8>
  ) {
    apply(row, previous: previous, count: count, bpp: bpp, into: output, from: 0, to: count)
  }

  /// Filters bytes `from..<to` of the `count`-byte `row` into the same places of `output`
  /// (each filtered byte depends on the unfiltered rows alone, so any range can be made).
  /// Sixteen bytes at a time (`SIMD16`), the rest one by one: the same bytes either way.
  func apply(
    _ row: UnsafePointer<UInt8>, previous: UnsafePointer<UInt8>, count: Int, bpp: Int,
    into output: UnsafeMutablePointer<UInt8>, from: Int, to end: Int
  ) {
    let head = max(from, min(bpp, end))
    switch self {
    case .none:
      (output + from).update(from: row + from, count: end - from)
    case .sub:
      if head > from { (output + from).update(from: row + from, count: head - from) }
      var i = head
      while i + 16 <= end {
        Vector.store(Vector.load(row + i) &- Vector.load(row + i - bpp), output + i)
        i += 16
      }
      while i < end {
        output[i] = row[i] &- row[i - bpp]
        i += 1
      }
    case .up:
      var i = from
      while i + 16 <= end {
        Vector.store(Vector.load(row + i) &- Vector.load(previous + i), output + i)
        i += 16
      }
      while i < end {
        output[i] = row[i] &- previous[i]
        i += 1
      }
    case .average:
      for i in from..<head { output[i] = row[i] &- previous[i] >> 1 }
      var i = head
      while i + 16 <= end {
        let left = Vector.load(row + i - bpp)
        let above = Vector.load(previous + i)
        // ⌊(left + above) / 2⌋ in eight bits: the shared bits, plus half the differing ones.
        let mean = (left & above) &+ ((left ^ above) &>> 1)
        Vector.store(Vector.load(row + i) &- mean, output + i)
        i += 16
      }
      while i < end {
        output[i] = row[i] &- UInt8(truncatingIfNeeded: (Int(row[i - bpp]) + Int(previous[i])) >> 1)
        i += 1
      }
    case .paeth:
      for i in from..<head { output[i] = row[i] &- previous[i] }
      var i = head
      while i + 16 <= end {
        let predicted = Vector.paeth(
          Vector.load(row + i - bpp), Vector.load(previous + i), Vector.load(previous + i - bpp))
        Vector.store(Vector.load(row + i) &- predicted, output + i)
        i += 16
      }
      while i < end {
        output[i] = row[i] &- PNGFilter.paethPredictor(row[i - bpp], previous[i], previous[i - bpp])
        i += 1
      }
    }
  }

  /// Sixteen-byte loads, stores and the Paeth predictor, for `apply`.
  private enum Vector {
    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> SIMD16<UInt8> {
      UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<UInt8>.self)
    }

    @inline(__always)
    static func store(_ vector: SIMD16<UInt8>, _ pointer: UnsafeMutablePointer<UInt8>) {
      UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD16<UInt8>.self)
    }

    /// `paethPredictor` on sixteen lanes: the distances of left + above − upper-left to each
    /// neighbour are |above − upper-left|, |left − upper-left| and their sum's. Choices are
    /// made with all-ones lane masks from sign bits (plain lane arithmetic, which compiles to
    /// vector instructions, where `SIMDMask` selection does not).
    @inline(__always)
    static func paeth(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>, _ c: SIMD16<UInt8>)
      -> SIMD16<UInt8>
    {
      let left = SIMD16<Int16>(truncatingIfNeeded: a)
      let above = SIMD16<Int16>(truncatingIfNeeded: b)
      let corner = SIMD16<Int16>(truncatingIfNeeded: c)
      let toAbove = above &- corner
      let toLeft = left &- corner
      let pa = magnitude(toAbove)
      let pb = magnitude(toLeft)
      let pc = magnitude(toAbove &+ toLeft)
      // All ones where the condition fails: pc < pb (not above), pb < pa or pc < pa (not left).
      let notAbove = (pc &- pb) &>> 15
      let notLeft = ((pb &- pa) | (pc &- pa)) &>> 15
      let aboveOrCorner = (above & ~notAbove) | (corner & notAbove)
      let chosen = (left & ~notLeft) | (aboveOrCorner & notLeft)
      return SIMD16<UInt8>(truncatingIfNeeded: chosen)
    }

    /// |value| per lane (values here are within ±510).
    @inline(__always)
    static func magnitude(_ value: SIMD16<Int16>) -> SIMD16<Int16> {
      let sign = value &>> 15
      return (value ^ sign) &- sign
    }
  }

  /// The neighbour (left, above, upper-left) closest to left + above − upper-left.
  @inline(__always)
  static func paethPredictor(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
    let p = Int(a) + Int(b) - Int(c)
    let pa = abs(p - Int(a))
    let pb = abs(p - Int(b))
    let pc = abs(p - Int(c))
    if pa <= pb && pa <= pc { return a }
    return pb <= pc ? b : c
  }
}

/// Chooses each row's filter by trial compression: Up, and the one of the other candidates
/// whose bytes have the least order-0 entropy, are compressed by libdeflate's fastest level
/// (the judge), and the smaller wins. On photos this gives files 2–4 % smaller than the usual
/// minimum-sum-of-absolute-values heuristic, though not on every one: `level=10` and up also
/// try that heuristic (`SumOfAbsolutesChooser`). The entropy shortlist halves the judge's
/// work for 0–0.5 % more bytes than judging every candidate; Up always goes to the judge
/// because the repeats it makes, which DEFLATE finds and entropy does not see, are where it
/// wins.
struct PNGFilterChooser {
  /// Sub, Up, Average and Paeth. None almost never wins on photos; Average wins on soft,
  /// noisy ones (3.7 % smaller on the corpus' p01 at 4096 px, where it takes every row).
  static let photoCandidates: [PNGFilter] = [.sub, .up, .average, .paeth]

  /// The bytes of each candidate row the judge compresses: the middle of the row.
  static let judgedBytes = 4096

  let candidates: [PNGFilter]
  private let judge: DeflateCompressor

  init(candidates: [PNGFilter]) throws(CodecError) {
    self.candidates = candidates
    self.judge = try DeflateCompressor(level: 1)
  }

  /// Filters `row` with the best candidate into `output` (`count` bytes) and returns it.
  /// `trial` must hold `count` bytes and `scratch` `scratchSize(count)` bytes.
  func filter(
    _ row: UnsafePointer<UInt8>, previous: UnsafePointer<UInt8>, count: Int, bpp: Int,
    into output: UnsafeMutablePointer<UInt8>, trial: UnsafeMutablePointer<UInt8>,
    scratch: UnsafeMutableRawBufferPointer
  ) -> PNGFilter {
    guard candidates.count > 1 else {
      let only = candidates.first ?? .none
      only.apply(row, previous: previous, count: count, bpp: bpp, into: output)
      return only
    }
    // Only the judged window is filtered for each trial (filtering is most of the
    // chooser's time on wide rows); the winner then filters the whole row once. A filtered
    // byte depends on the row and the row above alone, so the window's bytes are those the
    // whole-row filter makes there.
    let window = min(count, PNGFilterChooser.judgedBytes)
    let start = (count - window) / 2
    let bytes = UnsafeBufferPointer(start: trial + start, count: window)
    func filterWindow(_ candidate: PNGFilter) {
      candidate.apply(
        row, previous: previous, count: count, bpp: bpp, into: trial, from: start,
        to: start + window)
    }
    var shortlisted: PNGFilter?
    var leastEntropy = Int.max
    for candidate in candidates where candidate != .up {
      filterWindow(candidate)
      let entropy = EntropyScore.of(bytes)
      if entropy < leastEntropy {
        leastEntropy = entropy
        shortlisted = candidate
      }
    }
    var best = PNGFilter.none
    var bestSize = Int.max
    for candidate in candidates where candidate == .up || candidate == shortlisted {
      filterWindow(candidate)
      let size = judge.deflatedSize(UnsafeRawBufferPointer(bytes), scratch: scratch)
      if size < bestSize {
        bestSize = size
        best = candidate
      }
    }
    best.apply(row, previous: previous, count: count, bpp: bpp, into: output)
    return best
  }

  func scratchSize(_ count: Int) -> Int { judge.bound(count) }
}

/// The order-0 entropy of a run of bytes, as an integer score (smaller is less): the sum over
/// byte values of −n·log2 n for their counts n, in 1/1024 bits. Comparable between runs of
/// equal length (the length's own n·log2 n term, common to them, is left out). Integer, so
/// that the same bytes give the same score on every machine.
enum EntropyScore {
  /// n·log2 n × 1024 for n = 0...`PNGFilterChooser.judgedBytes`.
  private static let nLogN: [Int] = (0...PNGFilterChooser.judgedBytes).map(scaledNLogN)

  static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
      counts.initialize(repeating: 0)
      for byte in bytes { counts[Int(byte)] += 1 }
      var score = 0
      for n in counts { score -= n < nLogN.count ? nLogN[n] : scaledNLogN(n) }
      return score
    }
  }

  private static func scaledNLogN(_ n: Int) -> Int {
    n < 2 ? 0 : Int((Double(n) * log2(Double(n)) * 1024).rounded())
  }
}

/// libpng's and Pillow's row filter heuristic: of None, Up, Sub, Average and Paeth (Pillow's
/// order, an earlier one kept on ties), the filter whose bytes, read as signed, sum smallest
/// in absolute value over the whole row. Cheap, and on some soft photos (where Average should
/// take every row) better than `PNGFilterChooser`'s windowed judge.
enum SumOfAbsolutesChooser {
  static let order: [PNGFilter] = [.none, .up, .sub, .average, .paeth]

  /// Filters `row` with the chosen filter into `output` (`count` bytes) and returns it;
  /// `trial` must hold `count` bytes.
  static func filter(
    _ row: UnsafePointer<UInt8>, previous: UnsafePointer<UInt8>, count: Int, bpp: Int,
    into output: UnsafeMutablePointer<UInt8>, trial: UnsafeMutablePointer<UInt8>
  ) -> PNGFilter {
    var best = PNGFilter.none
    var bestSum = Int.max
    for candidate in order {
      candidate.apply(row, previous: previous, count: count, bpp: bpp, into: trial)
      var sum = 0
      for i in 0..<count {
        let value = Int(trial[i])
        sum += value < 128 ? value : 256 - value
      }
      if sum < bestSum {
        bestSum = sum
        best = candidate
      }
      if bestSum == 0 { break }
    }
    best.apply(row, previous: previous, count: count, bpp: bpp, into: output)
    return best
  }
}
