import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

/// Colour management against values computed here from the colour science, not from lcms2.
@Suite("ICC profiles: P3 and CMYK to sRGB, 16 bit, alpha, sRGB untouched")
struct ColorManagementTests {
  static let d65 = (0.3127, 0.3290)
  static let displayP3 = ColorManagement.rgbProfile(
    white: d65, red: (0.680, 0.320), green: (0.265, 0.690), blue: (0.150, 0.060),
    description: "imgproc test Display P3")

  /// Display P3 → sRGB for linear light, both D65 (the two primaries' matrices composed).
  static let p3ToSRGB: [[Double]] = [
    [1.2249401, -0.2249404, 0.0],
    [-0.0420569, 1.0420571, 0.0],
    [-0.0196376, -0.0786361, 1.0982735],
  ]

  static func linear(_ v: Double) -> Double {
    v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
  }

  static func encoded(_ v: Double) -> Double {
    let c = min(1, max(0, v))
    return c <= 0.0031308 ? c * 12.92 : 1.055 * pow(c, 1 / 2.4) - 0.055
  }

  /// The sRGB value of a P3 colour, each channel in 0...1.
  static func expectedSRGB(_ p3: [Double]) -> [Double] {
    let linearP3 = p3.map(linear)
    return p3ToSRGB.map { row in encoded(zip(row, linearP3).map(*).reduce(0, +)) }
  }

  static func png(_ image: Image, icc: [UInt8]?) throws -> [UInt8] {
    try Codecs.encode(image, .png(PNGSettings()), metadata: ImageMetadata(icc: icc))
  }

  static let colors: [[Int]] = [
    [200, 100, 50], [255, 0, 0], [128, 128, 128], [0, 255, 0], [30, 60, 220], [250, 240, 10],
  ]

  @Test("8-bit Display P3 becomes sRGB within one level; the profile is removed")
  func displayP3() throws {
    let image = try Image(
      width: Self.colors.count, height: 1, layout: .rgb,
      pixels: Self.colors.flatMap { $0.map(UInt8.init) })
    let source = try Self.png(image, icc: Self.displayP3)
    let stored = try Codecs.decode(source)
    #expect(stored.image == image && stored.metadata.icc == Self.displayP3)
    let converted = try Codecs.decode(source, options: DecodeOptions(color: .sRGB, threads: 2))
    #expect(converted.metadata.icc == nil)
    for (x, color) in Self.colors.enumerated() {
      let expected = Self.expectedSRGB(color.map { Double($0) / 255 }).map {
        Int(($0 * 255).rounded())
      }
      let actual = (0..<3).map { converted.image.sample(x: x, y: 0, channel: $0) }
      #expect(
        zip(actual, expected).allSatisfy { abs($0 - $1) <= 1 },
        "\(color) → \(actual), expected \(expected)")
    }
    // Not a no-op: the first colour moves by more than ten levels.
    #expect(abs(converted.image.sample(x: 0, y: 0, channel: 0) - 200) > 10)
  }

  @Test("16-bit is transformed at 16 bit; alpha is copied")
  func sixteenBitAndAlpha() throws {
    let values: [[Int]] = [[51400, 25700, 12850, 65535], [1000, 40000, 60000, 12345]]
    let samples = values.flatMap { $0.map(UInt16.init) }
    let bytes = samples.withUnsafeBytes { Array($0) }
    let image = try Image(width: 2, height: 1, layout: .rgba, depth: .sixteen, pixels: bytes)
    let converted = try Codecs.decode(
      try Self.png(image, icc: Self.displayP3), options: DecodeOptions(color: .sRGB))
    #expect(converted.image.depth == .sixteen && converted.image.layout == .rgba)
    for (x, pixel) in values.enumerated() {
      let expected = Self.expectedSRGB(pixel.prefix(3).map { Double($0) / 65535 })
        .map { Int(($0 * 65535).rounded()) }
      let actual = (0..<3).map { converted.image.sample(x: x, y: 0, channel: $0) }
      // lcms2 works in 16 bit (its tables interpolate the steep dark end of the curve): within
      // 0.15 % of full scale, where one 8-bit level is 0.4 %.
      #expect(zip(actual, expected).allSatisfy { abs($0 - $1) <= 100 }, "\(actual) vs \(expected)")
      #expect(converted.image.sample(x: x, y: 0, channel: 3) == pixel[3])
    }
  }

  @Test("gray with a linear (gamma 1) profile becomes gray with sRGB's curve")
  func gray() throws {
    let levels: [UInt8] = [0, 50, 128, 200, 255]
    let image = try Image(width: levels.count, height: 1, layout: .gray, pixels: levels)
    let converted = try Codecs.decode(
      try Self.png(image, icc: try FixtureFiles.bytes("gray-gamma-1.icc")),
      options: DecodeOptions(color: .sRGB))
    #expect(converted.image.layout == .gray && converted.metadata.icc == nil)
    for (x, level) in levels.enumerated() {
      let expected = Int((Self.encoded(Double(level) / 255) * 255).rounded())
      #expect(abs(converted.image.sample(x: x, y: 0, channel: 0) - expected) <= 1, "\(level)")
    }
  }

  @Test("pixels tagged sRGB are left exactly as stored; a compact sRGB profile is small")
  func sRGBUntouched() throws {
    let profile = Codecs.compactSRGBProfile
    #expect(profile.count > 0 && profile.count < 1024, "\(profile.count) bytes")
    let image = Fixtures.noise(width: 32, height: 16, layout: .rgb, seed: 3)
    let converted = try Codecs.decode(
      try Self.png(image, icc: profile), options: DecodeOptions(color: .sRGB))
    #expect(converted.image == image && converted.metadata.icc == nil)
  }

  /// A CMYK profile unlike the naive formula: ink darkens as its square.
  static func cmykColors(_ c: Double, _ m: Double, _ y: Double, _ k: Double) -> (
    Double, Double, Double
  ) {
    let white = 1 - k
    return (
      (1 - c) * (1 - c) * white, (1 - m) * (1 - m) * white, (1 - y) * (1 - y) * white
    )
  }

  @Test("a CMYK JPEG (Adobe-inverted) is converted with its profile, not naively")
  func cmyk() throws {
    let inks: [[Int]] = [[0, 0, 0, 0], [128, 0, 0, 0], [0, 128, 64, 0], [64, 64, 64, 64]]
    // 16×16 flat blocks of these inks (stored inverted, as Adobe writes them), with a
    // profile of `cmykColors` and without (Fixtures/README.md).
    let jpeg = try FixtureFiles.bytes("cmyk-inks-profiled.jpg")
    let converted = try Codecs.decode(jpeg, options: DecodeOptions(color: .sRGB))
    let naive = try Codecs.decode(try FixtureFiles.bytes("cmyk-inks.jpg"))
    #expect(converted.image.layout == .rgb && converted.metadata.icc == nil)
    #expect(converted.warnings.isEmpty)
    // Profiles kept: the same conversion (a CMYK profile cannot describe RGB), and a word.
    let kept = try Codecs.decode(jpeg, options: DecodeOptions(color: .asStored))
    #expect(kept.image == converted.image && kept.metadata.icc == nil)
    #expect(kept.warnings.contains { $0.contains("CMYK profile") && $0.contains("not kept") })
    for (block, ink) in inks.enumerated() {
      let (r, g, b) = Self.cmykColors(
        Double(ink[0]) / 255, Double(ink[1]) / 255, Double(ink[2]) / 255, Double(ink[3]) / 255)
      let expected = [r, g, b].map { Int(($0 * 255).rounded()) }
      let actual = (0..<3).map { converted.image.sample(x: block * 16 + 8, y: 8, channel: $0) }
      #expect(
        zip(actual, expected).allSatisfy { abs($0 - $1) <= 4 },
        "\(ink) → \(actual), expected \(expected)")
    }
    // The naive formula gives 127 for 50 % cyan's red; the profile's square law 64.
    #expect(abs(naive.image.sample(x: 24, y: 8, channel: 0) - 127) <= 3)
    #expect(abs(converted.image.sample(x: 24, y: 8, channel: 0) - 64) <= 4)
  }
}
