import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("PNG palettes are lossless")
struct PaletteTests {
  /// A small deterministic generator (xorshift), so every case can be re-run.
  struct Random {
    var state: UInt64
    init(seed: Int) { state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next(_ bound: Int) -> Int {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Int(state % UInt64(bound))
    }
  }

  enum AlphaMix: CaseIterable { case opaque, translucent, transparent, mixed }

  /// `colors` random RGBA colours (alphas as `mix` says), `first` as the first pixel and
  /// the first run, then the others in random runs.
  static func image(colors: Int, mix: AlphaMix, first: [UInt8], seed: Int) -> Image {
    var random = Random(seed: seed)
    var palette: [[UInt8]] = [first]
    var seen: Set<[UInt8]> = [first]
    while palette.count < colors {
      let alpha: UInt8 =
        switch mix {
        case .opaque: 255
        case .translucent: UInt8(1 + random.next(254))
        case .transparent: 0
        case .mixed: [0, 255, UInt8(1 + random.next(254))][random.next(3)]
        }
      let color = [
        UInt8(random.next(256)), UInt8(random.next(256)), UInt8(random.next(256)), alpha,
      ]
      if seen.insert(color).inserted { palette.append(color) }
    }
    let width = 37
    let height = max(3, (colors * 3 + width - 1) / width + 2)
    var pixels: [UInt8] = []
    // A leading run of the first colour, then every colour at least once, then noise.
    for _ in 0..<5 { pixels += first }
    for color in palette { pixels += color }
    while pixels.count < width * height * 4 { pixels += palette[random.next(palette.count)] }
    return (try? Image(width: width, height: height, layout: .rgba, pixels: pixels))
      ?? Image.empty
  }

  static let firstPixels: [[UInt8]] = [
    [255, 255, 255, 255], [0, 0, 0, 255], [0, 0, 0, 0], [255, 255, 255, 0], [10, 200, 30, 128],
    [255, 255, 255, 254],
  ]

  @Test(
    "decode(png) == source for 1–300 colours, every alpha mix, white and black first",
    arguments: [1, 2, 3, 4, 5, 16, 17, 100, 255, 256, 257, 300])
  func lossless(colors: Int) throws {
    for (index, first) in Self.firstPixels.enumerated() {
      for mix in AlphaMix.allCases {
        let source = Self.image(colors: colors, mix: mix, first: first, seed: colors * 31 + index)
        let png = try Codecs.encode(source, .png(PNGSettings()))
        let decoded = try Codecs.decode(png).image
        let layout = "\(colors) colours, \(mix), first \(first)"
        // An opaque image may come back as RGB: compare with alpha 255 added.
        let pixels =
          decoded.layout == .rgba ? decoded.pixels : decoded.converted(to: .rgba).pixels
        let firstDifference = pixels.indices.first {
          $0 >= source.pixels.count || pixels[$0] != source.pixels[$0]
        }
        #expect(
          pixels.count == source.pixels.count && firstDifference == nil,
          "\(layout): first difference at byte \(firstDifference ?? -1)")
      }
    }
  }
}
