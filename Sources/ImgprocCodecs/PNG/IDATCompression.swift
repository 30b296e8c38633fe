/// Compresses a PNG's filtered rows into the zlib stream its IDAT chunks carry, choosing the
/// DEFLATE effort per image when the variant sets no level (measured per image class by
/// `Benchmarks/png_classes.sh`):
/// - Photo-like data, where a sample of row bands shrinks to ≥ 10 % at libdeflate's level 6:
///   libdeflate at level 12 up to 1 MP, level 6 above. Deeper levels save 3–10 % on smooth
///   photos but cost 5–10× the time, which the five-variant job cannot pay.
/// - Data that is mostly long repeats (gradients, flat graphics, line art: < 10 %): the
///   sample is also compressed by zlib at level 9 and the smaller prediction wins.
///   libdeflate's bounded match searches lose up to 2× to zlib on smooth gradients, where
///   zlib's long hash chains stay fast because matches reach their maximum length early.
/// Streams under 1 MiB are not sampled: each candidate compresses all of it, the smaller wins.
enum IDATCompression {
  /// Below this compressed/raw ratio of the level-6 sample, zlib's search is tried too.
  static let repetitiveRatio = 0.10

  /// The zlib stream of `filtered` (rows of `rowLength` bytes, filter bytes included).
  /// - Parameter level: libdeflate's level 0...12, or nil to choose per image.
  static func compress(_ filtered: [UInt8], rowLength: Int, pixels: Int, level: Int?)
    throws(CodecError) -> [UInt8]
  {
    if let level { return try DeflateCompressor(level: level).zlib(filtered) }
    let fast = DeflateEffort.libdeflate(level: pixels <= 1_000_000 ? 12 : 6)
    let sample = RowBandSample(byteCount: filtered.count, rowLength: rowLength)
    guard sample.isWhole else {
      return try effort(for: filtered, sample: sample, fast: fast).compress(filtered[...])
    }
    // Small streams: both candidates on everything, the smaller kept.
    let first = try fast.compress(filtered[...])
    guard isRepetitive(compressed: first.count, of: filtered.count) else { return first }
    let second = try DeflateEffort.zlibBest.compress(filtered[...])
    return second.count < first.count ? second : first
  }

  /// What compresses `stream` best for its cost, judged on `sample`.
  static func effort(for stream: [UInt8], sample: RowBandSample, fast: DeflateEffort)
    throws(CodecError) -> DeflateEffort
  {
    let probeEffort = DeflateEffort.libdeflate(level: 6)
    let probe = try sample.compressedSize(of: stream, by: probeEffort)
    guard isRepetitive(compressed: probe, of: sample.byteCount) else { return fast }
    let fastSize = fast == probeEffort ? probe : try sample.compressedSize(of: stream, by: fast)
    let zlibSize = try sample.compressedSize(of: stream, by: .zlibBest)
    return zlibSize < fastSize ? .zlibBest : fast
  }

  static func isRepetitive(compressed: Int, of count: Int) -> Bool {
    Double(compressed) < repetitiveRatio * Double(count)
  }
}

/// One way of producing a zlib stream.
enum DeflateEffort: Hashable {
  /// libdeflate at a level 0...12.
  case libdeflate(level: Int)
  /// zlib at level 9: the search behind Pillow's `optimize=True`.
  case zlibBest

  func compress(_ input: ArraySlice<UInt8>) throws(CodecError) -> [UInt8] {
    switch self {
    case .libdeflate(let level):
      let compressor = try DeflateCompressor(level: level)
      return try input.withUnsafeBytes { bytes in
        Result { () throws(CodecError) in try compressor.zlib(bytes) }
      }.get()
    case .zlibBest:
      return try input.withUnsafeBytes { bytes in
        Result { () throws(CodecError) in try Zlib.compress(bytes, level: 9) }
      }.get()
    }
  }
}

/// Up to eight evenly spaced bands of whole rows, about 64 KiB each, compressed one by one:
/// an estimate of the whole stream's compressed size at a sixtieth of a 4K photo's cost.
/// Streams under 1 MiB are one band, the whole stream.
struct RowBandSample {
  static let bandCount = 8
  static let bandBytes = 64 * 1024

  /// Byte ranges of the filtered stream.
  let bands: [Range<Int>]

  init(byteCount: Int, rowLength: Int) {
    let rows = rowLength > 0 ? byteCount / rowLength : 0
    let rowsPerBand = max(1, RowBandSample.bandBytes / max(1, rowLength))
    guard rows > 2 * RowBandSample.bandCount * rowsPerBand else {
      bands = [0..<byteCount]
      return
    }
    let stride = rows / RowBandSample.bandCount
    bands = (0..<RowBandSample.bandCount).map { index in
      let first = index * stride + (stride - rowsPerBand) / 2
      return (first * rowLength)..<((first + rowsPerBand) * rowLength)
    }
  }

  var byteCount: Int { bands.reduce(0) { $0 + $1.count } }

  /// Whether the one band is the whole stream (small images).
  var isWhole: Bool { bands.count == 1 && bands.first?.lowerBound == 0 }

  func compressedSize(of stream: [UInt8], by effort: DeflateEffort) throws(CodecError) -> Int {
    var total = 0
    for band in bands { total += try effort.compress(stream[band]).count }
    return total
  }
}
