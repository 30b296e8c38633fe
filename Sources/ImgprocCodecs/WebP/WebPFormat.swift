import ImgprocCore

/// WebP in the registry: 8-bit RGB(A), lossy or lossless, its decoder's rescaler for
/// shrink-on-load; animations give their first frame.
extension WebPCodec: ImageEncoder {
  static let format = ImageFormat.webp
  static let fileExtensions = ["webp"]
  static let mediaType = "image/webp"
  static let capabilities: FormatCapabilities = [
    .decode, .encode, .lossless, .alpha, .shrinkOnLoad, .animation, .partialDecode,
  ]
  static let quality = EncoderOption.quality(default: WebPSettings().quality)
  static let effort = EncoderOption.effort(0...6, default: WebPSettings().effort)
  static let options = [quality, effort, EncoderOption.lossless]
  static let relativeEncodeCost = 10.0
  /// `WEBP_MAX_DIMENSION`: a 14-bit field.
  static let maxDimension = 16_383

  static func sniff(_ head: [UInt8]) -> Bool {
    head.count >= 12 && head.starts(with: Array("RIFF".utf8))
      && Array(head[8..<12]) == Array("WEBP".utf8)
  }

  static func decode(
    _ data: [UInt8], header: ImageHeader, scale: Int, size: Size, options: DecodeOptions
  ) throws(CodecError) -> DecodedImage {
    try decode(data, header: header, size: size, failOn: options.failOn)
  }

  static func encodeSettings(_ request: EncodeRequest) -> EncodeSettings {
    var settings = WebPSettings()
    settings.quality = request.integer(quality) ?? settings.quality
    settings.effort = request.integer(effort) ?? settings.effort
    settings.lossless = request.yesNo(.lossless) ?? settings.lossless
    return .webp(settings)
  }

  static func encode(_ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    guard let webp = settings.options(as: WebPSettings.self) else {
      throw CodecError(.encodeFailed, "WebP encoder given \(settings.format) settings")
    }
    return try encode(image, webp, metadata: metadata)
  }
}
