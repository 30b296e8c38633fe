import ImgprocCore

/// PNG in the registry: every layout, 8 and 16 bit, lossless.
extension PNGCodec: ImageEncoder {
  static let format = ImageFormat.png
  static let fileExtensions = ["png"]
  static let mediaType = "image/png"
  static let capabilities: FormatCapabilities = [
    .decode, .encode, .lossless, .alpha, .sixteenBit, .gray, .partialDecode,
  ]
  static let compressionLevel = EncoderOption(
    key: "compressionLevel", aliases: ["level"], values: .integer(0...12), default: nil,
    defaultText: "chosen per image by its cost",
    help: "DEFLATE effort (libdeflate's levels; 10-12 search hardest for the fewest bytes)")
  static let options = [compressionLevel]
  static let relativeEncodeCost = 10.0

  static func sniff(_ head: [UInt8]) -> Bool {
    head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  }

  static func decode(
    _ data: [UInt8], header: ImageHeader, scale: Int, size: Size, options: DecodeOptions
  ) throws(CodecError) -> DecodedImage {
    var decoded = try decode(data, header: header, failOn: options.failOn)
    // libpng reads an APNG's default image and skips its frames: say so, as for WebP.
    if let frames = ContainerChunks.png(data)?.frames, frames > 1 {
      decoded.warnings.append(
        "animated PNG (APNG, \(frames) frames): only its default image is used")
    }
    return decoded
  }

  static func encodeSettings(_ request: EncodeRequest) -> EncodeSettings {
    .png(PNGSettings(compressionLevel: request.integer(compressionLevel)))
  }

  static func encode(_ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    guard let png = settings.options(as: PNGSettings.self) else {
      throw CodecError(.encodeFailed, "PNG encoder given \(settings.format) settings")
    }
    return try encode(image, png, metadata: metadata)
  }
}
