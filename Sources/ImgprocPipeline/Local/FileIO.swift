import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and atomic writes with POSIX calls.
public enum FileIO {
  /// Reads the whole file at `path` (or standard input for `-`), refusing more than
  /// `maxBytes` bytes: checked from the size of a regular file first, and while reading
  /// (devices and pipes have no size).
  public static func read(_ path: String, maxBytes: Int = .max) throws(PipelineError) -> [UInt8] {
    try readVersioned(path, maxBytes: maxBytes).bytes
  }

  /// `read`, with the version of what was read: `SIZE:MTIME` (modification time in
  /// nanoseconds) of a regular file, nil for standard input, pipes and devices.
  public static func readVersioned(_ path: String, maxBytes: Int = .max) throws(PipelineError)
    -> (bytes: [UInt8], version: String?)
  {
    let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ioError("cannot open", path) }
    defer { if path != "-" { close(fd) } }
    var info = stat()
    let expected =
      fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
    if (info.st_mode & S_IFMT) == S_IFDIR {
      throw PipelineError(.io, "is a directory", underlying: POSIXError(.EISDIR))
    }
    if expected > maxBytes { throw tooLarge(maxBytes) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(expected + 1)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw ioError("cannot read", path)
      }
      bytes.append(contentsOf: chunk[0..<count])
      if bytes.count > maxBytes { throw tooLarge(maxBytes) }
    }
    return (bytes, (info.st_mode & S_IFMT) == S_IFREG ? version(info) : nil)
  }

  /// `SIZE:MTIME` of the regular file at `path` (following a symlink); nil for anything
  /// else, or when it is gone.
  public static func version(atPath path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return version(info)
  }

  /// When the file at `path` (following a symlink) was last modified; nil when it is gone.
  public static func modificationTime(atPath path: String) -> Date? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Date(
      timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
  }

  /// `SIZE:MTIME` of a file's status: what tells a changed file from an unchanged one.
  public static func version(_ info: stat) -> String {
    version(size: Int(info.st_size), modified: modified(info))
  }

  /// `SIZE:MTIME` of a file of `size` bytes last modified `modified` ns after 1970.
  public static func version(size: Int, modified: Int64) -> String { "\(size):\(modified)" }

  /// When a file's status says it was last modified, in nanoseconds since 1970.
  public static func modified(_ info: stat) -> Int64 {
    Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
  }

  /// The error for a source over `--max-input-bytes`.
  public static func tooLarge(_ maxBytes: Int) -> PipelineError {
    PipelineError(
      .io, "larger than \(ByteCount.describe(maxBytes)), the input limit",
      hint: "raise it with --max-input-bytes")
  }

  /// The first `count` bytes of `path` (fewer for a shorter file), for format sniffing.
  public static func head(_ path: String, count: Int) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: count)
    let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
    return got > 0 ? Array(buffer[0..<got]) : []
  }

  /// Writes `bytes` to a temporary name beside `path`, then renames it into place, so no
  /// reader ever sees a partial file under `path`. Creates missing parent folders.
  /// The temporary name starts with a dot, so folder scans skip it.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(PipelineError) {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    try makeFolder(folder)
    guard url.lastPathComponent.utf8.count <= Int(NAME_MAX) else {
      throw PipelineError(
        .io,
        "the output name \(url.lastPathComponent) is \(url.lastPathComponent.utf8.count) bytes, longer than a file name may be (\(NAME_MAX))",
        hint:
          "a --name template without {base}, such as '{hash}_{variant}.{ext}', keeps names short")
    }
    let temporary = try writeTemporary(bytes, beside: path)
    guard rename(temporary, path) == 0 else {
      let error = ioError("cannot rename into", path)
      unlink(temporary)
      throw error
    }
  }

  /// Writes `bytes` to a new temporary name in `path`'s folder (which must exist) and returns
  /// that name: `.NAME.imgproc-PID-N.tmp`, which folder scans skip and a later run removes
  /// once this process is gone. The caller renames or removes it.
  static func writeTemporary(_ bytes: [UInt8], beside path: String) throws(PipelineError)
    -> String
  {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    // The name's first 200 bytes at most: a final name up to NAME_MAX (255 bytes) still
    // has a temporary one.
    var stem = Substring(url.lastPathComponent)
    while stem.utf8.count > 200 { stem = stem.dropLast() }
    let temporary = folder + "/." + stem + ".imgproc-\(getpid())-\(nextToken()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ioError("cannot create a file in", folder) }
    let failed = !writeAll(bytes, to: fd)
    let closeFailed = close(fd) != 0
    if failed || closeFailed {
      let error = ioError("cannot write", path)
      unlink(temporary)
      throw error
    }
    return temporary
  }

  /// Removes the temporary files `writeAtomically` left in `folder` (`.NAME.imgproc-PID-N.tmp`)
  /// whose process no longer runs: what a killed run leaves behind. Best effort.
  public static func removeAbandonedTemporaryFiles(in folder: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
      guard let marker = name.range(of: ".imgproc-", options: .backwards) else { continue }
      let fields = name[marker.upperBound...].dropLast(".tmp".count).split(separator: "-")
      guard fields.count == 2, let pid = pid_t(fields[0]), Int(fields[1]) != nil,
        pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      unlink(folder + "/" + name)
    }
  }

  /// Writes all of `bytes` to standard output.
  public static func writeToStandardOutput(_ bytes: [UInt8]) throws(PipelineError) {
    if !writeAll(bytes, to: STDOUT_FILENO) { throw ioError("cannot write", "standard output") }
  }

  /// Writes all of `bytes` to `fd`, retrying interrupted and partial writes; false on error.
  public static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
    bytes.withUnsafeBytes { raw in
      var written = 0
      while written < raw.count {
        let n = write(fd, raw.baseAddress?.advanced(by: written), raw.count - written)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        written += n
      }
      return true
    }
  }

  /// What a path names on its file system: a folder replaced by another of the same name has
  /// another identity.
  public struct Identity: Equatable, Sendable {
    public var device: UInt64
    public var inode: UInt64
  }

  /// The identity of what `path` names (following symlinks); nil when it does not exist.
  public static func identity(_ path: String) -> Identity? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }

  /// The absolute, symlink-free form of an existing path; nil when it does not exist.
  public static func canonical(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Whether `path` is `folder` or below it (both canonical): where a symlink may lead
  /// without `--follow-symlinks`.
  public static func isWithin(_ path: String, folder: String) -> Bool {
    path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// Creates `path` and its parents; the error says which folder and why.
  public static func makeFolder(_ path: String) throws(PipelineError) {
    guard !isDirectory(path) else { return }
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if parent != path && !parent.isEmpty { try makeFolder(parent) }
    guard mkdir(path, 0o755) == 0 || (errno == EEXIST && isDirectory(path)) else {
      if errno == EEXIST {
        throw PipelineError(
          .io, "cannot create the folder \(path): a file of that name is in the way",
          hint: "check -o", underlying: POSIXError(.EEXIST))
      }
      throw ioError("cannot create the folder", path)
    }
  }

  /// Deletes the file at `path`; one already gone is no error.
  public static func remove(_ path: String) throws(PipelineError) {
    guard unlink(path) == 0 || errno == ENOENT else { throw ioError("cannot delete", path) }
  }

  /// `action path: reason`, keeping `errno` as a `POSIXError`.
  static func ioError(_ action: String, _ path: String) -> PipelineError {
    let code = errno
    return PipelineError(
      .io, "\(action) \(path): \(String(cString: strerror(code)))",
      underlying: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
  }

  private static let counter = Counter()

  private static func nextToken() -> Int { counter.next() }
}

/// A thread-safe increasing number (temporary file names).
final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()

  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
