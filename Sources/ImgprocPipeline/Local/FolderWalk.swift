import Foundation
import ImgprocCodecs

#if canImport(Glibc)
import Glibc
#endif

/// What `convert`'s and `watch`'s folder walks do differently; every other rule is one
/// (`FolderWalk`).
public struct WalkPolicy: Sendable, Equatable {
  /// Read each file's first bytes and keep the images (`convert`). Without: every regular
  /// file is a candidate, read when it is converted (`watch`: a restart over many files
  /// already done reads none of them).
  public var sniffsContent: Bool
  /// Hold the names a writer uses before a file is complete (`isTemporary`: dot-files,
  /// `.part`, `~`…): neither sources nor said, until renamed (`watch`). Without: a dot-name
  /// is skipped as hidden (`convert`, said with `-v`).
  public var holdsTemporaryNames: Bool
  /// Read files through symlinks that lead out of the named folder.
  public var followSymlinks: Bool

  public static func convert(followSymlinks: Bool) -> WalkPolicy {
    WalkPolicy(sniffsContent: true, holdsTemporaryNames: false, followSymlinks: followSymlinks)
  }

  public static func watch(followSymlinks: Bool) -> WalkPolicy {
    WalkPolicy(sniffsContent: false, holdsTemporaryNames: true, followSymlinks: followSymlinks)
  }

  /// Names a writer uses before the file is complete.
  public static func isTemporary(_ name: String) -> Bool {
    name.hasPrefix(".") || name.hasSuffix("~")
      || [".part", ".tmp", ".crdownload", ".partial", ".download"].contains {
        name.lowercased().hasSuffix($0)
      }
  }
}

/// A recursive walk of a named folder, in byte order of the names, by one set of rules for
/// `convert` and `watch` (`WalkPolicy` says where they differ):
///
/// - a folder in `excluded` (the output folder, `move:` targets) or holding imgproc's marker
///   (`FolderStore.marker`) is skipped with its reason;
/// - a name that is not valid UTF-8 fails, naming the file;
/// - symlinks are treated as `find` treats them, not `find -L`: one to a file inside the
///   named folder is read; one leading out of it is skipped unless `followSymlinks`; one to a
///   folder is never followed (it may lead back up); a dangling one fails;
/// - pipes, sockets and devices are skipped (reading could block).
public struct FolderWalk {
  /// A file found: its path, its path below the named folder, its size in bytes and when it
  /// was last modified (nanoseconds since 1970), as the walk's `stat` saw them.
  public struct File: Sendable, Equatable {
    public var path: String
    public var relative: String
    public var size: Int
    public var modified: Int64

    /// `SIZE:MTIME`, as `FileIO.version` gives it.
    public var version: String { FileIO.version(size: size, modified: modified) }
  }

  public private(set) var files: [File] = []
  /// Every folder walked (not skipped), in the order met.
  public private(set) var folders: [String] = []
  /// `.skipped` events, in the order met.
  public private(set) var skipped: [SourceEvent] = []
  /// `.failed` events, in the order met.
  public private(set) var failures: [SourceEvent] = []
  /// Walk the folders met below (true), or list them in `subfolders` for the caller to
  /// walk one at a time, so that a tree of any size is never held at once.
  public var descends = true
  /// The folders met and not walked (`descends` false), in the order met.
  public private(set) var subfolders: [String] = []

  /// The named folder, canonical: what symlinks may lead into.
  let root: String
  /// Canonical folders never read.
  let excluded: Set<String>
  let policy: WalkPolicy

  public init(root: String, excluded: Set<String>, policy: WalkPolicy) {
    self.root = root
    self.excluded = excluded
    self.policy = policy
  }

  /// Walks `folder`, the named folder or one below it, whose path below the named folder is
  /// `relative` ("" or ending in `/`).
  public mutating func walk(_ folder: String, relative: String) {
    if !excluded.isEmpty, let canonical = FileIO.canonical(folder), excluded.contains(canonical) {
      skipped.append(.skipped(name: folder, reason: .outputFolder))
      return
    }
    let names: [DirectoryEntryName]
    do throws(PipelineError) {
      names = try Self.entries(of: folder)
    } catch {
      failures.append(.failed(name: folder, error: error))
      return
    }
    if names.contains(.valid(FolderStore.marker)) {
      skipped.append(.skipped(name: folder, reason: .imgprocOutputs))
      return
    }
    folders.append(folder)
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    for entry in names {
      guard case .valid(let name) = entry else {
        failures.append(
          .failed(
            name: prefix + entry.display,
            error: PipelineError(
              .io, "the file name is not valid UTF-8",
              hint: "rename it to UTF-8, e.g. convmv -f latin1 -t utf8 --notest")))
        continue
      }
      visit(prefix + name, name: name, relative: relative)
    }
  }

  private mutating func visit(_ path: String, name: String, relative: String) {
    if policy.holdsTemporaryNames && WalkPolicy.isTemporary(name) { return }
    if name.hasPrefix(".") {
      skipped.append(.skipped(name: path, reason: .hidden))
      return
    }
    var info = stat()
    guard lstat(path, &info) == 0 else {
      fail(path, PipelineError(.io, "cannot be examined: \(String(cString: strerror(errno)))"))
      return
    }
    var type = info.st_mode & S_IFMT
    if type == S_IFLNK {
      guard let target = FileIO.canonical(path), stat(path, &info) == 0 else {
        fail(
          path,
          PipelineError(
            .io, "a symlink whose target does not exist",
            hint: "remove the link or restore what it points to"))
        return
      }
      guard FileIO.isWithin(target, folder: root) || policy.followSymlinks else {
        skipped.append(.skipped(name: path, reason: .symlinkOutOfFolder))
        return
      }
      type = info.st_mode & S_IFMT
      guard type != S_IFDIR else {
        skipped.append(.skipped(name: path, reason: .symlinkToFolder))
        return
      }
    }
    if type == S_IFDIR {
      if descends {
        walk(path, relative: relative + name + "/")
      } else {
        subfolders.append(path)
      }
    } else if type == S_IFREG {
      if policy.sniffsContent,
        !ImageFormat.isSource(head: FileIO.head(path, count: ImageFormat.sniffLength), name: name)
      {
        skipped.append(.skipped(name: path, reason: .notAnImage))
      } else {
        files.append(
          File(
            path: path, relative: relative + name, size: Int(info.st_size),
            modified: FileIO.modified(info)))
      }
    } else {
      skipped.append(.skipped(name: path, reason: .notARegularFile))
    }
  }

  private mutating func fail(_ path: String, _ error: PipelineError) {
    failures.append(.failed(name: path, error: error))
  }

  /// A directory entry's name: UTF-8, or the raw bytes of one that is not.
  enum DirectoryEntryName: Equatable {
    case valid(String)
    case invalid([UInt8])

    /// The name with every byte outside ASCII written `\xE9`.
    var display: String {
      switch self {
      case .valid(let name): return name
      case .invalid(let bytes):
        return bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0) }
          .joined()
      }
    }
  }

  /// The entries of `folder` but `.` and `..`, in byte order of their names.
  static func entries(of folder: String) throws(PipelineError) -> [DirectoryEntryName] {
    guard let directory = opendir(folder) else {
      let code = errno
      throw PipelineError(
        .io, "cannot list the folder: \(String(cString: strerror(code)))",
        underlying: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
    }
    defer { closedir(directory) }
    var names: [[UInt8]] = []
    while let entry = readdir(directory) {
      let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        Array(raw.prefix { $0 != 0 })
      }
      if bytes != [0x2E] && bytes != [0x2E, 0x2E] { names.append(bytes) }
    }
    return names.sorted { $0.lexicographicallyPrecedes($1) }.map { bytes in
      String(validating: bytes, as: UTF8.self).map(DirectoryEntryName.valid) ?? .invalid(bytes)
    }
  }
}
