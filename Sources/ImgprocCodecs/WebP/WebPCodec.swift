internal import CImgprocWebP
import ImgprocCore

/// WebP through libwebp, libwebpdemux and libwebpmux (status-code APIs: no setjmp). The only
/// file that calls `CImgprocWebP`; libwebp-owned buffers are copied and released here.
enum WebPCodec {
  /// The libwebp decoder imgproc runs with (its version packed as 0xMMmmpp).
  static var libraryVersion: String {
    let packed = Int(WebPGetDecoderVersion())
    return "\(packed >> 16).\(packed >> 8 & 0xFF).\(packed & 0xFF)"
  }

  static func probe(_ data: [UInt8]) throws(CodecError) -> ImageHeader {
    var features = WebPBitstreamFeatures()
    let status = data.withUnsafeBufferPointer {
      WebPGetFeatures($0.baseAddress, $0.count, &features)
    }
    guard status == VP8_STATUS_OK else {
      throw status == VP8_STATUS_NOT_ENOUGH_DATA
        ? CodecError(.corrupt, "truncated WebP: the data ends inside its header")
        : failure(status)
    }
    return ImageHeader(
      format: .webp, width: Int(features.width), height: Int(features.height),
      layout: features.has_alpha != 0 ? .rgba : .rgb, depth: .eight,
      isAnimated: features.has_animation != 0, metadata: metadata(data))
  }

  /// Decodes at `size` (smaller than stored: libwebp's rescaler shrinks while decoding).
  /// Data that ends inside the image is damage: fatal with `failOn == .warning`; otherwise
  /// the rows libwebp could decode are kept (the rest black and transparent), with a warning.
  static func decode(_ data: [UInt8], header: ImageHeader, size: Size, failOn: FailOn)
    throws(CodecError) -> DecodedImage
  {
    if header.isAnimated {
      var decoded = try firstFrame(data, header: header)
      decoded.warnings.append("animated WebP: only the first frame is used")
      return decoded
    }
    var status = VP8_STATUS_OK
    var rows = size.height
    let image = try header.allocate(size: size) { output in
      let config = UnsafeMutablePointer<WebPDecoderConfig>.allocate(capacity: 1)
      defer { config.deallocate() }
      guard WebPInitDecoderConfig(config) != 0 else {
        status = VP8_STATUS_INVALID_PARAM
        return
      }
      config.pointee.output.colorspace = header.layout == .rgba ? MODE_RGBA : MODE_RGB
      if size.width != header.width || size.height != header.height {
        config.pointee.options.use_scaling = 1
        config.pointee.options.scaled_width = Int32(size.width)
        config.pointee.options.scaled_height = Int32(size.height)
      }
      config.pointee.output.is_external_memory = 1
      config.pointee.output.u.RGBA.rgba = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
      config.pointee.output.u.RGBA.stride = Int32(size.width * header.layout.channels)
      config.pointee.output.u.RGBA.size = output.count
      defer { WebPFreeDecBuffer(&config.pointee.output) }
      status = data.withUnsafeBufferPointer { WebPDecode($0.baseAddress, $0.count, config) }
      guard status == VP8_STATUS_NOT_ENOUGH_DATA, failOn == .error else { return }
      rows = decodeAvailableRows(data, config)
      status = VP8_STATUS_OK
      let decodedBytes = rows * Int(config.pointee.output.u.RGBA.stride)
      if decodedBytes < output.count {
        output.baseAddress?.advanced(by: decodedBytes).initializeMemory(
          as: UInt8.self, repeating: 0, count: output.count - decodedBytes)
      }
    }
    guard status == VP8_STATUS_OK else { throw failure(status) }
    let warnings =
      rows < size.height
      ? ["truncated WebP: the data ends after row \(rows) of \(size.height)"] : []
    return DecodedImage(
      image: image, format: .webp, metadata: header.metadata, warnings: warnings)
  }

  /// Decodes what a truncated file holds with libwebp's incremental decoder, into the
  /// external buffer `config` describes (which outlives the decoder); the rows decoded.
  private static func decodeAvailableRows(
    _ data: [UInt8], _ config: UnsafeMutablePointer<WebPDecoderConfig>
  ) -> Int {
    guard let decoder = WebPIDecode(nil, 0, config) else { return 0 }
    defer { WebPIDelete(decoder) }
    let status = data.withUnsafeBufferPointer { WebPIAppend(decoder, $0.baseAddress, $0.count) }
    guard status == VP8_STATUS_SUSPENDED || status == VP8_STATUS_OK else { return 0 }
    var lastRow: Int32 = 0
    guard WebPIDecGetRGB(decoder, &lastRow, nil, nil, nil) != nil else { return 0 }
    return Int(max(0, lastRow))
  }

  static func encode(_ image: Image, _ settings: WebPSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    guard image.depth == .eight, image.layout == .rgb || image.layout == .rgba else {
      throw CodecError(.encodeFailed, "WebP stores 8-bit RGB or RGBA, not \(image.layout)")
    }
    guard image.width <= Int(WEBP_MAX_DIMENSION), image.height <= Int(WEBP_MAX_DIMENSION) else {
      throw CodecError(
        .encodeFailed,
        "WebP cannot store \(image.width)×\(image.height) (\(WEBP_MAX_DIMENSION) px per side at most)",
        hint: "give the variant a smaller size, or lower --max-size")
    }
    var config = WebPConfig()
    guard WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, Float(settings.quality)) != 0 else {
      throw CodecError(.encodeFailed, "libwebp version mismatch")
    }
    config.method = Int32(settings.effort)
    config.lossless = settings.lossless ? 1 : 0
    guard WebPValidateConfig(&config) != 0 else {
      throw CodecError(
        .encodeFailed,
        "invalid WebP settings: quality \(settings.quality), effort \(settings.effort)")
    }
    let bitstream = try encodeBitstream(image, &config)
    guard metadata.icc != nil || metadata.exif != nil else { return bitstream }
    return try wrap(bitstream, metadata)
  }

  // MARK: - Private

  private static func encodeBitstream(_ image: Image, _ config: inout WebPConfig)
    throws(CodecError) -> [UInt8]
  {
    var picture = WebPPicture()
    guard WebPPictureInit(&picture) != 0 else {
      throw CodecError(.encodeFailed, "libwebp version mismatch")
    }
    defer { WebPPictureFree(&picture) }
    picture.width = Int32(image.width)
    picture.height = Int32(image.height)
    picture.use_argb = config.lossless
    let stride = Int32(image.rowBytes)
    let imported = image.withBytes { raw -> Int32 in
      let pixels = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
      return image.layout == .rgba
        ? WebPPictureImportRGBA(&picture, pixels, stride)
        : WebPPictureImportRGB(&picture, pixels, stride)
    }
    guard imported != 0 else {
      throw CodecError(.outOfMemory, "libwebp could not import the picture")
    }
    var writer = WebPMemoryWriter()
    WebPMemoryWriterInit(&writer)
    defer { WebPMemoryWriterClear(&writer) }
    let encoded = withUnsafeMutablePointer(to: &writer) { pointer -> Int32 in
      picture.writer = WebPMemoryWrite
      picture.custom_ptr = UnsafeMutableRawPointer(pointer)
      return WebPEncode(&config, &picture)
    }
    guard encoded != 0 else {
      throw CodecError(
        .encodeFailed, "WebP encoder failed (libwebp error \(picture.error_code.rawValue))")
    }
    return copy(writer.mem, writer.size) ?? []
  }

  /// Puts a bare bitstream into an extended (VP8X) container with ICCP and EXIF chunks.
  private static func wrap(_ bitstream: [UInt8], _ metadata: ImageMetadata) throws(CodecError)
    -> [UInt8]
  {
    guard let mux = WebPMuxNew() else {
      throw CodecError(.outOfMemory, "libwebpmux could not start")
    }
    defer { WebPMuxDelete(mux) }
    var ok = bitstream.withUnsafeBufferPointer { bytes in
      var image = WebPData(bytes: bytes.baseAddress, size: bytes.count)
      return WebPMuxSetImage(mux, &image, 1) == WEBP_MUX_OK
    }
    for (fourcc, chunk) in [("ICCP", metadata.icc), ("EXIF", metadata.exif)] {
      guard let chunk, !chunk.isEmpty else { continue }
      ok =
        ok
        && chunk.withUnsafeBufferPointer { bytes in
          var data = WebPData(bytes: bytes.baseAddress, size: bytes.count)
          return WebPMuxSetChunk(mux, fourcc, &data, 1) == WEBP_MUX_OK
        }
    }
    var assembled = WebPData()
    defer { WebPDataClear(&assembled) }
    guard ok, WebPMuxAssemble(mux, &assembled) == WEBP_MUX_OK else {
      throw CodecError(.encodeFailed, "could not add metadata to the WebP container")
    }
    return copy(UnsafeMutablePointer(mutating: assembled.bytes), assembled.size) ?? []
  }

  /// ICC profile and EXIF chunks of an extended WebP container.
  private static func metadata(_ data: [UInt8]) -> ImageMetadata {
    data.withUnsafeBufferPointer { bytes in
      var webp = WebPData(bytes: bytes.baseAddress, size: bytes.count)
      guard let demux = WebPDemux(&webp) else { return ImageMetadata() }
      defer { WebPDemuxDelete(demux) }
      func chunk(_ fourcc: String) -> [UInt8]? {
        var iterator = WebPChunkIterator()
        guard WebPDemuxGetChunk(demux, fourcc, 1, &iterator) != 0 else { return nil }
        defer { WebPDemuxReleaseChunkIterator(&iterator) }
        return copy(UnsafeMutablePointer(mutating: iterator.chunk.bytes), iterator.chunk.size)
      }
      return ImageMetadata(icc: chunk("ICCP"), exif: chunk("EXIF"))
    }
  }

  /// The first frame of an animation, composed onto its canvas.
  private static func firstFrame(_ data: [UInt8], header: ImageHeader) throws(CodecError)
    -> DecodedImage
  {
    var frame: [UInt8]?
    data.withUnsafeBufferPointer { bytes in
      var webp = WebPData(bytes: bytes.baseAddress, size: bytes.count)
      var options = WebPAnimDecoderOptions()
      guard WebPAnimDecoderOptionsInit(&options) != 0 else { return }
      options.color_mode = MODE_RGBA
      options.use_threads = 0
      guard let decoder = WebPAnimDecoderNew(&webp, &options) else { return }
      defer { WebPAnimDecoderDelete(decoder) }
      var buffer: UnsafeMutablePointer<UInt8>?
      var timestamp: Int32 = 0
      guard WebPAnimDecoderGetNext(decoder, &buffer, &timestamp) != 0 else { return }
      frame = copy(buffer, header.width * header.height * 4)
    }
    guard let frame,
      let image = try? Image(
        width: header.width, height: header.height, layout: .rgba, pixels: frame)
    else {
      throw CodecError(.corrupt, "invalid animated WebP: the first frame does not decode")
    }
    let layout = header.layout
    return DecodedImage(
      image: layout == .rgba ? image : image.converted(to: layout), format: .webp,
      metadata: header.metadata, warnings: [])
  }

  private static func failure(_ status: VP8StatusCode) -> CodecError {
    switch status {
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return CodecError(
        .damaged, "truncated WebP: the data ends inside the image", hint: CodecError.failOnHint)
    case VP8_STATUS_OUT_OF_MEMORY: return CodecError(.outOfMemory, "out of memory in libwebp")
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return CodecError(.unsupported, "WebP uses a feature libwebp does not support")
    default:
      return CodecError(
        .corrupt, "invalid WebP: bitstream error (libwebp status \(status.rawValue))")
    }
  }
}
