import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("PNG decoding: every colour type and bit depth")
struct PNGDecodeTests {
  static let width = 13
  static let height = 7

  /// Deterministic samples below 2^bitDepth.
  static func samples(channels: Int, bitDepth: Int, seed: Int = 1) -> [Int] {
    let count = width * height * channels
    let limit = 1 << bitDepth
    return (0..<count).map { ($0 * 7919 + seed * 104_729) % limit }
  }

  /// libpng's expansion of an n-bit sample to 8 bits (exact scaling).
  static func expand(_ v: Int, bits: Int) -> Int { bits == 8 ? v : v * 255 / ((1 << bits) - 1) }

  @Test(
    "gray at 1, 2, 4, 8 and 16 bits, plain and interlaced", arguments: [1, 2, 4, 8, 16],
    [false, true])
  func gray(bitDepth: Int, interlaced: Bool) throws {
    let values = Self.samples(channels: 1, bitDepth: bitDepth)
    let png = TinyPNG.encode(
      width: Self.width, height: Self.height, colorType: .gray, bitDepth: bitDepth, samples: values,
      interlaced: interlaced)
    let decoded = try Codecs.decode(png)
    #expect(decoded.image.layout == .gray)
    #expect(decoded.image.depth == (bitDepth == 16 ? .sixteen : .eight))
    let expected = bitDepth == 16 ? values : values.map { Self.expand($0, bits: bitDepth) }
    #expect(Metrics.samples(decoded.image) == expected)
  }

  @Test(
    "RGB, gray+alpha and RGBA at 8 and 16 bits",
    arguments: [TinyPNG.ColorType.rgb, .grayAlpha, .rgba], [8, 16])
  func color(type: TinyPNG.ColorType, bitDepth: Int) throws {
    let values = Self.samples(channels: type.channels, bitDepth: bitDepth)
    for interlaced in [false, true] {
      let png = TinyPNG.encode(
        width: Self.width, height: Self.height, colorType: type, bitDepth: bitDepth,
        samples: values,
        interlaced: interlaced)
      let decoded = try Codecs.decode(png)
      #expect(decoded.image.layout.channels == type.channels)
      #expect(Metrics.samples(decoded.image) == values)
    }
  }

  @Test("palette at 1, 2, 4 and 8 bits, with tRNS", arguments: [1, 2, 4, 8])
  func palette(bitDepth: Int) throws {
    let entries = 1 << bitDepth
    var palette: [UInt8] = []
    for entry in 0..<entries {
      palette += [UInt8(entry * 3 % 256), UInt8(entry * 5 % 256), UInt8(255 - entry % 256)]
    }
    // The first entries are translucent.
    let alphas: [UInt8] = (0..<min(entries, 3)).map { UInt8($0 * 100) }
    let indices = Self.samples(channels: 1, bitDepth: bitDepth)
    let png = TinyPNG.encode(
      width: Self.width, height: Self.height, colorType: .palette, bitDepth: bitDepth,
      samples: indices,
      palette: palette, transparency: alphas)
    let decoded = try Codecs.decode(png)
    #expect(decoded.image.layout == .rgba)
    var expected: [Int] = []
    for i in indices {
      let alpha = i < alphas.count ? Int(alphas[i]) : 255
      expected += [Int(palette[3 * i]), Int(palette[3 * i + 1]), Int(palette[3 * i + 2]), alpha]
    }
    #expect(Metrics.samples(decoded.image) == expected)
  }

  @Test("tRNS on gray makes one value transparent")
  func grayTransparency() throws {
    let values = Self.samples(channels: 1, bitDepth: 8)
    let key = values[3]
    let png = TinyPNG.encode(
      width: Self.width, height: Self.height, colorType: .gray, bitDepth: 8, samples: values,
      transparency: [0, UInt8(key)])
    let decoded = try Codecs.decode(png)
    #expect(decoded.image.layout == .grayAlpha)
    #expect(Metrics.samples(decoded.image) == values.flatMap { [$0, $0 == key ? 0 : 255] })
  }

  @Test("iCCP and eXIf are read, eXIf also after the image data")
  func metadata() throws {
    let icc = Fixtures.iccProfile()
    let exif = Fixtures.exif(orientation: 6)
    let values = Self.samples(channels: 3, bitDepth: 8)
    let iccp = Array("icc\0".utf8) + [0] + zlibCompressedForPNG(icc)
    let before = TinyPNG.encode(
      width: Self.width, height: Self.height, colorType: .rgb, bitDepth: 8, samples: values,
      extraChunks: [("iCCP", iccp), ("eXIf", exif)])
    let decoded = try Codecs.decode(before)
    #expect(decoded.metadata.icc == icc)
    #expect(decoded.metadata.exif == exif)
    #expect(decoded.metadata.orientation == .right)
    let after = TinyPNG.encode(
      width: Self.width, height: Self.height, colorType: .rgb, bitDepth: 8, samples: values,
      trailingChunks: [("eXIf", exif)])
    #expect(try Codecs.decode(after).metadata.orientation == .right)
  }

  /// The zlib bombs of the broken-input tests are real zlib streams: a gray PNG whose IDAT is
  /// `Streams.zlibOfZeros` decodes to black (a stream that did not inflate would fail, and
  /// a bomb test would then pass for the wrong reason).
  @Test("the test zlib stream of zeros inflates", arguments: [(1, 1), (300, 7), (1000, 33)])
  func zlibOfZeros(width: Int, height: Int) throws {
    let rows = height * (width + 1)
    let png =
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
      + TinyPNG.chunk("IHDR", TinyPNG.be32(width) + TinyPNG.be32(height) + [8, 0, 0, 0, 0])
      + TinyPNG.chunk("IDAT", Streams.zlibOfZeros(rows)) + TinyPNG.chunk("IEND", [])
    let decoded = try Codecs.decode(png)
    #expect(decoded.image.width == width && decoded.image.height == height)
    #expect(Metrics.samples(decoded.image).allSatisfy { $0 == 0 })
  }

  /// iCCP wants zlib data; stored blocks are valid zlib.
  func zlibCompressedForPNG(_ bytes: [UInt8]) -> [UInt8] { TinyPNG.zlibStored(bytes) }
}
