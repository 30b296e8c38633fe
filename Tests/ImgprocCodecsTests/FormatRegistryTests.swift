import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("The format registry: each format declares what it can do")
struct FormatRegistryTests {
  @Test("declared capabilities, names and media types", arguments: ImageFormat.allCases)
  func declared(format: ImageFormat) throws {
    let expected: [String: (FormatCapabilities, String, String)] = [
      "jpeg": ([.decode, .encode, .gray, .shrinkOnLoad, .partialDecode], "jpg", "image/jpeg"),
      "png": (
        [.decode, .encode, .lossless, .alpha, .sixteenBit, .gray, .partialDecode], "png",
        "image/png"
      ),
      "webp": (
        [.decode, .encode, .lossless, .alpha, .shrinkOnLoad, .animation, .partialDecode], "webp",
        "image/webp"
      ),
      "heif": ([.decode, .alpha, .sixteenBit, .orientsOnDecode], "heic", "image/heif"),
      "avif": (
        [.decode, .encode, .lossless, .alpha, .sixteenBit, .orientsOnDecode], "avif", "image/avif"
      ),
    ]
    let (capabilities, fileExtension, mediaType) = try #require(expected[format.rawValue])
    #expect(format.capabilities == capabilities)
    #expect(format.fileExtension == fileExtension && format.mediaType == mediaType)
    // What it writes, it recognises.
    guard capabilities.contains(.encode) else { return }
    let image = Fixtures.gradient(width: 16, height: 8)
    let bytes = try Codecs.encode(image, format.encodeSettings(EncodeRequest()))
    #expect(ImageFormat.sniff(bytes) == format)
    #expect(try Codecs.probe(bytes).format == format)
  }

  @Test(
    "decoders and encoders: every format reads, those with an encoder write; lossless is declared")
  func decodersAndEncoders() throws {
    for format in ImageFormat.allCases {
      #expect(format.capabilities.contains(.decode))
      // `.encode` is declared exactly by the formats that have an encoder (and options).
      #expect(format.capabilities.contains(.encode) == ImageFormat.written.contains(format))
      // A `lossless` option only where the encoder can write losslessly.
      if format.option(named: "lossless") != nil {
        #expect(format.capabilities.contains(.lossless))
      }
    }
    #expect(ImageFormat.png.isLossless(with: [:]))
    #expect(!ImageFormat.webp.isLossless(with: [:]))
    #expect(ImageFormat.webp.isLossless(with: ["lossless": .yesNo(true)]))
    #expect(!ImageFormat.jpeg.isLossless(with: ["lossless": .yesNo(true)]))
    #if HEIF
    // A format imgproc only reads has no options and no encoder: encoding it is refused.
    #expect(ImageFormat.heif.options.isEmpty && !ImageFormat.written.contains(.heif))
    let settings = ImageFormat.heif.encodeSettings(EncodeRequest())
    let error = #expect(throws: CodecError.self) {
      try Codecs.encode(Fixtures.gradient(width: 4, height: 4), settings)
    }
    #expect(error?.message.contains("does not write") == true)
    #endif
  }

  @Test("each encoder reads only its own fields, with its own defaults")
  func encoderOptions() {
    let request = EncodeRequest(options: [
      "quality": .integer(70), "effort": .integer(6), "lossless": .yesNo(true),
      "progressive": .yesNo(true), "subsampling": .choice("444"), "compressionLevel": .integer(9),
    ])
    #expect(
      ImageFormat.jpeg.encodeSettings(request).options.identityFields == [
        "quality=70", "progressive=true", "subsampling=444",
      ])
    #expect(
      ImageFormat.png.encodeSettings(request).options.identityFields == [
        "level=9", "palette=true", "writer=5",
      ])
    #expect(
      ImageFormat.webp.encodeSettings(request).options.identityFields == [
        "quality=70", "effort=6", "lossless=true",
      ])
    #expect(ImageFormat.jpeg.options.map(\.key) == ["quality", "progressive", "subsampling"])
    #expect(
      ImageFormat.jpeg.encodeSettings(EncodeRequest()).options.identityFields == [
        "quality=80", "progressive=false", "subsampling=auto",
      ])
  }

  @Test("names: jpg is jpeg, heic is heif, unknown formats are refused, recipes name them")
  func names() throws {
    #expect(ImageFormat(rawValue: "JPG") == .jpeg && ImageFormat(rawValue: "webp") == .webp)
    #expect(ImageFormat(rawValue: "heic") == .heif)
    #expect(ImageFormat(rawValue: "tiff") == nil && ImageFormat(rawValue: "") == nil)
    let encoded = try JSONEncoder().encode([ImageFormat.png])
    #expect(String(decoding: encoded, as: UTF8.self) == #"["png"]"#)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([ImageFormat].self, from: Data(#"["tiff"]"#.utf8))
    }
    #expect(
      ImageFormat.knownExtensions == ".jpg .jpeg .jpe .jfif .png .webp .heic .heif .hif .avif")
  }
}
