import ImgprocCore

/// The entry points of the codec layer: sniff, probe, decode, encode. Formats are told apart
/// by their magic bytes; each format's work is done by its own codec.
public enum Codecs {
  /// Reads the header only: format, size, layout, header metadata.
  public static func probe(_ data: [UInt8]) throws(CodecError) -> ImageHeader {
    switch try format(of: data) {
    case .jpeg: return try JPEGCodec.probe(data)
    case .png: return try PNGCodec.probe(data)
    case .webp: return try WebPCodec.probe(data)
    }
  }

  /// Decodes to 8-bit (16-bit for 16-bit PNG) gray, gray+alpha, RGB or RGBA pixels as stored
  /// (orientation is not applied), at `header.decodedSize(scaleDenominator:)`. The pixel
  /// limit is checked from the header first.
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
    switch header.format {
    case .jpeg:
      return try JPEGCodec.decode(
        data, header: header, scale: denominator, size: size, failOn: options.failOn)
    case .png: return try PNGCodec.decode(data, header: header, failOn: options.failOn)
    case .webp:
      return try WebPCodec.decode(data, header: header, size: size, failOn: options.failOn)
    }
  }

  /// Encodes `image`, which must already be in a layout and depth the format stores
  /// (see `prepare(_:for:background:)`). `metadata` is embedded where the format can hold it.
  public static func encode(
    _ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata = ImageMetadata()
  ) throws(CodecError) -> [UInt8] {
    let fitting = metadata.compatible(with: image.layout)
    switch settings {
    case .jpeg(let jpeg): return try JPEGCodec.encode(image, jpeg, metadata: fitting)
    case .png(let png): return try PNGCodec.encode(image, png, metadata: fitting)
    case .webp(let webp): return try WebPCodec.encode(image, webp, metadata: fitting)
    }
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
      let head = data.prefix(4).map { byte in
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
      }.joined(separator: " ")
      throw CodecError(
        .notAnImage, "not a JPEG, PNG or WebP image (starts with \(head))",
        hint: "the format is read from the content, not the extension")
    }
    return format
  }

  static func checkPixelLimit(_ header: ImageHeader, _ maxPixels: Int) throws(CodecError) {
    let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
    guard overflow || pixels > maxPixels else { return }
    throw CodecError(
      .tooManyPixels,
      "image is \(header.width)×\(header.height) = \(overflow ? "too many" : String(pixels)) pixels, over the limit of \(maxPixels)",
      hint: "raise it with --max-pixels")
  }
}
