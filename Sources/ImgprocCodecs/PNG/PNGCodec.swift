internal import CImgprocPNG
import ImgprocCore

/// PNG decoding through libpng (the only file that calls `CImgprocPNG`, whose C functions
/// hold libpng's setjmp error handling; C-allocated results are copied and freed here).
/// Encoding is `PNGWriter`'s.
enum PNGCodec {
  /// The libpng imgproc runs with.
  static var libraryVersion: String {
    imgproc_png_version().map { String(cString: $0) } ?? "unknown"
  }

  static func probe(_ data: [UInt8]) throws(CodecError) -> ImageHeader {
    var header = imgproc_png_header()
    var message = imgproc_png_message()
    let status = data.withUnsafeBufferPointer { bytes in
      Int(imgproc_png_probe(bytes.baseAddress, bytes.count, &header, &message))
    }
    defer { release(&header) }
    try check(status, message)
    return try imageHeader(header)
  }

  /// Decodes every row. Data that ends inside the image loses pixels (the rows not read are
  /// black and transparent): damage, fatal with `failOn == .warning`, a warning otherwise.
  /// What libpng recovers from with every pixel read (its warnings: a damaged iCCP chunk,
  /// whose profile is then dropped, an out-of-range tRNS, extra image data) and damage after
  /// the complete image are warnings only, as browsers, Pillow and libvips show such files.
  static func decode(_ data: [UInt8], header: ImageHeader, failOn: FailOn) throws(CodecError)
    -> DecodedImage
  {
    var decoded = imgproc_png_header()
    var message = imgproc_png_message()
    var status = IMGPROC_PNG_OK
    let image = try header.allocate { output in
      status = data.withUnsafeBufferPointer { bytes in
        Int(
          imgproc_png_decode(
            bytes.baseAddress, bytes.count,
            output.baseAddress?.assumingMemoryBound(to: UInt8.self),
            header.width * header.layout.channels * header.depth.bytes, output.count,
            &decoded, &message))
      }
    }
    defer { release(&decoded) }
    try check(status, message)
    var warnings: [String] = []
    if decoded.truncated != 0 {
      warnings = try CodecError.damage(
        "truncated PNG: the data ends inside the image (\(text(message)))", failOn: failOn)
    } else if decoded.damaged_trailer != 0 {
      warnings = ["damaged PNG after the complete image (\(text(message))): ignored"]
    } else if message.warnings > 0 && !text(message).hasSuffix("known incorrect sRGB profile") {
      // libpng flags the widespread, harmless HP sRGB profile; everything else is said.
      let more = message.warnings > 1 ? " (and \(message.warnings - 1) more)" : ""
      let damage = "libpng: \(text(message))\(more)"
      warnings = [
        text(message).hasPrefix("iCCP")
          ? "damaged ICC profile (\(damage)): dropped, colours read as sRGB"
          : "damaged PNG (\(damage)): ignored, every pixel read"
      ]
    }
    let metadata = ImageMetadata(
      icc: copy(decoded.icc, Int(decoded.icc_length)),
      exif: copy(decoded.exif, Int(decoded.exif_length)))
    return DecodedImage(image: image, format: .png, metadata: metadata, warnings: warnings)
  }

  static func encode(_ image: Image, _ settings: PNGSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    try PNGWriter.encode(image, settings, metadata: metadata)
  }

  private static func imageHeader(_ header: imgproc_png_header) throws(CodecError) -> ImageHeader {
    guard let layout = PixelLayout(rawValue: Int(header.channels)),
      let depth = SampleDepth(rawValue: Int(header.depth))
    else {
      throw CodecError(
        .unsupported, "unsupported PNG layout: \(header.channels) channels of \(header.depth) bits")
    }
    return ImageHeader(
      format: .png, width: Int(header.width), height: Int(header.height), layout: layout,
      depth: depth, isAnimated: false,
      metadata: ImageMetadata(
        icc: copy(header.icc, Int(header.icc_length)),
        exif: copy(header.exif, Int(header.exif_length))))
  }

  private static func release(_ header: inout imgproc_png_header) {
    imgproc_png_free(header.icc)
    imgproc_png_free(header.exif)
    header.icc = nil
    header.exif = nil
  }

  private static func check(_ status: Int, _ message: imgproc_png_message) throws(CodecError) {
    switch status {
    case IMGPROC_PNG_OK: return
    case IMGPROC_PNG_OUT_OF_MEMORY:
      throw CodecError(.outOfMemory, "out of memory in libpng: \(text(message))")
    default:
      throw CodecError(.corrupt, "invalid PNG: \(text(message))")
    }
  }

  private static func text(_ message: imgproc_png_message) -> String { cString(message.text) }
}
