import Foundation
import ImgprocCore
import ImgprocTestSupport
import Testing

@testable import ImgprocCodecs

/// The PNG writer's per-image DEFLATE effort and filter candidates.
@Suite("PNG effort per image")
struct PNGEffortTests {
  /// A 1200×900 (1.08 MP: above the size that always gets the thorough level) blend between
  /// two colours along a diagonal, like the wallpapers of `Benchmarks/png_classes.py`.
  static let wallpaper = Fixtures.make(width: 1200, height: 900, layout: .rgb, depth: .eight) {
    x, y, c in
    let t = (Double(x) / 1199 * 0.7 + Double(y) / 899 * 0.3)
    let from = [20.0, 40, 90][c] / 255
    let to = [240.0, 180, 120][c] / 255
    return from * (1 - t) + to * t
  }

  @Test("a smooth gradient above 1 MP is compressed by zlib's search: far smaller than level 6")
  func gradient() throws {
    let automatic = try Codecs.encode(Self.wallpaper, .png(PNGSettings(palette: false)))
    let level6 = try Codecs.encode(
      Self.wallpaper, .png(PNGSettings(compressionLevel: 6, palette: false)))
    #expect(Double(automatic.count) < 0.8 * Double(level6.count))
    #expect(Metrics.maxDifference(try Codecs.decode(automatic).image, Self.wallpaper) == 0)
  }

  @Test("photo-like data above 1 MP keeps libdeflate's level 6, byte for byte")
  func photoLike() throws {
    let noise = Fixtures.noise(width: 1100, height: 1000, seed: 3)
    let automatic = try Codecs.encode(noise, .png(PNGSettings()))
    let level6 = try Codecs.encode(noise, .png(PNGSettings(compressionLevel: 6)))
    #expect(automatic == level6)
  }

  @Test(
    "the plan never spends more than 3× level 6's modelled time on a photo of the stream's size",
    arguments: [DataKind.photo, .flat])
  func budget(kind: DataKind) {
    for rows in [10, 100, 1_000, 2_304, 4_096] {
      let rowLength = 12_289
      let sample = RowBandSample(byteCount: rows * rowLength, rowLength: rowLength)
      let plan = EffortPlan(
        streamBytes: rows * rowLength, sampleBytes: sample.byteCount,
        firstRatio: kind == .flat ? 0.01 : 0.3)
      #expect(plan.kind == kind && plan.trials.first == EffortPlan.first)
      let limit = 3 * EffortPlan.first.cost(of: rows * rowLength, .photo)
      let sampling = plan.trials.reduce(0) { $0 + $1.cost(of: sample.byteCount, kind) }
      // Whatever is chosen: its whole-stream pass (none when the sample was the stream).
      for effort in plan.trials {
        let final = sample.isWhole ? 0 : effort.cost(of: rows * rowLength, kind)
        #expect(sampling + final <= limit * 1.000_001, "\(rows) rows, \(effort)")
      }
    }
  }

  @Test("the choice is never beaten on both bytes and cost by another candidate tried")
  func neverDominated() {
    var random = PaletteTests.Random(seed: 36)
    for round in 0..<2_000 {
      let kind: DataKind = round % 2 == 0 ? .photo : .flat
      let plan = EffortPlan(
        streamBytes: 40_000_000, sampleBytes: 524_288, firstRatio: kind == .flat ? 0.01 : 0.3)
      var sizes: [DeflateEffort: Int] = [:]
      for effort in plan.trials { sizes[effort] = 100_000 + random.next(20_000) }
      let chosen = plan.choose(sizes)
      #expect(plan.trials.contains(chosen))
      for other in plan.trials where other != chosen {
        let cheaper = other.nanosecondsPerByte(kind) < chosen.nanosecondsPerByte(kind)
        let smaller = (sizes[other] ?? 0) < (sizes[chosen] ?? 0)
        #expect(!(cheaper && smaller), "\(other) beats \(chosen) on both: \(sizes)")
      }
      // The same sizes, the same choice.
      #expect(plan.choose(sizes) == chosen)
    }
  }

  @Test("photos weigh bytes against time: a costlier level wins only when it saves enough")
  func photoChoice() {
    let plan = EffortPlan(streamBytes: 30_000_000, sampleBytes: 524_288, firstRatio: 0.3)
    #expect(plan.trials == [.libdeflate(level: 6), .libdeflate(level: 7)])
    let level7 = DeflateEffort.libdeflate(level: 7)
    // 3 % smaller for ~1.55× the time: worth it; 0.5 % smaller: not.
    #expect(plan.choose([EffortPlan.first: 100_000, level7: 97_000]) == level7)
    #expect(plan.choose([EffortPlan.first: 100_000, level7: 99_500]) == EffortPlan.first)
  }

  @Test("flat data counts time in the same unit: zlib's search wins when it saves 5 %")
  func flatChoice() {
    let plan = EffortPlan(streamBytes: 2_000_000, sampleBytes: 500_000, firstRatio: 0.01)
    #expect(plan.trials.contains(.zlibBest(.flat)))
    #expect(plan.choose([EffortPlan.first: 100_000, .zlibBest(.flat): 95_000]) == .zlibBest(.flat))
    #expect(plan.choose([EffortPlan.first: 100_000, .zlibBest(.flat): 99_500]) == EffortPlan.first)
  }

  @Test("level=N is libdeflate's level N; from 10 up zlib's level 9 is tried too, the smaller kept")
  func explicitLevels() throws {
    let image = Self.wallpaper
    for level in [1, 6, 9] {
      let png = try Codecs.encode(image, .png(PNGSettings(compressionLevel: level, palette: false)))
      let stream = try DeflateEffort.libdeflate(level: level).compress(Self.filtered(image)[...])
      #expect(Self.idat(png) == stream, "level \(level)")
    }
    let png = try Codecs.encode(image, .png(PNGSettings(compressionLevel: 10, palette: false)))
    let rows = try Self.filtered(image)
    let level10 = try DeflateEffort.libdeflate(level: 10).compress(rows[...])
    let zlib = try DeflateEffort.zlibBest(.flat).compress(rows[...])
    #expect(Self.idat(png) == (zlib.count < level10.count ? zlib : level10))
    #expect(zlib.count < level10.count, "a smooth gradient: zlib's search wins")
  }

  @Test("zlib runs with Pillow's stream settings: on a noisy photo's rows it beats level 9")
  func zlibSettings() throws {
    // A soft gradient with sensor-like noise: filtered, mostly small residuals, where zlib's
    // Z_FILTERED strategy (short matches dropped for literals) wins over the default one,
    // which compresses no better than libdeflate's level 9.
    let rows = try Self.filtered(Self.noisyGradient)
    let zlib = try DeflateEffort.zlibBest(.photo).compress(rows[...])
    let level9 = try DeflateEffort.libdeflate(level: 9).compress(rows[...])
    #expect(zlib.count < level9.count, "zlib \(zlib.count), level 9 \(level9.count)")
  }

  @Test("level=10 is never larger than Pillow's recipe: libpng's row heuristic and zlib 9")
  func bytesFirstCoversPillow() throws {
    let photo = try Self.windowDecoy()
    let png = try Codecs.encode(photo, .png(PNGSettings(compressionLevel: 10, palette: false)))
    let pillow = try DeflateEffort.zlibBest(.photo).compress(Self.heuristicRows(photo)[...])
    let judged = try Self.filtered(photo)
    let level10 = try DeflateEffort.libdeflate(level: 10).compress(judged[...])
    let zlib = try DeflateEffort.zlibBest(.photo).compress(judged[...])
    #expect(
      Self.idat(png).count <= pillow.count,
      "level 10 \(level10.count), zlib \(zlib.count), heuristic rows \(pillow.count)")
    #expect(Self.idat(png).count == min(level10.count, zlib.count, pillow.count))
  }

  /// A soft gradient with sensor-like noise, 640×480.
  static let noisyGradient: Image = {
    var random = PaletteTests.Random(seed: 7)
    return Fixtures.make(width: 640, height: 480, layout: .rgb, depth: .eight) { x, y, c in
      let base = (Double(x) / 639 * 0.6 + Double(y) / 479 * 0.3 + Double(c) * 0.05) * 255
      return min(255, max(0, (base + Double(random.next(13)) - 6) / 255))
    }
  }()

  /// 4000×120 RGB whose rows are Average's (each byte the mean of left and above, plus 0–15)
  /// except in the middle 4 KiB the windowed judge reads, where every row repeats the one
  /// above: the judge picks Up, while the whole row wants Average, as libpng's heuristic sees.
  static func windowDecoy() throws -> Image {
    let width = 4000
    let height = 120
    let rowBytes = width * 3
    let window = ((rowBytes - 4096) / 2)..<((rowBytes - 4096) / 2 + 4096)
    var random = PaletteTests.Random(seed: 11)
    var pixels = [UInt8](repeating: 0, count: rowBytes * height)
    for y in 0..<height {
      for i in 0..<rowBytes {
        let index = y * rowBytes + i
        guard !window.contains(i) else {
          pixels[index] = UInt8(truncatingIfNeeded: i * 7)  // the same in every row: Up's
          continue
        }
        let left = i >= 3 ? Int(pixels[index - 3]) : 0
        let above = y > 0 ? Int(pixels[index - rowBytes]) : 0
        pixels[index] = UInt8(truncatingIfNeeded: (left + above) >> 1 + random.next(16))
      }
    }
    return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
  }

  /// An 8-bit RGB image's rows as libpng's heuristic filters them, filter bytes included.
  static func heuristicRows(_ image: Image) -> [UInt8] {
    let rowBytes = image.width * 3
    var stream: [UInt8] = []
    var previous = [UInt8](repeating: 0, count: rowBytes)
    var output = [UInt8](repeating: 0, count: rowBytes)
    var trial = [UInt8](repeating: 0, count: rowBytes)
    image.withBytes { pixels in
      for y in 0..<image.height {
        let row = Array(pixels[(y * image.rowBytes)..<(y * image.rowBytes + rowBytes)])
        let used = SumOfAbsolutesChooser.filter(
          row, previous: previous, count: rowBytes, bpp: 3, into: &output, trial: &trial)
        stream += [used.rawValue] + output
        previous = row
      }
    }
    return stream
  }

  /// The concatenated IDAT data of `png`.
  static func idat(_ png: [UInt8]) -> [UInt8] {
    var data: [UInt8] = []
    var at = 8
    while at + 12 <= png.count {
      let length = png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
      if png[(at + 4)..<(at + 8)].elementsEqual("IDAT".utf8) {
        data += png[(at + 8)..<(at + 8 + length)]
      }
      at += 12 + length
    }
    return data
  }

  /// The filtered rows the writer makes of `image`: its level=0 file stores them in
  /// uncompressed DEFLATE blocks (a 2-byte zlib header; per block a header byte, LEN, NLEN,
  /// the bytes; an Adler-32 at the end).
  static func filtered(_ image: Image) throws -> [UInt8] {
    let stored = idat(
      try Codecs.encode(image, .png(PNGSettings(compressionLevel: 0, palette: false))))
    var rows: [UInt8] = []
    var at = 2
    while at + 5 <= stored.count - 4 {
      let length = Int(stored[at + 1]) | Int(stored[at + 2]) << 8
      rows += stored[(at + 5)..<(at + 5 + length)]
      let last = stored[at] & 1 == 1
      at += 5 + length
      if last { break }
    }
    return rows
  }

  @Test("the sample is whole rows inside the stream: eight bands when large, all when small")
  func sampleBands() {
    let large = RowBandSample(byteCount: 12_289 * 2_304, rowLength: 12_289)
    #expect(large.bands.count == RowBandSample.bandCount)
    for band in large.bands {
      #expect(band.lowerBound % 12_289 == 0 && band.count % 12_289 == 0)
      #expect(band.count >= 12_289 && band.upperBound <= 12_289 * 2_304)
    }
    #expect(zip(large.bands, large.bands.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound })
    let small = RowBandSample(byteCount: 301 * 200, rowLength: 301)
    #expect(small.bands == [0..<(301 * 200)])
  }

  @Test("the filters, sixteen bytes at a time, make the bytes of the PNG spec's definitions")
  func vectorFilters() {
    var random = PaletteTests.Random(seed: 16)
    for filter in PNGFilter.allCases {
      for (count, bpp) in [(1, 1), (17, 1), (48, 3), (100, 4), (4_099, 3), (9_000, 8), (64, 6)] {
        // Extremes as well as noise, so that every Paeth tie and wrap-around is met.
        let row: [UInt8] = (0..<count).map { _ in [0, 255, UInt8(random.next(256))][random.next(3)]
        }
        let previous: [UInt8] = (0..<count).map { _ in
          [0, 255, UInt8(random.next(256))][random.next(3)]
        }
        var output = [UInt8](repeating: 0, count: count)
        filter.apply(row, previous: previous, count: count, bpp: bpp, into: &output)
        let expected: [UInt8] = (0..<count).map { i in
          let a = i >= bpp ? Int(row[i - bpp]) : 0
          let b = Int(previous[i])
          let c = i >= bpp ? Int(previous[i - bpp]) : 0
          let predicted: Int
          switch filter {
          case .none: predicted = 0
          case .sub: predicted = a
          case .up: predicted = b
          case .average: predicted = (a + b) / 2
          case .paeth:
            let p = a + b - c
            let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
            predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
          }
          return UInt8(truncatingIfNeeded: Int(row[i]) - predicted)
        }
        #expect(output == expected, "\(filter), \(count) bytes, bpp \(bpp)")
      }
    }
  }

  @Test("a filter applied to a range of a row makes the bytes the whole-row filter makes there")
  func rangedFilters() {
    var random = PaletteTests.Random(seed: 9)
    for filter in PNGFilter.allCases {
      for (count, bpp) in [(1, 1), (7, 3), (100, 4), (12_289, 3), (9_000, 8)] {
        let row: [UInt8] = (0..<count).map { _ in UInt8(random.next(256)) }
        let previous: [UInt8] = (0..<count).map { _ in UInt8(random.next(256)) }
        var whole = [UInt8](repeating: 0, count: count)
        filter.apply(row, previous: previous, count: count, bpp: bpp, into: &whole)
        for _ in 0..<8 {
          let from = random.next(count)
          let end = from + random.next(count - from + 1)
          var part = [UInt8](repeating: 0, count: count)
          filter.apply(
            row, previous: previous, count: count, bpp: bpp, into: &part, from: from, to: end)
          #expect(
            Array(part[from..<end]) == Array(whole[from..<end]),
            "\(filter) \(count) \(from)..<\(end)")
        }
      }
    }
  }

  /// Shannon entropy of `bytes`, in bits (the reference for `EntropyScore`).
  static func entropy(_ bytes: [UInt8]) -> Double {
    var counts = [Int](repeating: 0, count: 256)
    for byte in bytes { counts[Int(byte)] += 1 }
    let total = Double(bytes.count)
    return counts.filter { $0 > 0 }.reduce(0) { sum, n in
      sum - Double(n) * log2(Double(n) / total)
    }
  }

  @Test("the chooser judges Up and the least-entropy other filter on the middle of whole rows")
  func chooserUnchanged() throws {
    let chooser = try PNGFilterChooser(candidates: PNGFilterChooser.photoCandidates)
    let judge = try DeflateCompressor(level: 1)
    var random = PaletteTests.Random(seed: 12)
    for (count, bpp) in [(300, 3), (12_288, 3), (16_384, 4), (5_000, 6)] {
      let scratch = UnsafeMutableRawBufferPointer.allocate(
        byteCount: chooser.scratchSize(count), alignment: 16)
      defer { scratch.deallocate() }
      var previous: [UInt8] = (0..<count).map { _ in UInt8(random.next(256)) }
      for _ in 0..<6 {
        // Smooth rows with noise, so that different filters win.
        let row: [UInt8] = (0..<count).map { i in
          UInt8(truncatingIfNeeded: Int(previous[i]) / 2 + i % 97 + random.next(9))
        }
        var output = [UInt8](repeating: 0, count: count)
        var trial = [UInt8](repeating: 0, count: count)
        let chosen = chooser.filter(
          row, previous: previous, count: count, bpp: bpp, into: &output, trial: &trial,
          scratch: scratch)
        // The reference: every candidate filters the whole row; the middle window's entropy
        // shortlists one besides Up, and the judge's smaller size wins.
        let window = min(count, PNGFilterChooser.judgedBytes)
        let middle = ((count - window) / 2)..<((count - window) / 2 + window)
        var filtered: [PNGFilter: [UInt8]] = [:]
        for candidate in PNGFilterChooser.photoCandidates {
          var full = [UInt8](repeating: 0, count: count)
          candidate.apply(row, previous: previous, count: count, bpp: bpp, into: &full)
          filtered[candidate] = Array(full[middle])
        }
        let shortlisted = PNGFilterChooser.photoCandidates.filter { $0 != .up }.min { a, b in
          Self.entropy(filtered[a] ?? []) < Self.entropy(filtered[b] ?? [])
        }
        var expected = (filter: PNGFilter.none, size: Int.max)
        for candidate in PNGFilterChooser.photoCandidates
        where candidate == .up || candidate == shortlisted {
          let size = (filtered[candidate] ?? []).withUnsafeBytes { bytes in
            judge.deflatedSize(bytes, scratch: scratch)
          }
          if size < expected.size { expected = (candidate, size) }
        }
        var reference = [UInt8](repeating: 0, count: count)
        expected.filter.apply(row, previous: previous, count: count, bpp: bpp, into: &reference)
        #expect(chosen == expected.filter)
        #expect(output == reference)
        previous = row
      }
    }
  }

  @Test("Average is a candidate: it wins rows that are the mean of left and above")
  func averageFilter() throws {
    let count = 3 * 400
    var random = PaletteTests.Random(seed: 17)
    let previous: [UInt8] = (0..<count).map { _ in UInt8(random.next(256)) }
    var row = [UInt8](repeating: 0, count: count)
    for i in 0..<count {
      let left = i >= 3 ? Int(row[i - 3]) : 0
      row[i] = UInt8((left + Int(previous[i])) >> 1)
    }
    let chooser = try PNGFilterChooser(candidates: PNGFilterChooser.photoCandidates)
    var output = [UInt8](repeating: 0, count: count)
    var trial = [UInt8](repeating: 0, count: count)
    let scratch = UnsafeMutableRawBufferPointer.allocate(
      byteCount: chooser.scratchSize(count), alignment: 16)
    defer { scratch.deallocate() }
    let chosen = chooser.filter(
      row, previous: previous, count: count, bpp: 3, into: &output, trial: &trial,
      scratch: scratch)
    #expect(chosen == .average)
    #expect(output.allSatisfy { $0 == 0 })
  }
}
