#if HEIF
import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

/// HEIC and AVIF fixtures made by Debian's reference encoders (`heif-enc` from
/// libheif-examples, `avifenc` from libavif-bin) from images made here.
@Suite("HEIF and AVIF: decode what phones and browsers make, encode AVIF")
struct HEIFTests {
  /// Runs `tool` on a PNG of `image`; returns the file it wrote.
  static func encoded(_ image: Image, tool: String, _ arguments: [String], suffix: String)
    throws -> [UInt8]
  {
    let png = try Codecs.encode(image, .png(PNGSettings()))
    return try run(tool, arguments, inputs: [(png, "png")], suffix: suffix)
  }

  /// Runs `tool` (heif-enc, avifenc, heif-convert) on files holding `inputs`; returns the one
  /// output it wrote (named with `suffix`).
  static func run(
    _ tool: String, _ arguments: [String], inputs: [(bytes: [UInt8], suffix: String)],
    suffix: String
  ) throws -> [UInt8] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "heif-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var paths: [String] = []
    for (index, input) in inputs.enumerated() {
      let url = folder.appendingPathComponent("in\(index).\(input.suffix)")
      try Data(input.bytes).write(to: url)
      paths.append(url.path)
    }
    let output = folder.appendingPathComponent("out." + suffix)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments =
      arguments + paths + (tool == "heif-enc" ? ["-o", output.path] : [output.path])
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(tool) \(arguments)")
    // heif-convert numbers its outputs when a file lists several images (libheif 1.15 lists
    // a grid's tiles too); the grid, added last by HEIFFile, is written last.
    let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasPrefix("out") }.sorted {
        $0.count < $1.count || ($0.count == $1.count && $0 < $1)
      }
    let last = folder.appendingPathComponent(written.last ?? output.lastPathComponent)
    return Array(try Data(contentsOf: last))
  }

  /// What libheif's own `heif-convert` makes of `file`: the reference decode.
  static func reference(_ file: [UInt8]) throws -> Image {
    try Codecs.decode(try run("heif-convert", [], inputs: [(file, "heic")], suffix: "png")).image
  }

  /// Four flat quadrants — red, green / blue, white — so a turn or a flip shows in the corners.
  static func quadrants(width: Int, height: Int) -> Image {
    Fixtures.make(width: width, height: height, layout: .rgb, depth: .eight) { x, y, c in
      let colours: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]
      return colours[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)][c]
    }
  }

  /// The colour nearest to pixel (x, y): 0 red, 1 green, 2 blue, 3 white.
  static func quadrant(_ image: Image, _ x: Int, _ y: Int) -> Int {
    let rgb = (0..<3).map { image.sample(x: x, y: y, channel: $0) > 128 }
    return [
      [true, false, false], [false, true, false], [false, false, true], [true, true, true],
    ]
    .firstIndex(of: rgb) ?? -1
  }

  static let photo = Fixtures.gradient(width: 96, height: 64)

  @Test("HEIC from heif-enc: recognised, probed and decoded close to the source")
  func heic() throws {
    let file = try Self.encoded(Self.photo, tool: "heif-enc", ["-q", "90"], suffix: "heic")
    #expect(ImageFormat.sniff(file) == .heif)
    let header = try Codecs.probe(file)
    #expect(header.width == 96 && header.height == 64 && header.layout == .rgb)
    let decoded = try Codecs.decode(file)
    #expect(decoded.image.layout == .rgb && decoded.image.depth == .eight)
    #expect(Metrics.psnr(decoded.image, Self.photo) > 30)
    #expect(throws: CodecError.self) {
      try Codecs.decode(file, options: DecodeOptions(maxPixels: 96 * 64 - 1))
    }
  }

  @Test(
    "irot and imir are applied once, as libheif's heif-convert does; EXIF orientation is not",
    arguments: [(1, nil), (3, 0), (0, 1), (2, 0)] as [(Int, Int?)])
  func transformations(quarterTurns: Int, mirrorAxis: Int?) throws {
    let source = Self.quadrants(width: 48, height: 32)
    // A JPEG that says "rotate 90° clockwise" in EXIF, as phones' HEICs also do: heif-enc
    // carries the EXIF over unchanged and leaves the pixels as they are.
    let jpeg = try Codecs.encode(
      source, .jpeg(JPEGSettings(quality: 95)),
      metadata: ImageMetadata(exif: Fixtures.exif(orientation: 6)))
    var file = try HEIFFile(
      try Self.run("heif-enc", ["-q", "95"], inputs: [(jpeg, "jpg")], suffix: "heic"))
    file.rotate(item: file.primaryItem, quarterTurns: quarterTurns)
    if let mirrorAxis { file.mirror(item: file.primaryItem, axis: mirrorAxis) }
    let heic = try file.bytes()

    let turned = quarterTurns % 2 == 1
    let header = try Codecs.probe(heic)
    #expect(header.width == (turned ? 32 : 48) && header.height == (turned ? 48 : 32))
    let decoded = try Codecs.decode(heic)
    let reference = try Self.reference(heic)
    #expect(decoded.image.width == reference.width && decoded.image.height == reference.height)
    #expect(Metrics.psnr(decoded.image, reference) > 40)
    if quarterTurns == 1 && mirrorAxis == nil {
      // 90° anti-clockwise: the top-right (green) corner comes to the top left.
      #expect(Self.quadrant(decoded.image, 2, 2) == 1)
      #expect(Self.quadrant(decoded.image, 29, 45) == 2)
    }
    let exif = try #require(decoded.metadata.exif)
    #expect(Exif.orientation(in: exif)?.orientation == .up, "the EXIF handed on says upright")
  }

  @Test("a HEIC grid of two tiles is assembled into one image, and refused past --max-pixels")
  func grid() throws {
    let left = Self.quadrants(width: 64, height: 48)
    let right = Fixtures.gradient(width: 64, height: 48)
    // Not palette PNGs: heif-enc codes those at another depth, and a grid's tiles must agree.
    let tiles = try [left, right].map {
      (try Codecs.encode($0, .png(PNGSettings(palette: false))), "png")
    }
    var file = try HEIFFile(try Self.run("heif-enc", ["-q", "95"], inputs: tiles, suffix: "heic"))
    #expect(file.codedImages.count == 2)
    file.makeGrid(tiles: file.codedImages, rows: 1, columns: 2, width: 128, height: 48)
    let heic = try file.bytes()

    let header = try Codecs.probe(heic)
    #expect(header.width == 128 && header.height == 48)
    let decoded = try Codecs.decode(heic).image
    #expect(decoded.width == 128 && decoded.height == 48)
    #expect(Metrics.psnr(decoded, try Self.reference(heic)) > 40)
    #expect(Self.quadrant(decoded, 5, 5) == 0 && Self.quadrant(decoded, 60, 40) == 3)
    let seam = abs(
      decoded.sample(x: 100, y: 24, channel: 0) - right.sample(x: 36, y: 24, channel: 0))
    #expect(seam < 12, "the right tile sits right: \(seam)")
    #expect(throws: CodecError.self) {
      try Codecs.decode(heic, options: DecodeOptions(maxPixels: 128 * 48 - 1))
    }
  }

  @Test("AVIF from avifenc: alpha kept; 10 bit decoded to 16")
  func avif() throws {
    let rgba = Fixtures.noise(width: 40, height: 30, layout: .rgba, seed: 5)
    let file = try Self.encoded(rgba, tool: "avifenc", ["--lossless"], suffix: "avif")
    #expect(ImageFormat.sniff(file) == .avif)
    let decoded = try Codecs.decode(file)
    #expect(decoded.image.layout == .rgba && decoded.image == rgba, "lossless AVIF is exact")

    let deep = try Self.encoded(
      Self.photo, tool: "avifenc", ["-d", "10", "--min", "0", "--max", "12"], suffix: "avif")
    let header = try Codecs.probe(deep)
    #expect(header.depth == .sixteen)
    let wide = try Codecs.decode(deep).image
    #expect(wide.depth == .sixteen)
    // 16-bit values track the 8-bit source scaled by 257.
    let error = abs(
      wide.sample(x: 48, y: 32, channel: 1) - Self.photo.sample(x: 48, y: 32, channel: 1) * 257)
    #expect(error < 4 * 257, "\(error)")
  }

  @Test(
    "an animated AVIF (avis) is said to be one, with its frames; decoding says which image it used")
  func animatedAVIF() throws {
    let frames = try [1, 2].map { seed in
      (
        try Codecs.encode(
          Fixtures.noise(width: 24, height: 16, seed: UInt64(seed)), .png(PNGSettings())), "png"
      )
    }
    let animation = try Self.run("avifenc", [], inputs: frames, suffix: "avif")
    let info = try ImageInfo.read(ByteSource(animation))
    #expect(info.animated && info.frames == 2, "\(info)")
    let decoded = try Codecs.decode(animation)
    #expect(decoded.warnings.contains { $0.contains("animated AVIF") }, "\(decoded.warnings)")
    let still = try Self.run("avifenc", [], inputs: [frames[0]], suffix: "avif")
    let stillInfo = try ImageInfo.read(ByteSource(still))
    #expect(!stillInfo.animated && stillInfo.frames == 1)
    #expect(try Codecs.decode(still).warnings.isEmpty)
  }

  @Test("a truncated AVIF fails with libheif's reason, read before its context is freed")
  func truncated() throws {
    let file = try Codecs.encode(
      Fixtures.noise(width: 64, height: 48, seed: 9),
      ImageFormat.avif.encodeSettings(EncodeRequest(options: ["quality": .integer(90)])))
    let error = try #require(throws: CodecError.self) {
      try Codecs.decode(Array(file.prefix(file.count / 2)))
    }
    #expect(error.message.hasPrefix("invalid AVIF: "))
    #expect(error.message.contains("end of file"), "\(error.message)")
  }

  @Test(
    "lossless AVIF written by imgproc is RGB 4:4:4 and decodes to exactly its source",
    arguments: [PixelLayout.rgb, .rgba])
  func losslessAVIF(layout: PixelLayout) throws {
    let source = Fixtures.noise(width: 37, height: 29, layout: layout, seed: 11)
    let lossless = try Codecs.encode(
      source, ImageFormat.avif.encodeSettings(EncodeRequest(options: ["lossless": .yesNo(true)])))
    let decoded = try Codecs.decode(lossless)
    #expect(decoded.image.layout == layout)
    #expect(Metrics.maxDifference(decoded.image, source) == 0)
    let best = try Codecs.encode(
      source, ImageFormat.avif.encodeSettings(EncodeRequest(options: ["quality": .integer(100)])))
    #expect(best != lossless)
    // An embedded profile is kept beside the RGB description.
    let tagged = try Codecs.encode(
      source, ImageFormat.avif.encodeSettings(EncodeRequest(options: ["lossless": .yesNo(true)])),
      metadata: ImageMetadata(icc: Codecs.compactSRGBProfile))
    let withProfile = try Codecs.decode(tagged)
    #expect(Metrics.maxDifference(withProfile.image, source) == 0)
    #expect(withProfile.metadata.icc == Codecs.compactSRGBProfile)
  }

  @Test("AVIF written by imgproc decodes close to its source, alpha included")
  func avifRoundTrip() throws {
    let rgba = Fixtures.gradient(width: 64, height: 48, layout: .rgba)
    let settings = ImageFormat.avif.encodeSettings(
      EncodeRequest(options: ["quality": .integer(80), "effort": .integer(6)]))
    let file = try Codecs.encode(rgba, settings)
    #expect(ImageFormat.sniff(file) == .avif)
    let decoded = try Codecs.decode(file)
    #expect(decoded.image.layout == .rgba)
    #expect(Metrics.psnr(decoded.image, rgba) > 30)
    #expect(ImageFormat.heif.capabilities.contains(.encode) == false)
    #expect(throws: CodecError.self) {
      try Codecs.encode(rgba, ImageFormat.heif.encodeSettings(EncodeRequest()))
    }
  }
}
#endif
