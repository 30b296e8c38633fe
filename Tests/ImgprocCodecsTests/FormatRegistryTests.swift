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
      "png": ([.decode, .encode, .alpha, .sixteenBit, .gray, .partialDecode], "png", "image/png"),
      "webp": (
        [.decode, .encode, .alpha, .shrinkOnLoad, .animation, .partialDecode], "webp", "image/webp"
      ),
      "heif": ([.decode, .alpha, .sixteenBit, .orientsOnDecode], "heic", "image/heif"),
      "avif": ([.decode, .encode, .alpha, .sixteenBit, .orientsOnDecode], "avif", "image/avif"),
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
