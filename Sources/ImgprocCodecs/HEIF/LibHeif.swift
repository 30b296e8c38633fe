#if HEIF
internal import CImgprocHEIF
import ImgprocCore

/// HEIF and AVIF through libheif (HEVC by libde265, AV1 by dav1d/aom): the only file that
/// calls `CImgprocHEIF`. Contexts, handles, images and encoders are released by `defer`
/// before each function returns; no libheif pointer leaves this file.
///
/// Decoding reads the primary image: a grid is assembled by libheif, and its `irot`/`imir`
/// transformations are applied, so the EXIF orientation handed on is reset to upright (it
/// describes the stored pixels, and must not be applied twice). Colour: an ICC profile is
/// handed on as is; an `nclx` description with other primaries than sRGB's becomes an ICC
/// profile with those primaries (and sRGB's curve), so colour management converts it.
enum LibHeif {
  /// The libheif imgproc runs with.
  static var libraryVersion: String { heif_get_version().map { String(cString: $0) } ?? "unknown" }

  /// The largest width or height libheif may allocate (its own guard, beside
  /// `--max-pixels`, which is checked from the header first).
  static let maximumSide: Int32 = 65_535

  /// An open file: the context and its primary image's handle.
  private final class File {
    let context: OpaquePointer
    let handle: OpaquePointer

    init(_ data: [UInt8], format: ImageFormat) throws(CodecError) {
      guard let context = heif_context_alloc() else {
        throw CodecError(.outOfMemory, "libheif could not allocate a context")
      }
      heif_context_set_maximum_image_size_limit(context, maximumSide)
      var handle: OpaquePointer?
      // libheif reads from `data` while the context lives: the caller keeps `data` alive
      // for the File's lifetime (`withFile`).
      var error = data.withUnsafeBytes {
        heif_context_read_from_memory_without_copy(context, $0.baseAddress, $0.count, nil)
      }
      if error.code == heif_error_Ok {
        error = heif_context_get_primary_image_handle(context, &handle)
      }
      guard error.code == heif_error_Ok, let handle else {
        // The message may live in the context: read it before freeing.
        let failure = LibHeif.error(error, "invalid \(format.rawValue.uppercased())")
        heif_context_free(context)
        throw failure
      }
      self.context = context
      self.handle = handle
    }

    deinit {
      heif_image_handle_release(handle)
      heif_context_free(context)
    }
  }

  /// Opens `data` for `body`, keeping the bytes alive as long as libheif may read them.
  private static func withFile<T>(
    _ data: [UInt8], format: ImageFormat, _ body: (File) throws(CodecError) -> T
  ) throws(CodecError) -> T {
    try withExtendedLifetime(data) { () throws(CodecError) -> T in
      try body(try File(data, format: format))
    }
  }

  static func probe(_ data: [UInt8], format: ImageFormat) throws(CodecError) -> ImageHeader {
    var header = try withFile(data, format: format) { file throws(CodecError) -> ImageHeader in
      Self.header(file, format: format)
    }
    header.isAnimated = ISOBoxes.isSequence(data)
    return header
  }

  private static func header(_ file: File, format: ImageFormat) -> ImageHeader {
    let handle = file.handle
    let alpha = heif_image_handle_has_alpha_channel(handle) != 0
    let bits = heif_image_handle_get_luma_bits_per_pixel(handle)
    return ImageHeader(
      format: format, width: Int(heif_image_handle_get_width(handle)),
      height: Int(heif_image_handle_get_height(handle)), layout: alpha ? .rgba : .rgb,
      depth: bits > 8 ? .sixteen : .eight, isAnimated: false,
      metadata: ImageMetadata(icc: colorProfile(handle), exif: exif(handle)))
  }

  /// The ICC profile, or one made from `nclx` primaries other than sRGB's; nil for sRGB.
  private static func colorProfile(_ handle: OpaquePointer) -> [UInt8]? {
    let type = heif_image_handle_get_color_profile_type(handle)
    if type == heif_color_profile_type_prof || type == heif_color_profile_type_rICC {
      let size = heif_image_handle_get_raw_color_profile_size(handle)
      guard size > 0 else { return nil }
      var bytes = [UInt8](repeating: 0, count: size)
      let error = bytes.withUnsafeMutableBytes {
        heif_image_handle_get_raw_color_profile(handle, $0.baseAddress)
      }
      return error.code == heif_error_Ok ? bytes : nil
    }
    // libheif may hand out the profile with an error (unknown primaries): freed either way.
    var nclx: UnsafeMutablePointer<heif_color_profile_nclx>?
    let error = heif_image_handle_get_nclx_color_profile(handle, &nclx)
    defer { if let nclx { heif_nclx_color_profile_free(nclx) } }
    guard error.code == heif_error_Ok, let nclx else { return nil }
    let primaries = nclx.pointee.color_primaries
    guard primaries != heif_color_primaries_ITU_R_BT_709_5,
      primaries != heif_color_primaries_unspecified
    else { return nil }
    let p = nclx.pointee
    return ColorManagement.rgbProfile(
      white: (Double(p.color_primary_white_x), Double(p.color_primary_white_y)),
      red: (Double(p.color_primary_red_x), Double(p.color_primary_red_y)),
      green: (Double(p.color_primary_green_x), Double(p.color_primary_green_y)),
      blue: (Double(p.color_primary_blue_x), Double(p.color_primary_blue_y)),
      description: "HEIF nclx primaries \(primaries.rawValue)")
  }

  /// EXIF as TIFF bytes, its orientation reset: libheif applies `irot`/`imir` itself.
  private static func exif(_ handle: OpaquePointer) -> [UInt8]? {
    var id = heif_item_id()
    guard heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif", &id, 1) == 1 else {
      return nil
    }
    let size = heif_image_handle_get_metadata_size(handle, id)
    guard size > 4 else { return nil }
    var block = [UInt8](repeating: 0, count: size)
    let error = block.withUnsafeMutableBytes {
      heif_image_handle_get_metadata(handle, id, $0.baseAddress)
    }
    guard error.code == heif_error_Ok else { return nil }
    // The block starts with the offset (big-endian) of the TIFF header after these 4 bytes.
    let offset = block.prefix(4).reduce(0) { $0 << 8 | Int($1) } + 4
    guard offset < block.count else { return nil }
    return Exif.resettingOrientation(Array(block[offset...]))
  }

  /// Decodes the primary image. libheif cannot decode part of a damaged file, so damage
  /// always fails it (`--fail-on` has nothing to relax).
  static func decode(_ data: [UInt8], header: ImageHeader) throws(CodecError) -> DecodedImage {
    try withFile(data, format: header.format) { file throws(CodecError) in
      let alpha = header.layout.hasAlpha
      let wide = header.depth == .sixteen
      let chroma: heif_chroma =
        wide
        ? (alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE)
        : (alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB)
      var decoded: OpaquePointer?
      let error = heif_decode_image(file.handle, &decoded, heif_colorspace_RGB, chroma, nil)
      guard error.code == heif_error_Ok, let decoded else {
        throw LibHeif.error(error, "cannot decode the \(header.format.rawValue.uppercased()) image")
      }
      defer { heif_image_release(decoded) }
      let width = Int(heif_image_get_primary_width(decoded))
      let height = Int(heif_image_get_primary_height(decoded))
      let bits = Int(heif_image_get_bits_per_pixel_range(decoded, heif_channel_interleaved))
      var stride: Int32 = 0
      guard width == header.width, height == header.height,
        let plane = heif_image_get_plane_readonly(decoded, heif_channel_interleaved, &stride)
      else { throw CodecError(.corrupt, "the decoded image does not match its header") }
      let rowBytes = width * header.layout.channels * header.depth.bytes
      guard Int(stride) >= rowBytes else {
        throw CodecError(.corrupt, "the decoded image's rows are shorter than its width")
      }
      let image: Image
      do {
        image = try Image.filling(
          width: width, height: height, layout: header.layout, depth: header.depth
        ) { output in
          guard let target = output.baseAddress else { return }
          for y in 0..<height {
            let row = target + y * rowBytes
            row.copyMemory(from: plane + y * Int(stride), byteCount: rowBytes)
            if wide && bits < 16 {
              // 10- or 12-bit samples (little-endian in 16) scaled to the full 16 bits.
              let samples = row.assumingMemoryBound(to: UInt16.self)
              for i in 0..<(rowBytes / 2) {
                let value = UInt32(UInt16(littleEndian: samples[i]))
                samples[i] = UInt16(
                  truncatingIfNeeded: (value << (16 - bits)) | (value >> (2 * bits - 16)))
              }
            }
          }
        }
      } catch {
        throw CodecError(.outOfMemory, "cannot allocate a \(width)×\(height) image")
      }
      return DecodedImage(
        image: image, format: header.format, metadata: header.metadata, warnings: [])
    }
  }

  /// Whether this libheif can write AV1: Debian's can (aom); the Lambda package's, built with
  /// decoders only, cannot, and then AVIF is a format imgproc reads but does not write.
  static let hasAV1Encoder: Bool = {
    guard let context = heif_context_alloc() else { return false }
    defer { heif_context_free(context) }
    var encoder: OpaquePointer?
    let error = heif_context_get_encoder_for_format(context, heif_compression_AV1, &encoder)
    guard error.code == heif_error_Ok, let encoder else { return false }
    heif_encoder_release(encoder)
    return true
  }()

  /// Encodes 8-bit RGB or RGBA as AVIF (AV1 by aom): YCbCr 4:2:0, or, lossless, the RGB
  /// planes themselves at 4:4:4 (identity matrix, full range).
  static func encodeAVIF(_ image: Image, _ settings: AVIFSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    guard image.depth == .eight, image.layout == .rgb || image.layout == .rgba else {
      throw CodecError(.encodeFailed, "AVIF is written from 8-bit RGB or RGBA, not \(image.layout)")
    }
    guard let context = heif_context_alloc() else {
      throw CodecError(.outOfMemory, "libheif could not allocate a context")
    }
    defer { heif_context_free(context) }
    var encoder: OpaquePointer?
    var error = heif_context_get_encoder_for_format(context, heif_compression_AV1, &encoder)
    guard error.code == heif_error_Ok, let encoder else {
      throw LibHeif.error(error, "no AVIF encoder in libheif", code: .encodeFailed)
    }
    defer { heif_encoder_release(encoder) }
    if settings.lossless {
      _ = heif_encoder_set_lossless(encoder, 1)
      _ = heif_encoder_set_parameter_string(encoder, "chroma", "444")
    } else {
      _ = heif_encoder_set_lossy_quality(encoder, Int32(settings.quality))
      _ = heif_encoder_set_parameter_string(encoder, "chroma", "420")
    }
    // aom's speed runs 0 (slowest) to 9; effort runs the other way, as sharp's.
    _ = heif_encoder_set_parameter_integer(encoder, "speed", Int32(9 - settings.effort))
    var picture: OpaquePointer?
    let chroma = image.layout == .rgba ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB
    error = heif_image_create(
      Int32(image.width), Int32(image.height), heif_colorspace_RGB, chroma, &picture)
    guard error.code == heif_error_Ok, let picture else {
      throw LibHeif.error(error, "cannot create an AVIF image", code: .encodeFailed)
    }
    defer { heif_image_release(picture) }
    error = heif_image_add_plane(
      picture, heif_channel_interleaved, Int32(image.width), Int32(image.height), 8)
    var stride: Int32 = 0
    guard error.code == heif_error_Ok,
      let plane = heif_image_get_plane(picture, heif_channel_interleaved, &stride),
      Int(stride) >= image.rowBytes
    else { throw LibHeif.error(error, "cannot allocate an AVIF plane", code: .encodeFailed) }
    image.withBytes { pixels in
      guard let source = pixels.baseAddress else { return }
      for y in 0..<image.height {
        (plane + y * Int(stride)).update(
          from: source.advanced(by: y * image.rowBytes).assumingMemoryBound(to: UInt8.self),
          count: image.rowBytes)
      }
    }
    if let icc = metadata.icc {
      _ = icc.withUnsafeBytes {
        heif_image_set_raw_color_profile(picture, "prof", $0.baseAddress, $0.count)
      }
    }
    // Lossless: the planes are R, G and B themselves (identity matrix, full range), which
    // decode to exactly the source; YCbCr would round. Lossy: libheif's default (BT.601).
    guard let options = heif_encoding_options_alloc() else {
      throw CodecError(.outOfMemory, "libheif could not allocate encoding options")
    }
    defer { heif_encoding_options_free(options) }
    let identity = settings.lossless ? heif_nclx_color_profile_alloc() : nil
    defer { if let identity { heif_nclx_color_profile_free(identity) } }
    if let identity {
      identity.pointee.color_primaries = heif_color_primaries_ITU_R_BT_709_5
      identity.pointee.transfer_characteristics = heif_transfer_characteristic_IEC_61966_2_1
      identity.pointee.matrix_coefficients = heif_matrix_coefficients_RGB_GBR
      identity.pointee.full_range_flag = 1
      options.pointee.output_nclx_profile = identity
      _ = heif_image_set_nclx_color_profile(picture, identity)
      // With an ICC profile, the matrix must still be said: both colour boxes.
      options.pointee.save_two_colr_boxes_when_ICC_and_nclx_available = 1
    }
    var handle: OpaquePointer?
    error = heif_context_encode_image(context, picture, encoder, options, &handle)
    guard error.code == heif_error_Ok else {
      throw LibHeif.error(error, "the AVIF encoder failed", code: .encodeFailed)
    }
    if let exif = metadata.exif, let handle {
      error = exif.withUnsafeBytes {
        heif_context_add_exif_metadata(context, handle, $0.baseAddress, Int32($0.count))
      }
    }
    heif_image_handle_release(handle)
    guard error.code == heif_error_Ok else {
      throw LibHeif.error(error, "adding EXIF to the AVIF file failed", code: .encodeFailed)
    }
    let output = Output()
    var writer = heif_writer(
      writer_api_version: 1,
      write: { _, data, size, userdata in
        guard let userdata, let data else {
          return heif_error(
            code: heif_error_Usage_error, subcode: heif_suberror_Unspecified, message: nil)
        }
        let output = Unmanaged<Output>.fromOpaque(userdata).takeUnretainedValue()
        output.bytes += UnsafeRawBufferPointer(start: data, count: size)
        return heif_error(code: heif_error_Ok, subcode: heif_suberror_Unspecified, message: nil)
      })
    error = withExtendedLifetime(output) {
      heif_context_write(context, &writer, Unmanaged.passUnretained(output).toOpaque())
    }
    guard error.code == heif_error_Ok else {
      throw LibHeif.error(error, "writing the AVIF file failed", code: .encodeFailed)
    }
    return output.bytes
  }

  /// Where the writer callback appends the file (used by one encode, on one thread).
  private final class Output {
    var bytes: [UInt8] = []
  }

  private static func error(
    _ error: heif_error, _ what: String, code: CodecError.Code = .corrupt
  ) -> CodecError {
    var detail = error.message.map { String(cString: $0) } ?? "error \(error.code.rawValue)"
    // libheif ends some messages with a newline; a message here is one line.
    while let last = detail.last, last.isWhitespace { detail.removeLast() }
    let kind: CodecError.Code =
      error.code == heif_error_Memory_allocation_error
      ? .outOfMemory
      : (error.code == heif_error_Unsupported_feature
        || error.code == heif_error_Unsupported_filetype ? .unsupported : code)
    return CodecError(kind, "\(what): \(detail)")
  }
}
#endif
