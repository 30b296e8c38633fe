import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("Damaged and hostile input")
struct DamagedInputTests {
  static let photo = Fixtures.noise(width: 96, height: 64, seed: 21)

  static func encoded(_ format: ImageFormat) throws -> [UInt8] {
    try Codecs.encode(
      photo, format.encodeSettings(EncodeRequest(options: ["quality": .integer(90)])))
  }

  /// The formats imgproc writes, so fixtures can be made here.
  static let writable = ImageFormat.allCases.filter { $0.capabilities.contains(.encode) }

  @Test("a truncated file fails with a clear error", arguments: writable)
  func truncated(format: ImageFormat) throws {
    let cut = Damage.truncated(try Self.encoded(format), keeping: 0.6)
    let error = try #require(throws: CodecError.self) { try Codecs.decode(cut) }
    #expect([.corrupt, .damaged].contains(error.code))
    #expect(!error.description.isEmpty)
  }

  @Test("a truncated JPEG decodes with --fail-on error, with a warning")
  func truncatedJPEGTolerated() throws {
    let cut = Damage.truncated(try Self.encoded(.jpeg), keeping: 0.6)
    let error = try #require(throws: CodecError.self) { try Codecs.decode(cut) }
    #expect(error.hint?.contains("--fail-on error") == true)
    let decoded = try Codecs.decode(cut, options: DecodeOptions(failOn: .error))
    #expect(decoded.image.width == 96)
    #expect(decoded.warnings.count == 1)
  }

  @Test(
    "--fail-on means the same in every format: truncated data fails, or decodes with a warning",
    arguments: writable.filter { $0.capabilities.contains(.partialDecode) })
  func truncatedTolerated(format: ImageFormat) throws {
    let cut = Damage.truncated(try Self.encoded(format), keeping: 0.6)
    let error = try #require(throws: CodecError.self) { try Codecs.decode(cut) }
    #expect(error.code == .damaged && error.hint?.contains("--fail-on error") == true)
    let decoded = try Codecs.decode(cut, options: DecodeOptions(failOn: .error))
    #expect(decoded.image.width == 96 && decoded.image.height == 64)
    #expect(decoded.warnings.count == 1, "\(decoded.warnings)")
    // What was read is kept: the first row matches the undamaged decode.
    let whole = try Codecs.decode(try Self.encoded(format)).image
    let row = whole.width * whole.layout.channels
    #expect(
      Array(decoded.image.pixels.prefix(row)) == Array(whole.pixels.prefix(row))
        || format == .jpeg)
  }

  @Test(
    "a PNG damaged after its complete image data decodes whole with a warning, whatever --fail-on",
    arguments: FailOn.allCases)
  func pngDamagedTrailer(failOn: FailOn) throws {
    let png = try Self.encoded(.png)
    let cut = Array(png.dropLast(6))  // IEND cut short
    let decoded = try Codecs.decode(cut, options: DecodeOptions(failOn: failOn))
    #expect(decoded.image.pixels == Self.photo.pixels)
    #expect(decoded.warnings.count == 1 && decoded.warnings[0].contains("after the complete image"))
  }

  @Test(
    "flipped bits never crash: each decode succeeds or throws CodecError",
    arguments: writable)
  func bitFlips(format: ImageFormat) throws {
    let valid = try Self.encoded(format)
    var failures = 0
    for offset in stride(from: 0, to: valid.count, by: max(1, valid.count / 60)) {
      for bit in [0, 7] {
        do {
          _ = try Codecs.decode(Damage.flipped(valid, at: offset, bit: bit))
        } catch {
          failures += 1
        }
      }
    }
    // Flipping the magic bytes alone guarantees some failures.
    #expect(failures > 0)
  }

  @Test("a flipped bit inside PNG pixel data is caught by its checksum")
  func pngChecksum() throws {
    let png = try Self.encoded(.png)
    let idat = try #require(
      (0..<(png.count - 4)).first { Array(png[$0..<($0 + 4)]) == Array("IDAT".utf8) })
    let error = try #require(throws: CodecError.self) {
      try Codecs.decode(Damage.flipped(png, at: idat + 20))
    }
    #expect(error.code == .corrupt)
  }

  @Test("an empty file and text are not images")
  func notImages() throws {
    #expect(throws: CodecError(.notAnImage, "empty file")) { try Codecs.decode([]) }
    let text = try #require(throws: CodecError.self) {
      try Codecs.decode(Array("hello, world".utf8))
    }
    #expect(text.code == .notAnImage)
  }

  @Test("huge dimensions are refused from the header, naming --max-pixels")
  func decompressionBombs() throws {
    let png = Damage.pngHeader(width: 100_000, height: 100_000)
    let error = try #require(throws: CodecError.self) { try Codecs.decode(png) }
    #expect(error.code == .tooManyPixels)
    #expect(error.description.contains("--max-pixels"))
    let jpeg = Damage.jpegClaiming(try Self.encoded(.jpeg), width: 65_000, height: 65_000)
    #expect(try Codecs.probe(jpeg).width == 65_000)
    let jpegError = try #require(throws: CodecError.self) { try Codecs.decode(jpeg) }
    #expect(jpegError.code == .tooManyPixels)
    // The limit is a setting: a small one refuses an ordinary image.
    let small = try #require(throws: CodecError.self) {
      try Codecs.decode(try Self.encoded(.webp), options: DecodeOptions(maxPixels: 1000))
    }
    #expect(small.code == .tooManyPixels)
  }

  @Test("the format comes from the content, not the name")
  func sniffing() throws {
    #expect(ImageFormat.sniff(try Self.encoded(.png)) == .png)
    #expect(ImageFormat.sniff(try Self.encoded(.jpeg)) == .jpeg)
    #expect(ImageFormat.sniff(try Self.encoded(.webp)) == .webp)
    #expect(ImageFormat.sniff(Array("RIFF....WAVE".utf8)) == nil)
  }
}
