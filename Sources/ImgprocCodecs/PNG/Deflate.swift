internal import CImgprocDeflate

/// A libdeflate compressor at one level. Owns its C handle (freed in `deinit`); not
/// thread-safe, so each encode makes its own. The only file that calls `CImgprocDeflate`.
final class DeflateCompressor {
  /// libdeflate's version, as built against (its API has no run-time query).
  static let libraryVersion = LIBDEFLATE_VERSION_STRING

  private let handle: OpaquePointer

  /// - Parameter level: 0 (store) ... 12 (slowest, smallest); 10–12 use near-optimal parsing.
  init(level: Int) throws(CodecError) {
    guard (0...12).contains(level), let handle = libdeflate_alloc_compressor(Int32(level)) else {
      throw CodecError(.outOfMemory, "libdeflate could not allocate a level-\(level) compressor")
    }
    self.handle = handle
  }

  deinit { libdeflate_free_compressor(handle) }

  /// `input` as one zlib stream (header, DEFLATE data, Adler-32), as PNG's IDAT and iCCP want.
  func zlib(_ input: [UInt8]) throws(CodecError) -> [UInt8] {
    try input.withUnsafeBytes { source in Result { () throws(CodecError) in try zlib(source) } }
      .get()
  }

  func zlib(_ input: UnsafeRawBufferPointer) throws(CodecError) -> [UInt8] {
    let bound = libdeflate_zlib_compress_bound(handle, input.count)
    var written = 0
    let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
      written = libdeflate_zlib_compress(
        handle, input.baseAddress, input.count, buffer.baseAddress, buffer.count)
      count = written
    }
    guard written > 0 else {
      throw CodecError(.encodeFailed, "libdeflate could not compress \(input.count) bytes")
    }
    return output
  }

  /// The raw DEFLATE size of `input` (0 if it does not fit `scratch`): a cheap, honest
  /// measure of how well a candidate row compresses.
  func deflatedSize(_ input: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer) -> Int
  {
    libdeflate_deflate_compress(
      handle, input.baseAddress, input.count, scratch.baseAddress, scratch.count)
  }

  /// The scratch size `deflatedSize` needs for inputs of `count` bytes.
  func bound(_ count: Int) -> Int { libdeflate_deflate_compress_bound(handle, count) }

  /// Continues a CRC-32 (start with 0) over `bytes`, as PNG chunks need.
  static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    libdeflate_crc32(crc, bytes.baseAddress, bytes.count)
  }
}
