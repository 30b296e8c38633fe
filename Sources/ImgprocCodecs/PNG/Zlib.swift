internal import CImgprocZlib

/// zlib's own compressor, one call per buffer. The only file that calls `CImgprocZlib`.
enum Zlib {
  /// The zlib imgproc runs with.
  static var libraryVersion: String { zlibVersion().map { String(cString: $0) } ?? "unknown" }

  /// How zlib's search weighs short matches.
  enum Strategy {
    /// `Z_FILTERED`, Pillow's: short matches dropped for literals, for filtered photo rows
    /// (2–5 % smaller there than the default strategy, as fast).
    case filtered
    /// `Z_DEFAULT_STRATEGY`: for flat graphics, whose short repeats matter.
    case standard
  }

  /// `input` as one zlib stream at `level` (1...9) with the settings Pillow's PNG writer
  /// asks for (libImaging/ZipEncode.c: 32 KiB window, memory level 9) and `strategy`.
  static func compress(_ input: UnsafeRawBufferPointer, level: Int, strategy: Strategy)
    throws(CodecError) -> [UInt8]
  {
    let bound = Int(imgproc_zlib_bound(UInt(input.count), Int32(level)))
    guard bound > 0 else {
      throw CodecError(.encodeFailed, "zlib could not start a stream at level \(level)")
    }
    var status = Z_OK
    let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
      var written = UInt(bound)
      status = imgproc_zlib_compress(
        buffer.baseAddress, &written, input.baseAddress?.assumingMemoryBound(to: UInt8.self),
        UInt(input.count), Int32(level), strategy == .filtered ? Z_FILTERED : Z_DEFAULT_STRATEGY)
      count = status == Z_OK ? Int(written) : 0
    }
    guard status == Z_OK else {
      throw CodecError(
        .encodeFailed, "zlib could not compress \(input.count) bytes (status \(status))")
    }
    return output
  }
}
