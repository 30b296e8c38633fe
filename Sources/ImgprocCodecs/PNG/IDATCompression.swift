/// Compresses a PNG's filtered rows into the zlib stream its IDAT chunks carry. With a
/// variant's `level=N`, libdeflate's level N (from 10 up, also zlib's level 9, and zlib's
/// level 9 on the rows as libpng's heuristic filters them — Pillow's `optimize=True` recipe —
/// the smallest kept). Without one, the effort is chosen per image by what it costs
/// (`EffortPlan`): level 6 compresses a sample of row bands first; the other candidates the
/// image can afford compress the sample too, and the one with the best bytes for its
/// modelled time compresses the whole stream. Costs come from a fixed model (`DeflateEffort.nanosecondsPerByte`),
/// never from the clock, so the same rows and settings always give the same bytes.
enum IDATCompression {
  /// The zlib stream of `filtered` (rows of `rowLength` bytes, filter bytes included).
  /// - Parameters:
  ///   - level: libdeflate's level 0...12, or nil to choose per image.
  ///   - heuristicRows: from level 10 up, the same rows filtered by libpng's heuristic
  ///     (`SumOfAbsolutesChooser`), or nil when rows have no filter choice.
  static func compress(
    _ filtered: [UInt8], rowLength: Int, level: Int?, heuristicRows: [UInt8]? = nil
  ) throws(CodecError) -> [UInt8] {
    if let level {
      var stream = try DeflateEffort.libdeflate(level: level).compress(filtered[...])
      guard level >= 10 else { return stream }
      // zlib's strategy for the kind of data libdeflate's ratio shows; Pillow's on its rows.
      let kind = DataKind(firstRatio: Double(stream.count) / Double(max(1, filtered.count)))
      var trials = [(filtered, DeflateEffort.zlibBest(kind))]
      if let heuristicRows { trials.append((heuristicRows, .zlibBest(.photo))) }
      for (rows, effort) in trials {
        let zlib = try effort.compress(rows[...])
        if zlib.count < stream.count { stream = zlib }
      }
      return stream
    }
    let sample = RowBandSample(byteCount: filtered.count, rowLength: rowLength)
    var sizes: [DeflateEffort: Int] = [:]
    var whole: [DeflateEffort: [UInt8]] = [:]
    func trial(_ effort: DeflateEffort) throws(CodecError) {
      if sample.isWhole {
        let stream = try effort.compress(filtered[...])
        whole[effort] = stream
        sizes[effort] = stream.count
      } else {
        sizes[effort] = try sample.compressedSize(of: filtered, by: effort)
      }
    }
    try trial(EffortPlan.first)
    let plan = EffortPlan(
      streamBytes: filtered.count, sampleBytes: sample.byteCount,
      firstRatio: Double(sizes[EffortPlan.first] ?? 0) / Double(max(1, sample.byteCount)))
    for effort in plan.trials where sizes[effort] == nil { try trial(effort) }
    let chosen = plan.choose(sizes)
    if let stream = whole[chosen] { return stream }
    return try chosen.compress(filtered[...])
  }
}

/// Which DEFLATE candidates an image's stream can afford, and the choice among them.
///
/// Costs are modelled per candidate for the kind of data the first trial shows (`DataKind`:
/// level 6's sample ratio). The budget is `budget` times level 6's modelled time on a photo
/// of the stream's size, sampling included: candidates are tried in their order while the
/// sample compressions leave room for the candidate to compress the whole stream. The
/// choice minimises `bytes × (1 + price × cost / level 6's cost on a photo)`: a costlier
/// candidate wins when it saves more than `price` of the bytes per photo level-6 time it
/// adds. A candidate another tried one beats on both bytes and cost never minimises it.
struct EffortPlan: Equatable {
  /// The candidate every image tries first, on its sample.
  static let first = DeflateEffort.libdeflate(level: 6)
  /// The most the default spends, in multiples of level 6's modelled time on a photo.
  static let budget = 3.0
  /// The share of the bytes a candidate must save per level-6 time it adds.
  static let price = 0.02
  /// The candidates in the order they are tried, `first` first: by cost for photos; for
  /// flat data the usual winners first (zlib's long hash chains beat libdeflate's bounded
  /// searches by up to 2× there), so that a small image's budget goes to them.
  static func candidates(_ kind: DataKind) -> [DeflateEffort] {
    let levels = (6...9).map { DeflateEffort.libdeflate(level: $0) }
    switch kind {
    case .photo: return levels + [.zlibBest(.photo)]
    case .flat: return [first, .zlibBest(.flat)] + levels.dropFirst().reversed()
    }
  }

  let streamBytes: Int
  let sampleBytes: Int
  let kind: DataKind
  /// The candidates compressed on the sample, in the order tried.
  let trials: [DeflateEffort]

  /// - Parameter firstRatio: the sample's compressed size over its size at `first`.
  init(streamBytes: Int, sampleBytes: Int, firstRatio: Double) {
    self.streamBytes = streamBytes
    self.sampleBytes = sampleBytes
    kind = DataKind(firstRatio: firstRatio)
    let budget = Self.budget * Self.first.cost(of: streamBytes, .photo)
    let whole = sampleBytes >= streamBytes
    var spent = 0.0
    var costliestFinal = 0.0
    var trials: [DeflateEffort] = []
    for effort in Self.candidates(kind) {
      let sampling = effort.cost(of: sampleBytes, kind)
      // A whole-stream trial is the final compression already; a sample needs room left
      // for whichever candidate tried is chosen to compress the stream afterwards.
      let final = whole ? 0 : max(costliestFinal, effort.cost(of: streamBytes, kind))
      guard trials.isEmpty || spent + sampling + final <= budget else { continue }
      trials.append(effort)
      spent += sampling
      costliestFinal = final
    }
    self.trials = trials
  }

  /// The candidate with the least `bytes × (1 + price × cost / first's cost on a photo)`
  /// among the tried ones in `sizes`; ties go to the first tried. Time is counted in one
  /// unit for every kind of data, so that ten times a tiny cost stays cheap.
  func choose(_ sizes: [DeflateEffort: Int]) -> DeflateEffort {
    let base = Self.first.nanosecondsPerByte(.photo)
    var best = (effort: Self.first, score: Double.infinity)
    for effort in trials {
      guard let size = sizes[effort] else { continue }
      let score = Double(size) * (1 + Self.price * effort.nanosecondsPerByte(kind) / base)
      if score < best.score { best = (effort, score) }
    }
    return best.effort
  }
}

/// What the first trial says of the data, for the cost model: `flat` when level 6 makes
/// its sample less than 5 % of its size (gradients, screenshots), `photo` otherwise.
enum DataKind: Equatable {
  case flat, photo

  init(firstRatio: Double) { self = firstRatio < 0.05 ? .flat : .photo }
}

/// One way of producing a zlib stream.
enum DeflateEffort: Hashable {
  /// libdeflate at a level 0...12.
  case libdeflate(level: Int)
  /// zlib at level 9: the search behind Pillow's `optimize=True`, with the strategy for
  /// `kind` (Pillow's `Z_FILTERED` for photos, the default one for flat data).
  case zlibBest(DataKind)

  /// Modelled compression time per input byte, in nanoseconds, on `kind` of data: medians
  /// measured once by `Benchmarks/deflate_costs.sh` on the filtered rows imgproc makes
  /// (Debian 12's libdeflate 1.14 and zlib 1.2.13, one core): `photo` over 13 photos, smooth
  /// photos and cut-outs; `flat` over a gradient and a screenshot. Levels outside 6...9 are
  /// never candidates; they take level 9's figure.
  func nanosecondsPerByte(_ kind: DataKind) -> Double {
    switch (self, kind) {
    case (.libdeflate(let level), .photo): [19.4, 30.1, 82.2, 131.2][min(max(level, 6), 9) - 6]
    case (.libdeflate(let level), .flat): [3.4, 6.1, 14.0, 19.7][min(max(level, 6), 9) - 6]
    case (.zlibBest, .photo): 323.4
    case (.zlibBest, .flat): 34.8
    }
  }

  /// The modelled time to compress `bytes` of `kind`, in nanoseconds.
  func cost(of bytes: Int, _ kind: DataKind) -> Double {
    nanosecondsPerByte(kind) * Double(bytes)
  }

  func compress(_ input: ArraySlice<UInt8>) throws(CodecError) -> [UInt8] {
    switch self {
    case .libdeflate(let level):
      let compressor = try DeflateCompressor(level: level)
      return try input.withUnsafeBytes { bytes in
        Result { () throws(CodecError) in try compressor.zlib(bytes) }
      }.get()
    case .zlibBest(let kind):
      return try input.withUnsafeBytes { bytes in
        Result { () throws(CodecError) in
          try Zlib.compress(bytes, level: 9, strategy: kind == .photo ? .filtered : .standard)
        }
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
