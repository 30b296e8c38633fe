internal import CImgprocZlib

/// zlib's own compressor, one call per buffer. The only file that calls `CImgprocZlib`.
enum Zlib {
  /// The zlib imgproc runs with.
  static var libraryVersion: String { zlibVersion().map { String(cString: $0) } ?? "unknown" }

  /// `input` as one zlib stream at `level` (1...9) with the settings Pillow's PNG writer
  /// asks for (libImaging/ZipEncode.c): 32 KiB window, memory level 9, the `Z_FILTERED`
  /// strategy (on filtered photo rows 2–5 % smaller than zlib's default strategy, as fast).
  static func compress(_ input: UnsafeRawBufferPointer, level: Int) throws(CodecError) -> [UInt8] {
    let bound = Int(imgproc_zlib_bound(UInt(input.count), Int32(level)))
    guard bound > 0 else {
      throw CodecError(.encodeFailed, "zlib could not start a stream at level \(level)")
    }
    var status = Z_OK
    let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
      var written = UInt(bound)
      status = imgproc_zlib_compress(
        buffer.baseAddress, &written, input.baseAddress?.assumingMemoryBound(to: UInt8.self),
        UInt(input.count), Int32(level))
      count = status == Z_OK ? Int(written) : 0
    }
    guard status == Z_OK else {
      throw CodecError(
        .encodeFailed, "zlib could not compress \(input.count) bytes (status \(status))")
    }
    return output
  }
}
