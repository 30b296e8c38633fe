import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@testable import ImgprocPipeline

@Suite("Rendering one source into its variants")
struct RenderTests {
  static func png(_ image: Image, icc: [UInt8]? = nil, exif: [UInt8]? = nil) throws -> [UInt8] {
    try Codecs.encode(
      image, .png(PNGSettings(palette: false)), metadata: ImageMetadata(icc: icc, exif: exif))
  }

  @Test("the default recipe gives five outputs with the Lambda's formats and sizes")
  func fiveVariants() throws {
    let source = try Self.png(Fixtures.gradient(width: 640, height: 400))
    let result = try ImageRenderer.render(
      source, variants: Recipe.standard.variants, settings: RenderSettings())
    #expect(result.outputs.map(\.variant.format) == [.jpeg, .jpeg, .webp, .png, .jpeg])
    #expect(
      result.outputs.map(\.size) == Array(repeating: Size(width: 640, height: 400), count: 4) + [
        Size(width: 300, height: 188)
      ])
    for output in result.outputs {
      #expect(try decode(output).format == output.variant.format)
    }
  }

  @Test(
    "without a cap, an output too large for --max-pixels or its format is refused before any pixel is allocated",
    arguments: [
      (
        "a:jpeg:65535x65535:enlarge",
        "variant 'a' would be 65535×43690, more pixels than --max-pixels"
      ),
      (
        "w:webp:20000x20000:enlarge",
        "variant 'w' would be 20000×13333: webp stores at most 16383 px"
      ),
      ("p:png:2000x2000:enlarge:fit=contain", "variant 'p' would be 2000×2000, more pixels than"),
    ])
  func outputSizeChecked(spec: String, message: String) throws {
    let source = try Self.png(Fixtures.gradient(width: 60, height: 40))
    var decode = DecodeOptions()
    decode.maxPixels = spec.hasPrefix("p:") ? 1_000_000 : DecodeOptions.defaultMaxPixels
    let error = try #require(throws: PipelineError.self) {
      _ = try ImageRenderer.render(
        source, variants: [try Variant(spec: spec)],
        settings: RenderSettings(maxSize: 0, decode: decode))
    }
    #expect(error.message.hasPrefix(message), "\(error.message)")
    #expect(
      error.hint?.contains("variant '\(spec.prefix(1))'") == true,
      "\(String(describing: error.hint))")
  }

  @Test(
    "the cap bounds size-less variants and outputs; a sized variant is made as without the cap",
    arguments: [
      ("c:png:100x100:fit=cover", Size(width: 100, height: 100)),
      ("i:png:500x500", Size(width: 500, height: 5)),
      ("f:png", Size(width: 4096, height: 41)),
      ("big:png:6000x6000", Size(width: 4096, height: 41)),
    ])
  func capAndSizedVariants(spec: String, expected: Size) throws {
    let panorama = try Self.png(Fixtures.gradient(width: 10000, height: 100))
    let result = try ImageRenderer.render(
      panorama, variants: [try Variant(spec: spec)], settings: RenderSettings(maxSize: 4096))
    #expect(result.outputs.map(\.size) == [expected])
  }

  @Test("--keep icc carries the profile into every output format; by default none is kept")
  func iccCarried() throws {
    let icc = Fixtures.iccProfile(tag: "carried")
    let source = try Codecs.encode(
      Fixtures.gradient(width: 64, height: 64), .jpeg(JPEGSettings()),
      metadata: ImageMetadata(icc: icc, exif: Fixtures.exif(orientation: 1)))
    let result = try ImageRenderer.render(
      source, variants: Recipe.standard.variants, settings: RenderSettings(keep: .icc))
    for output in result.outputs {
      let metadata = try decode(output).metadata
      #expect(metadata.icc == icc, "\(output.variant.name)")
      #expect(metadata.exif == nil, "EXIF is not kept by --keep icc")
    }
    // This profile is not one lcms2 can read: by default it is dropped, with a warning, and
    // the pixels are left as stored.
    let none = try ImageRenderer.render(
      source, variants: Recipe.standard.variants, settings: RenderSettings())
    #expect(try none.outputs.allSatisfy { try decode($0).metadata == ImageMetadata() })
    #expect(none.warnings.contains { $0.contains("ICC profile") }, "\(none.warnings)")
  }

  @Test("--output-profile srgb-compact tags every output with the compact sRGB profile")
  func compactProfile() throws {
    let source = try Codecs.encode(Fixtures.gradient(width: 32, height: 32), .png(PNGSettings()))
    let result = try ImageRenderer.render(
      source, variants: Recipe.standard.variants, settings: RenderSettings(profile: .srgbCompact))
    for output in result.outputs {
      #expect(
        try decode(output).metadata.icc == Codecs.compactSRGBProfile, "\(output.variant.name)")
    }
  }

  @Test("EXIF orientation is applied to every variant", arguments: Orientation.allCases)
  func orientation(_ orientation: Orientation) throws {
    let stored = Fixtures.numbered(width: 40, height: 24, layout: .rgb)
    let source = try Self.png(stored, exif: Fixtures.exif(orientation: orientation.rawValue))
    let variants = [
      Variant(name: "png", format: .png), Variant(name: "t", format: .jpeg, width: 20, height: 20),
    ]
    let result = try ImageRenderer.render(
      source, variants: variants, settings: RenderSettings(keep: .all))
    let upright = try decode(result.outputs[0])
    #expect(Metrics.maxDifference(upright.image, stored.applying(orientation)) == 0)
    #expect(upright.metadata.orientation == .up, "the carried tag is reset")
    // The fit box is computed on the upright image.
    let expected = orientation.swapsAxes ? Size(width: 12, height: 20) : Size(width: 20, height: 12)
    #expect(result.outputs[1].size == expected)
    // --no-rotate keeps pixels (and the tag) as stored.
    let kept = try ImageRenderer.render(
      source, variants: variants, settings: RenderSettings(autoOrient: false, keep: .exif))
    #expect(Metrics.maxDifference(try decode(kept.outputs[0]).image, stored) == 0)
    #expect(try decode(kept.outputs[0]).metadata.orientation == orientation)
  }

  @Test(
    "JPEG APP1 and WebP EXIF orientations are applied too", arguments: [ImageFormat.jpeg, .webp])
  func orientationInOtherFormats(format: ImageFormat) throws {
    let stored = Fixtures.gradient(width: 60, height: 20)
    let exif = ImageMetadata(exif: Fixtures.exif(orientation: Orientation.right.rawValue))
    let settings: EncodeSettings =
      format == .jpeg ? .jpeg(JPEGSettings(quality: 95)) : .webp(WebPSettings(lossless: true))
    let source = try Codecs.encode(stored, settings, metadata: exif)
    let result = try ImageRenderer.render(
      source, variants: [Variant(name: "p", format: .png)], settings: RenderSettings())
    let upright = try decode(result.outputs[0]).image
    #expect(upright.width == 20 && upright.height == 60)
    #expect(Metrics.psnr(upright, stored.applying(.right)) > 35)
  }

  @Test("alpha is flattened onto the background for JPEG and kept for PNG and WebP")
  func alpha() throws {
    let half = Fixtures.make(width: 16, height: 16, layout: .rgba, depth: .eight) { x, _, c in
      c == 3 ? (x < 8 ? 0 : 1) : (c == 0 ? 1 : 0)
    }
    let source = try Self.png(half)
    let variants = [
      Variant(name: "j", format: .jpeg, quality: 95), Variant(name: "p", format: .png),
      Variant(name: "w", format: .webp, quality: 95),
    ]
    let blue = try #require(RGBColor(parsing: "#0000ff"))
    let result = try ImageRenderer.render(
      source, variants: variants, settings: RenderSettings(background: blue))
    let jpeg = try decode(result.outputs[0]).image
    #expect(jpeg.layout == .rgb)
    #expect(
      jpeg.sample(x: 2, y: 8, channel: 2) > 240 && jpeg.sample(x: 2, y: 8, channel: 0) < 15,
      "transparent → blue")
    #expect(jpeg.sample(x: 13, y: 8, channel: 0) > 240, "opaque red stays red")
    #expect(try decode(result.outputs[1]).image.layout == .rgba)
    let webp = try decode(result.outputs[2]).image
    #expect(webp.layout == .rgba && webp.sample(x: 2, y: 8, channel: 3) == 0)
  }

  @Test("16-bit PNG stays 16-bit in PNG outputs and becomes 8-bit elsewhere")
  func sixteenBit() throws {
    let deep = Fixtures.gradient(width: 50, height: 30, layout: .gray, depth: .sixteen)
    let variants = [
      Variant(name: "p", format: .png), Variant(name: "j", format: .jpeg, quality: 95),
      Variant(name: "t", format: .png, width: 25),
    ]
    let result = try ImageRenderer.render(
      try Self.png(deep), variants: variants, settings: RenderSettings())
    let png = try decode(result.outputs[0]).image
    #expect(png.depth == .sixteen && Metrics.maxDifference(png, deep) == 0)
    let jpeg = try decode(result.outputs[1]).image
    #expect(jpeg.depth == .eight && jpeg.layout == .gray)
    #expect(
      abs(Metrics.mean(jpeg, channel: 0) - Metrics.mean(deep, channel: 0) / 257) < 2,
      "scaled, not clipped")
    #expect(try decode(result.outputs[2]).image.depth == .sixteen)
  }

  @Test("images over --max-size are fitted first; 0 disables the cap")
  func maxSize() throws {
    let wide = try Codecs.encode(Fixtures.gradient(width: 900, height: 90), .jpeg(JPEGSettings()))
    let variants = [Variant(name: "j", format: .jpeg)]
    let capped = try ImageRenderer.render(
      wide, variants: variants, settings: RenderSettings(maxSize: 300))
    #expect(capped.outputs[0].size == Size(width: 300, height: 30))
    let uncapped = try ImageRenderer.render(
      wide, variants: variants, settings: RenderSettings(maxSize: 0))
    #expect(uncapped.outputs[0].size == Size(width: 900, height: 90))
  }

  @Test("fit modes reach the outputs: cover crops, contain pads")
  func fitModes() throws {
    let source = try Self.png(Fixtures.gradient(width: 200, height: 100))
    let variants = [
      Variant(name: "cover", format: .png, width: 50, height: 50, fit: .cover),
      Variant(name: "contain", format: .png, width: 50, height: 50, fit: .contain),
      Variant(name: "fill", format: .png, width: 50, height: 50, fit: .fill),
    ]
    let result = try ImageRenderer.render(
      source, variants: variants, settings: RenderSettings(background: .black))
    #expect(result.outputs.map(\.size) == Array(repeating: Size(width: 50, height: 50), count: 3))
    let contain = try decode(result.outputs[1]).image
    #expect(contain.sample(x: 25, y: 2, channel: 1) == 0, "padding is the background")
  }

  @Test("a CMYK profile is not carried into RGB outputs")
  func cmykProfileDropped() throws {
    var metadata = ImageMetadata(icc: Fixtures.iccProfile(space: "CMYK"))
    let source = try Codecs.encode(
      Fixtures.gradient(width: 16, height: 16), .jpeg(JPEGSettings()), metadata: metadata)
    let result = try ImageRenderer.render(
      source, variants: Recipe.standard.variants, settings: RenderSettings())
    metadata.icc = nil
    #expect(try result.outputs.allSatisfy { try decode($0).metadata == metadata })
  }
}

extension RenderTests {
  @Test("--keep icc on a CMYK JPEG with its profile: converted through it as by default, and said")
  func cmykKeptProfile() throws {
    // Ink [128, 64, 32, 64] with a profile in which ink darkens as its square, unlike the
    // naive formula (Fixtures/README.md).
    let jpeg = try FixtureFiles.bytes("cmyk-ink-profiled.jpg")
    let variant = [Variant(name: "p", format: .png)]
    let plain = try ImageRenderer.render(jpeg, variants: variant, settings: RenderSettings())
    let kept = try ImageRenderer.render(
      jpeg, variants: variant, settings: RenderSettings(keep: .icc))
    let expected = try decode(plain.outputs[0])
    let output = try decode(kept.outputs[0])
    #expect(output.image == expected.image)
    #expect(output.metadata.icc == nil)
    #expect(kept.warnings.contains { $0.contains("CMYK profile") }, "\(kept.warnings)")
    #expect(plain.warnings.isEmpty)
    // The profile's square law, not the naive 255 * (1 - 128/255) * (1 - 64/255) ≈ 95.
    #expect(abs(expected.image.sample(x: 8, y: 8, channel: 0) - 48) <= 6)
  }
}

@Suite("Shrink-on-load")
struct ShrinkOnLoadTests {
  static let thumbnail = Variant(name: "t", format: .jpeg, quality: 80, width: 300, height: 300)

  @Test("the decoder shrinks only while at least 2× is left for the kernel")
  func denominators() throws {
    let big = try Codecs.probe(
      Damage.jpegClaiming(
        try Codecs.encode(Fixtures.gradient(width: 64, height: 48), .jpeg(JPEGSettings())),
        width: 6000, height: 4000))
    let upright = Size(width: 6000, height: 4000)
    let capped = RenderSettings(maxSize: 4096)
    #expect(ImageRenderer.shrinkOnLoad(big, upright: upright, [Self.thumbnail], capped) == 8)
    let medium = Variant(name: "m", format: .jpeg, width: 1000, height: 1000)
    #expect(ImageRenderer.shrinkOnLoad(big, upright: upright, [medium], capped) == 2)
    let full = Variant(name: "f", format: .jpeg)
    #expect(ImageRenderer.shrinkOnLoad(big, upright: upright, [Self.thumbnail, full], capped) == 1)
    let small = Size(width: 640, height: 400)
    #expect(ImageRenderer.shrinkOnLoad(big, upright: small, [Self.thumbnail], capped) == 1)
  }

  @Test(
    "a thumbnail from a shrunk decode has the same size and nearly the same pixels",
    arguments: [ImageFormat.jpeg, .webp])
  func sameResult(format: ImageFormat) throws {
    let photo = Fixtures.gradient(width: 2600, height: 1700)
    let settings: EncodeSettings =
      format == .jpeg ? .jpeg(JPEGSettings(quality: 95)) : .webp(WebPSettings(quality: 95))
    let source = try Codecs.encode(photo, settings)
    let shrunk = try ImageRenderer.render(
      source, variants: [Self.thumbnail], settings: RenderSettings())
    // A second, full-size variant disables shrink-on-load for the same thumbnail.
    let full = try ImageRenderer.render(
      source, variants: [Self.thumbnail, Variant(name: "f", format: .png)],
      settings: RenderSettings())
    #expect(shrunk.outputs[0].size == Size(width: 300, height: 196))
    #expect(shrunk.outputs[0].size == full.outputs[0].size)
    #expect(
      Metrics.psnr(try decode(shrunk.outputs[0]).image, try decode(full.outputs[0]).image) > 35)
  }
}
