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
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "heif-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("in.png")
    let output = folder.appendingPathComponent("out." + suffix)
    try Data(try Codecs.encode(image, .png(PNGSettings()))).write(to: input)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments =
      arguments
      + [input.path, "-o", output.path].filter {
        tool == "heif-enc" || $0 != "-o"
      }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(tool) \(arguments)")
    return Array(try Data(contentsOf: output))
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

  @Test("a truncated AVIF fails with libheif's reason, read before its context is freed")
  func truncated() throws {
    let file = try Codecs.encode(
      Fixtures.noise(width: 64, height: 48, seed: 9),
      ImageFormat.avif.encodeSettings(EncodeRequest(quality: 90)))
    let error = try #require(throws: CodecError.self) {
      try Codecs.decode(Array(file.prefix(file.count / 2)))
    }
    #expect(error.message.hasPrefix("invalid AVIF: "))
    #expect(error.message.contains("end of file"), "\(error.message)")
  }

  @Test("AVIF written by imgproc decodes close to its source, alpha included")
  func avifRoundTrip() throws {
    let rgba = Fixtures.gradient(width: 64, height: 48, layout: .rgba)
    let settings = ImageFormat.avif.encodeSettings(EncodeRequest(quality: 80, effort: 6))
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
