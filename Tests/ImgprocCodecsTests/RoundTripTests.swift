import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("Encode → decode round trips")
struct RoundTripTests {
  @Test(
    "PNG is lossless for every layout and depth", arguments: PixelLayout.allCases,
    SampleDepth.allCases)
  func png(layout: PixelLayout, depth: SampleDepth) throws {
    let image = Fixtures.noise(width: 37, height: 21, layout: layout, depth: depth, seed: 4)
    let decoded = try Codecs.decode(try Codecs.encode(image, .png(PNGSettings())))
    #expect(Metrics.maxDifference(decoded.image, image) == 0)
  }

  @Test("PNG with few colours is written as a palette, still lossless")
  func pngPalette() throws {
    let image = Fixtures.checkerboard(width: 64, height: 64, cell: 8, layout: .rgba)
    let bytes = try Codecs.encode(image, .png(PNGSettings()))
    #expect(bytes[25] == 3, "colour type byte of IHDR: palette")
    // All colours are opaque, so the palette needs no tRNS and decodes as RGB.
    let decoded = try Codecs.decode(bytes).image
    #expect(decoded.layout == .rgb)
    #expect(Metrics.maxDifference(decoded.converted(to: .rgba), image) == 0)
    let plain = try Codecs.encode(image, .png(PNGSettings(palette: false)))
    #expect(bytes.count < plain.count)
  }

  @Test(
    "palette PNGs use the smallest bit depth and stay lossless", arguments: [2, 3, 16, 17, 256])
  func pngPaletteDepths(colors: Int) throws {
    let image = Fixtures.make(width: 37, height: 11, layout: .rgba, depth: .eight) { x, y, c in
      let index = (x * 7 + y * 3) % colors
      return c == 3 ? (index % 3 == 0 ? 0.5 : 1) : Double((index * (c + 1) * 37) % 256) / 255
    }
    let bytes = try Codecs.encode(image, .png(PNGSettings()))
    let expectedDepth = colors <= 2 ? 1 : colors <= 4 ? 2 : colors <= 16 ? 4 : 8
    #expect(bytes[24] == UInt8(expectedDepth) && bytes[25] == 3, "IHDR bit depth and colour type")
    #expect(Metrics.maxDifference(try Codecs.decode(bytes).image, image) == 0)
  }

  @Test("every PNG effort level writes a valid, lossless file", arguments: [0, 1, 6, 9, 12])
  func pngLevels(level: Int) throws {
    let image = Fixtures.noise(width: 45, height: 30, layout: .rgb, depth: .sixteen, seed: 6)
    let bytes = try Codecs.encode(image, .png(PNGSettings(compressionLevel: level)))
    #expect(Metrics.maxDifference(try Codecs.decode(bytes).image, image) == 0)
  }

  @Test("JPEG keeps gray gray and RGB close", arguments: [PixelLayout.gray, .rgb])
  func jpeg(layout: PixelLayout) throws {
    let image = Fixtures.gradient(width: 64, height: 48, layout: layout)
    for progressive in [false, true] {
      let bytes = try Codecs.encode(
        image, .jpeg(JPEGSettings(quality: 90, progressive: progressive)))
      let decoded = try Codecs.decode(bytes)
      #expect(decoded.image.layout == layout)
      #expect(Metrics.psnr(decoded.image, image) > 35)
    }
  }

  @Test(
    "JPEG: arithmetic coding and restart markers decode",
    arguments: [
      (true, 0, "arithmetic.jpg"), (false, 1, "restart-1.jpg"),
      (true, 2, "arithmetic-restart-2.jpg"),
    ])
  func jpegCodingVariants(arithmetic: Bool, restart: Int, file: String) throws {
    // libjpeg-turbo's encoder wrote them from this gradient (Fixtures/README.md).
    let image = Fixtures.gradient(width: 80, height: 64)
    let bytes = try FixtureFiles.bytes(file)
    if restart > 0 { #expect(bytes.contains(0xDD) && containsMarker(bytes, 0xD0)) }
    if arithmetic { #expect(containsMarker(bytes, 0xC9) || containsMarker(bytes, 0xCA)) }
    #expect(Metrics.psnr(try Codecs.decode(bytes).image, image) > 35)
  }

  @Test("JPEG: Adobe CMYK and YCCK become RGB naively", arguments: [false, true])
  func cmyk(ycck: Bool) throws {
    // Inverted (Adobe) CMYK: stored 255 = no ink. One flat colour, 16×16: stored
    // [255, 128, 0, 200] (Fixtures/README.md).
    let bytes = try FixtureFiles.bytes(ycck ? "ycck-flat.jpg" : "cmyk-flat.jpg")
    let decoded = try Codecs.decode(bytes)
    #expect(decoded.image.layout == .rgb)
    // R = C·K/255 on stored values: 255·200/255 = 200, 128·200/255 ≈ 100, 0.
    for (channel, expected) in [200.0, 100.4, 0.0].enumerated() {
      #expect(abs(Metrics.mean(decoded.image, channel: channel) - expected) < 4)
    }
  }

  @Test("JPEG subsampling auto is 4:2:0 below quality 90 and 4:4:4 from 90")
  func subsampling() throws {
    let image = Fixtures.noise(width: 32, height: 32, seed: 2)
    func lumaSampling(_ bytes: [UInt8]) -> UInt8? {
      guard let sof = markerOffset(bytes, 0xC0) else { return nil }
      return bytes[sof + 11]  // first component: sampling factors byte
    }
    #expect(lumaSampling(try Codecs.encode(image, .jpeg(JPEGSettings(quality: 85)))) == 0x22)
    #expect(lumaSampling(try Codecs.encode(image, .jpeg(JPEGSettings(quality: 90)))) == 0x11)
    #expect(
      lumaSampling(try Codecs.encode(image, .jpeg(JPEGSettings(quality: 95, subsampling: .s420))))
        == 0x22)
  }

  @Test("WebP lossy stays close, lossless is exact with alpha")
  func webp() throws {
    let image = Fixtures.gradient(width: 64, height: 40)
    let lossy = try Codecs.decode(try Codecs.encode(image, .webp(WebPSettings(quality: 90))))
    #expect(lossy.image.layout == .rgb)
    #expect(Metrics.psnr(lossy.image, image) > 35)
    let alpha = Fixtures.noise(width: 33, height: 17, layout: .rgba, seed: 8)
    let lossless = try Codecs.decode(try Codecs.encode(alpha, .webp(WebPSettings(lossless: true))))
    // Colour under fully transparent pixels is not kept (libwebp's default, as Pillow's).
    #expect(
      Metrics.maxDifference(lossless.image.flattened(onto: .black), alpha.flattened(onto: .black))
        == 0)
    #expect(
      Metrics.samples(lossless.image).enumerated().filter { $0.offset % 4 == 3 }.map(\.element)
        == Metrics.samples(alpha).enumerated().filter { $0.offset % 4 == 3 }.map(\.element))
  }

  @Test("an animated WebP gives its first frame and a warning")
  func animatedWebP() throws {
    // Three lossless frames, the first this gradient (Fixtures/README.md).
    let first = Fixtures.gradient(width: 24, height: 16, layout: .rgba)
    let bytes = try FixtureFiles.bytes("animated.webp")
    #expect(try Codecs.probe(bytes).isAnimated)
    let decoded = try Codecs.decode(bytes)
    #expect(Metrics.maxDifference(decoded.image.converted(to: .rgba), first) == 0)
    #expect(decoded.warnings.contains { $0.contains("first frame") })
  }

  @Test(
    "ICC profiles and EXIF survive every format",
    arguments: ImageFormat.allCases.filter { $0.capabilities.contains(.encode) })
  func metadata(format: ImageFormat) throws {
    let metadata = ImageMetadata(
      icc: Fixtures.iccProfile(), exif: Fixtures.exif(orientation: 3, bigEndian: true))
    let image = Fixtures.gradient(width: 20, height: 10)
    let settings = format.encodeSettings(EncodeRequest())
    let decoded = try Codecs.decode(try Codecs.encode(image, settings, metadata: metadata))
    if format.capabilities.contains(.orientsOnDecode) {
      // The decoder applies the container's orientation: the EXIF it hands on says upright.
      #expect(decoded.metadata.icc == metadata.icc)
      #expect(decoded.metadata.orientation == .up && decoded.metadata.exif != nil)
    } else {
      #expect(decoded.metadata == metadata)
      #expect(decoded.metadata.orientation == .down)
    }
  }

  @Test("a gray profile is not put on RGB pixels")
  func profileCompatibility() throws {
    let metadata = ImageMetadata(icc: Fixtures.iccProfile(space: "GRAY"))
    let rgb = try Codecs.encode(
      Fixtures.gradient(width: 8, height: 8), .png(PNGSettings()), metadata: metadata)
    #expect(try Codecs.decode(rgb).metadata.icc == nil)
    let gray = try Codecs.encode(
      Fixtures.gradient(width: 8, height: 8, layout: .gray), .png(PNGSettings()), metadata: metadata
    )
    #expect(try Codecs.decode(gray).metadata.icc == metadata.icc)
  }

  func containsMarker(_ bytes: [UInt8], _ marker: UInt8) -> Bool {
    markerOffset(bytes, marker) != nil
  }

  func markerOffset(_ bytes: [UInt8], _ marker: UInt8) -> Int? {
    (0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == marker }
  }
}
