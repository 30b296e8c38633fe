import ImgprocCore
import ImgprocTestSupport
import Testing

@testable import ImgprocCodecs

/// `ImageInfo`: what each format's headers say, without decoding.
@Suite("Image info from headers")
struct ImageInfoTests {
  static let photo = Fixtures.gradient(width: 64, height: 48)

  static func info(_ bytes: [UInt8]) throws -> ImageInfo { try ImageInfo.read(ByteSource(bytes)) }

  @Test(
    "JPEG quality is estimated exactly for libjpeg's tables",
    arguments: [5, 20, 35, 50, 60, 75, 85, 92, 100])
  func quality(_ quality: Int) throws {
    let jpeg = try Codecs.encode(Self.photo, .jpeg(JPEGSettings(quality: quality)))
    #expect(try Self.info(jpeg).estimatedQuality == quality)
  }

  @Test(
    "JPEG chroma subsampling as written",
    arguments: [
      (ChromaSubsampling.s420, "4:2:0"), (.s422, "4:2:2"), (.s444, "4:4:4"),
    ])
  func subsampling(_ setting: ChromaSubsampling, _ expected: String) throws {
    let jpeg = try Codecs.encode(Self.photo, .jpeg(JPEGSettings(quality: 80, subsampling: setting)))
    let info = try Self.info(jpeg)
    #expect(info.chromaSubsampling == expected && info.progressive == false)
    #expect(info.colorType == "YCbCr" && info.arithmeticCoding == false)
  }

  @Test("JPEG colour models: gray, CMYK, YCCK; arithmetic coding")
  func colorModels() throws {
    let gray = try Codecs.encode(
      Fixtures.gradient(width: 32, height: 16, layout: .gray), .jpeg(JPEGSettings()))
    let grayInfo = try Self.info(gray)
    #expect(
      grayInfo.colorType == "gray" && grayInfo.chromaSubsampling == nil && grayInfo.channels == 1)
    for ycck in [false, true] {
      let cmyk = try FixtureFiles.bytes(ycck ? "ycck-flat.jpg" : "cmyk-flat.jpg")
      #expect(try Self.info(cmyk).colorType == (ycck ? "YCCK" : "CMYK"))
    }
    let arithmetic = try FixtureFiles.bytes("arithmetic.jpg")
    #expect(try Self.info(arithmetic).arithmeticCoding == true)
  }

  @Test("PNG palettes keep their stored depth; the decode size is what imgproc allocates")
  func pngPalette() throws {
    let twoColours = Fixtures.checkerboard(width: 20, height: 10)
    let info = try Self.info(try Codecs.encode(twoColours, .png(PNGSettings())))
    #expect(info.colorType == "palette" && info.bitDepth == 1)
    #expect(info.decodedBytes == 20 * 10 * info.channels)
  }

  @Test("a file that is not an image is refused with CodecError")
  func notAnImage() {
    #expect(throws: CodecError.self) { try Self.info(Array("just text".utf8)) }
  }

  @Test("ISO boxes cut short, empty or lying about their size are read without a crash")
  func isoBoxesBounded() {
    let ftyp: [UInt8] = [0, 0, 0, 8] + Array("ftyp".utf8)
    for data in [
      [], ftyp, ftyp + [0, 0, 0, 1] + Array("moov".utf8), [0, 0, 0, 200] + Array("ftypavis".utf8),
      [0, 0, 0, 0] + Array("moov".utf8) + [0, 0, 0, 12] + Array("trak".utf8) + [0, 0],
    ] {
      #expect(!ISOBoxes.isSequence(data))
      #expect(ISOBoxes.frames(data) == nil)
    }
  }
}
