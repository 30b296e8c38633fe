import ImgprocCore

/// JPEG in the registry: 8-bit gray or RGB, no alpha, DCT-domain shrink-on-load; CMYK files
/// are read with their profile when colours are managed.
extension JPEGCodec: ImageEncoder {
  static let format = ImageFormat.jpeg
  static let fileExtensions = ["jpg", "jpeg", "jpe", "jfif"]
  static let mediaType = "image/jpeg"
  static let capabilities: FormatCapabilities = [
    .decode, .encode, .gray, .shrinkOnLoad, .partialDecode,
  ]
  static let quality = EncoderOption.quality(default: JPEGSettings().quality)
  static let progressive = EncoderOption(
    key: "progressive", values: .yesNo, default: nil, defaultText: "--progressive",
    help: "progressive scans: a coarse whole image first")
  static let subsampling = EncoderOption(
    key: "subsampling", values: .choice(ChromaSubsampling.allCases.map(\.rawValue)),
    default: nil, defaultText: "--subsampling",
    help: "chroma subsampling; auto is 4:2:0 below quality 90, 4:4:4 from 90")
  static let options = [quality, progressive, subsampling]
  static let relativeEncodeCost = 1.0
  /// A 2-byte field in the frame header.
  static let maxDimension = 65_535

  static func sniff(_ head: [UInt8]) -> Bool { head.starts(with: [0xFF, 0xD8, 0xFF]) }

  static func decode(
    _ data: [UInt8], header: ImageHeader, scale: Int, size: Size, options: DecodeOptions
  ) throws(CodecError) -> DecodedImage {
    // A CMYK profile cannot describe RGB pixels: such a file is converted through it even
    // when profiles are kept (`asStored`), with a warning.
    if header.storedAsCMYK, let profile = header.metadata.icc,
      header.metadata.iccColorSpace == .cmyk
    {
      return try decodeCMYK(data, header, scale, size, options, profile: profile)
    }
    return try decode(data, header: header, scale: scale, size: size, failOn: options.failOn)
  }

  /// A CMYK file decoded to ink amounts and converted to sRGB with its profile, which is not
  /// kept (said in a warning when profiles are kept); when the profile cannot be used, the
  /// naive conversion, with a warning.
  private static func decodeCMYK(
    _ data: [UInt8], _ header: ImageHeader, _ scale: Int, _ size: Size, _ options: DecodeOptions,
    profile: [UInt8]
  ) throws(CodecError) -> DecodedImage {
    let (samples, warnings) = try decodeCMYK(
      data, header: header, scale: scale, size: size, failOn: options.failOn)
    var metadata = header.metadata
    metadata.icc = nil
    do {
      let image = try ColorManagement.cmykToSRGB(
        samples, width: size.width, height: size.height, profile: profile,
        threads: options.threads)
      let dropped =
        options.color == .asStored
        ? ["its CMYK profile cannot describe RGB outputs: converted to sRGB through it, not kept"]
        : []
      return DecodedImage(
        image: image, format: .jpeg, metadata: metadata, warnings: warnings + dropped)
    } catch {
      var decoded = try decode(
        data, header: header, scale: scale, size: size, failOn: options.failOn)
      decoded.metadata = metadata
      decoded.warnings.append("\(error.message): CMYK converted without it")
      return decoded
    }
  }

  static func encodeSettings(_ request: EncodeRequest) -> EncodeSettings {
    var settings = JPEGSettings(
      progressive: request.defaultProgressive, subsampling: request.defaultSubsampling)
    settings.quality = request.integer(quality) ?? settings.quality
    settings.progressive = request.yesNo(progressive) ?? settings.progressive
    settings.subsampling =
      request.choice(subsampling).flatMap(ChromaSubsampling.init(rawValue:))
      ?? settings.subsampling
    return .jpeg(settings)
  }

  static func encode(_ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    guard let jpeg = settings.options(as: JPEGSettings.self) else {
      throw CodecError(.encodeFailed, "JPEG encoder given \(settings.format) settings")
    }
    return try encode(image, jpeg, metadata: metadata)
  }
}
