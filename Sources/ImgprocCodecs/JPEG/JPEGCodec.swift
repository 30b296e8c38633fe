internal import CImgprocJPEG
import ImgprocCore

/// JPEG through libjpeg-turbo. The only file that calls `CImgprocJPEG`, whose C functions
/// hold libjpeg's setjmp error handling; C-allocated results are copied and freed here.
enum JPEGCodec {
  /// libjpeg-turbo's version, as built against (its API has no run-time query).
  static var libraryVersion: String {
    let number = Int(imgproc_jpeg_version_number())
    return number == 0
      ? "unknown" : "\(number / 1_000_000).\(number / 1000 % 1000).\(number % 1000)"
  }

  static func probe(_ data: [UInt8]) throws(CodecError) -> ImageHeader {
    var header = imgproc_jpeg_header()
    var message = imgproc_jpeg_message()
    let status = data.withUnsafeBufferPointer { bytes in
      Int(imgproc_jpeg_probe(bytes.baseAddress, bytes.count, 1, &header, &message))
    }
    defer {
      imgproc_jpeg_free(header.icc)
      imgproc_jpeg_free(header.exif)
    }
    try check(status, message)
    let metadata = ImageMetadata(
      icc: copy(header.icc, Int(header.icc_length)),
      exif: copy(header.exif, Int(header.exif_length)))
    return ImageHeader(
      format: .jpeg, width: Int(header.width), height: Int(header.height),
      layout: header.output_channels == 1 ? .gray : .rgb, depth: .eight, isAnimated: false,
      metadata: metadata, storedAsCMYK: Int(header.color_model) == IMGPROC_JPEG_CMYK)
  }

  /// Decodes at 1/`scale` of the stored size (DCT scaling); `size` must be the scaled size.
  static func decode(
    _ data: [UInt8], header: ImageHeader, scale: Int, size: Size, failOn: FailOn
  ) throws(CodecError) -> DecodedImage {
    var message = imgproc_jpeg_message()
    var status = IMGPROC_JPEG_OK
    let image = try header.allocate(size: size) { output in
      status = decode(
        data, scale: scale, failOn: failOn, raw: false, stride: size.width * header.layout.channels,
        into: output, &message)
    }
    try check(status, message)
    return DecodedImage(
      image: image, format: .jpeg, metadata: header.metadata, warnings: warnings(message))
  }

  /// Decodes a CMYK file (`header.storedAsCMYK`) to ink amounts, 4 bytes per pixel, 0 for
  /// no ink, for a colour transform with its profile.
  static func decodeCMYK(
    _ data: [UInt8], header: ImageHeader, scale: Int, size: Size, failOn: FailOn
  ) throws(CodecError) -> (samples: [UInt8], warnings: [String]) {
    let count = size.width.multipliedReportingOverflow(by: size.height * 4)
    guard header.storedAsCMYK, !count.overflow else {
      throw CodecError(.unsupported, "not a CMYK JPEG")
    }
    var message = imgproc_jpeg_message()
    var status = IMGPROC_JPEG_OK
    let samples = [UInt8](unsafeUninitializedCapacity: count.partialValue) { buffer, filled in
      status = decode(
        data, scale: scale, failOn: failOn, raw: true, stride: size.width * 4,
        into: UnsafeMutableRawBufferPointer(buffer), &message)
      filled = status == IMGPROC_JPEG_OK ? count.partialValue : 0
    }
    try check(status, message)
    return (samples, warnings(message))
  }

  /// Decodes into `output`, rows `stride` bytes apart; returns libjpeg's status.
  private static func decode(
    _ data: [UInt8], scale: Int, failOn: FailOn, raw: Bool, stride: Int,
    into output: UnsafeMutableRawBufferPointer, _ message: inout imgproc_jpeg_message
  ) -> Int {
    data.withUnsafeBufferPointer { bytes in
      Int(
        imgproc_jpeg_decode(
          bytes.baseAddress, bytes.count, Int32(scale), failOn == .warning ? 1 : 0, raw ? 1 : 0,
          output.baseAddress?.assumingMemoryBound(to: UInt8.self), stride, output.count,
          &message))
    }
  }

  /// The warnings a decode survived, as one note.
  private static func warnings(_ message: imgproc_jpeg_message) -> [String] {
    guard message.warnings > 0 else { return [] }
    return ["damaged JPEG decoded anyway: \(text(message)) (\(message.warnings) warnings)"]
  }

  static func encode(_ image: Image, _ settings: JPEGSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    guard image.depth == .eight, image.layout == .gray || image.layout == .rgb else {
      throw CodecError(.encodeFailed, "JPEG stores 8-bit gray or RGB, not \(image.layout)")
    }
    return try encode(
      pixels: image.pixels, width: image.width, height: image.height,
      channels: image.layout.channels,
      settings, metadata: metadata)
  }

  private static func encode(
    pixels: [UInt8], width: Int, height: Int, channels: Int, _ settings: JPEGSettings,
    metadata: ImageMetadata
  ) throws(CodecError) -> [UInt8] {
    guard width <= 65_500, height <= 65_500 else {
      throw CodecError(
        .encodeFailed, "JPEG cannot store \(width)×\(height) (65500 px per side at most)",
        hint: "lower --max-size")
    }
    let subsampling: Int32
    switch settings.subsampling.resolved(quality: settings.quality) {
    case .s444, .auto: subsampling = 444
    case .s422: subsampling = 422
    case .s420: subsampling = 420
    }
    let c = imgproc_jpeg_settings(
      quality: Int32(settings.quality), progressive: settings.progressive ? 1 : 0,
      subsampling: subsampling)
    // An APP1 segment holds at most 65,527 bytes of EXIF; larger EXIF is left out.
    let exif = (metadata.exif?.count ?? 0) <= 65_527 ? metadata.exif : nil
    var output: UnsafeMutablePointer<UInt8>?
    var size: UInt = 0
    var message = imgproc_jpeg_message()
    let status = pixels.withUnsafeBufferPointer { samples in
      withOptionalBytes(metadata.icc) { icc, iccLength in
        withOptionalBytes(exif) { exifBytes, exifLength in
          Int(
            imgproc_jpeg_encode(
              samples.baseAddress, Int32(width), Int32(height), width * channels,
              Int32(channels), c, icc, iccLength, exifBytes, exifLength, &output, &size,
              &message))
        }
      }
    }
    defer { imgproc_jpeg_free(output) }
    try check(status, message, encoding: true)
    return copy(output, Int(size)) ?? []
  }

  private static func check(_ status: Int, _ message: imgproc_jpeg_message, encoding: Bool = false)
    throws(CodecError)
  {
    switch status {
    case IMGPROC_JPEG_OK: return
    case IMGPROC_JPEG_WARNING:  // libjpeg stopped at a warning: --fail-on warning
      throw CodecError(.damaged, "damaged JPEG: \(text(message))", hint: CodecError.failOnHint)
    case IMGPROC_JPEG_OUT_OF_MEMORY:
      throw CodecError(.outOfMemory, "out of memory in libjpeg: \(text(message))")
    default:
      let what = encoding ? "JPEG encoder failed" : "invalid JPEG"
      throw CodecError(encoding ? .encodeFailed : .corrupt, "\(what): \(text(message))")
    }
  }

  private static func text(_ message: imgproc_jpeg_message) -> String { cString(message.text) }
}
