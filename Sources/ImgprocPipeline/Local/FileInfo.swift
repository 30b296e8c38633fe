import Foundation
import ImgprocCodecs

#if canImport(Glibc)
import Glibc
#endif

extension FileIO {
  /// `ImageInfo` of the file at `path`: a regular file's headers read with `pread` (no
  /// whole-file read, no pixels); a pipe or a device read whole, as convert reads it. `imgproc info` and `--report` describe files through it.
  public static func describe(_ path: String) throws(PipelineError) -> ImageInfo {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw failure(path) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw failure(path) }
    if status.st_mode & S_IFMT == S_IFDIR {
      throw PipelineError(
        .io, "is a directory", hint: "give the files of a folder, e.g. FOLDER/*")
    }
    // A pipe or a device (`<(cat a.jpg)`, /dev/stdin) has no size to read at offsets: read it
    // whole, as convert does, within the default input limit.
    guard status.st_mode & S_IFMT == S_IFREG else {
      let bytes = try read(path, maxBytes: EngineConfiguration.defaultMaxInputBytes)
      do {
        return try ImageInfo.read(ByteSource(bytes))
      } catch {
        throw PipelineError(decoding: error)
      }
    }
    let source = ByteSource(count: Int(status.st_size)) { range in
      [UInt8](unsafeUninitializedCapacity: range.count) { buffer, count in
        count = max(pread(descriptor, buffer.baseAddress, range.count, off_t(range.lowerBound)), 0)
      }
    }
    do {
      return try ImageInfo.read(source)
    } catch {
      throw PipelineError(decoding: error)
    }
  }

  private static func failure(_ path: String) -> PipelineError {
    let code = errno
    return PipelineError(
      .io, String(cString: strerror(code)),
      underlying: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
  }
}
