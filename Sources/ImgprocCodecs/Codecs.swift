import ImgprocCore

/// The entry points of the codec layer: sniff, probe, decode, encode. Formats are told apart
/// by their magic bytes; each format's work is done by its own codec.
public enum Codecs {
  /// The codec libraries imgproc runs with, as (name, version), for `--version`.
  public static var libraryVersions: [(name: String, version: String)] {
    var versions = [
      ("libjpeg-turbo", JPEGCodec.libraryVersion), ("libpng", PNGCodec.libraryVersion),
      ("zlib", Zlib.libraryVersion), ("libdeflate", DeflateCompressor.libraryVersion),
      ("libwebp", WebPCodec.libraryVersion), ("lcms2", ColorManagement.libraryVersion),
    ]
    #if HEIF
    versions.append(("libheif", LibHeif.libraryVersion))
    #endif
    return versions
  }

  /// Reads the header only: format, size, layout, header metadata.
  public static func probe(_ data: [UInt8]) throws(CodecError) -> ImageHeader {
    try format(of: data).codec.probe(data)
  }

  /// Decodes to 8-bit (16-bit for 16-bit PNG) gray, gray+alpha, RGB or RGBA pixels
  /// (orientation is not applied), at `header.decodedSize(scaleDenominator:)`, as stored or
  /// converted to sRGB (`options.color`). The pixel limit is checked from the header first.
  public static func decode(_ data: [UInt8], options: DecodeOptions = DecodeOptions())
    throws(CodecError) -> DecodedImage
  {
    try decode(data, header: try probe(data), options: options)
  }

  /// `decode(_:options:)` for a header the caller has already read with `probe`.
  public static func decode(_ data: [UInt8], header: ImageHeader, options: DecodeOptions)
    throws(CodecError) -> DecodedImage
  {
    try checkPixelLimit(header, options.maxPixels)
    let size = header.decodedSize(scaleDenominator: options.scaleDenominator)
    let denominator = size.width == header.width ? 1 : options.scaleDenominator
    var decoded = try header.format.codec.decode(
      data, header: header, scale: denominator, size: size, options: options)
    if options.color == .sRGB, let profile = decoded.metadata.icc {
      decoded.metadata.icc = nil
      do {
        if let converted = try ColorManagement.toSRGB(
          decoded.image, profile: profile, threads: options.threads)
        {
          decoded.image = converted
        }
      } catch {
        decoded.warnings.append("\(error.message): colours left as stored")
      }
    }
    return decoded
  }

  /// A compact sRGB ICC profile (568 bytes) for outputs that should say they are sRGB
  /// (`--output-profile srgb-compact`).
  public static var compactSRGBProfile: [UInt8] { ColorManagement.compactSRGBProfile }

  /// Encodes `image`, which must already be in a layout and depth the format stores
  /// (see `prepare(_:for:background:)`). `metadata` is embedded where the format can hold it.
  public static func encode(
    _ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata = ImageMetadata()
  ) throws(CodecError) -> [UInt8] {
    guard let encoder = settings.format.encoder else {
      throw CodecError(
        .unsupported, "imgproc reads \(settings.format.rawValue) but does not write it",
        hint: "write \(ImageFormat.written.map(\.rawValue).joined(separator: ", "))")
    }
    return try encoder.encode(image, settings, metadata: metadata.compatible(with: image.layout))
  }

  /// Converts `image` to what `format` stores: JPEG gets alpha flattened onto `background`
  /// and 8 bits; WebP gets 8-bit RGB or RGBA; PNG keeps everything.
  public static func prepare(_ image: Image, for format: ImageFormat, background: RGBColor) -> Image
  {
    var result = image
    if !format.supportsAlpha { result = result.flattened(onto: background) }
    if !format.supports16Bit { result = result.to8Bit() }
    if !format.supportsGray { result = result.converted(to: result.layout.asColor) }
    return result
  }

  static func format(of data: [UInt8]) throws(CodecError) -> ImageFormat {
    guard !data.isEmpty else { throw CodecError(.notAnImage, "empty file") }
    guard let format = ImageFormat.sniff(data) else {
      if let kind = ImageFormat.truncatedSignature(data) {
        throw CodecError(
          .corrupt, "truncated \(kind) header: the file ends after \(data.count) bytes")
      }
      let head = data.prefix(4).map { byte in
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
      }.joined(separator: " ")
      let names = ImageFormat.allCases.map { $0.rawValue.uppercased() }.joined(separator: ", ")
      if let kind = ImageFormat.unsupportedKind(data) {
        throw CodecError(
          .notAnImage, "a \(kind) image, which imgproc does not read (it reads \(names))",
          hint: "convert it to one of those first")
      }
      throw CodecError(
        .notAnImage, "not an image imgproc reads (\(names); it starts with \(head))",
        hint: "the format is read from the content, not the extension")
    }
    return format
  }

  /// Refuses an image of more than `maxPixels` pixels, from its header.
  public static func checkPixelLimit(_ header: ImageHeader, _ maxPixels: Int) throws(CodecError) {
    let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
    guard overflow || pixels > maxPixels else { return }
    throw CodecError(
      .tooManyPixels,
      "image is \(header.width)×\(header.height) = \(overflow ? "too many" : String(pixels)) pixels, over the limit of \(maxPixels)",
      hint: "raise it with --max-pixels")
  }
}
