import ImgprocCore

// Helpers shared by the three codec files for moving bytes across the C boundary.

/// Copies `count` C-owned bytes into a Swift array (nil when there are none).
/// The caller still owns, and must free, `pointer`.
func copy(_ pointer: UnsafeMutablePointer<UInt8>?, _ count: Int) -> [UInt8]? {
  guard let pointer, count > 0 else { return nil }
  return Array(UnsafeBufferPointer(start: pointer, count: count))
}

/// Calls `body` with a pointer and length for optional bytes (nil and 0 when absent).
/// The pointer is valid only inside `body`.
func withOptionalBytes<R>(
  _ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?, UInt32) -> R
) -> R {
  guard let bytes, !bytes.isEmpty else { return body(nil, 0) }
  return bytes.withUnsafeBufferPointer { body($0.baseAddress, UInt32($0.count)) }
}

/// The NUL-terminated text in a fixed-size C `char` array (imported as a tuple).
func cString<Characters>(_ characters: Characters) -> String {
  withUnsafeBytes(of: characters) { raw in
    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
  }
}

extension ImageHeader {
  /// Allocates the decoded image this header describes, at `size` (default: the stored size),
  /// and lets `fill` decode into it (the whole buffer, rows packed).
  func allocate(size: Size? = nil, _ fill: (UnsafeMutableRawBufferPointer) -> Void)
    throws(CodecError) -> Image
  {
    let size = size ?? Size(width: width, height: height)
    do {
      return try Image.filling(
        width: size.width, height: size.height, layout: layout, depth: depth, fill)
    } catch {
      throw CodecError(.outOfMemory, "cannot allocate a \(size) image")
    }
  }
}
