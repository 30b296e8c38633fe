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
