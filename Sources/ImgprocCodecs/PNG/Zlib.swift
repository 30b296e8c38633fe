internal import CImgprocZlib

/// zlib's own compressor, one call per buffer. The only file that calls `CImgprocZlib`.
enum Zlib {
  /// The zlib imgproc runs with.
  static var libraryVersion: String { zlibVersion().map { String(cString: $0) } ?? "unknown" }

  /// `input` as one zlib stream at `level` (1...9; zlib's defaults otherwise: 32 KiB window,
  /// memory level 8, default strategy — what Pillow's PNG writer asks for).
  static func compress(_ input: UnsafeRawBufferPointer, level: Int) throws(CodecError) -> [UInt8] {
    let bound = Int(compressBound(uLong(input.count)))
    var status = Z_OK
    let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
      var written = uLongf(bound)
      status = compress2(
        buffer.baseAddress, &written, input.baseAddress?.assumingMemoryBound(to: Bytef.self),
        uLong(input.count), Int32(level))
      count = status == Z_OK ? Int(written) : 0
    }
    guard status == Z_OK else {
      throw CodecError(
        .encodeFailed, "zlib could not compress \(input.count) bytes (status \(status))")
    }
    return output
  }
}
