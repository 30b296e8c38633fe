import Foundation
import ImgprocCodecs

#if canImport(Glibc)
import Glibc
#endif

/// Turns command-line paths into source events: `-` is standard input, a file is a source,
/// a folder is walked recursively.
public enum LocalInputs {
  /// The events for `inputs`: everything skipped first (the run's output folder, imgproc
  /// output folders, hidden entries, non-images), then the inputs that cannot be used
  /// (failed), then the sources in the order met. Folders are walked in name order.
  ///
  /// What imgproc wrote is never an input: a folder holding imgproc's marker
  /// (`FolderStore.marker`), or inside one, and `outputFolder` when it lies inside an input
  /// folder are skipped with a notice. Hidden entries are skipped (named with `-v`). Files
  /// found in folders are kept only when their content is JPEG, PNG or WebP; a file named
  /// explicitly is always kept (and fails later if it is not an image). A name that is not
  /// valid UTF-8 fails, naming the file.
  ///
  /// Symlinks met in a walk (as `find` treats them, not `find -L`): one to a file inside the
  /// named input folder is read; one leading out of it is skipped with a notice unless
  /// `followSymlinks`; one to a folder is never followed (it may lead back up); a dangling
  /// one fails. Pipes, sockets and devices are skipped with a notice (reading could block).
  /// - Throws: when an input folder is the output folder (its outputs would be read back).
  public static func events(
    _ inputs: [String], excluding outputFolder: String?, followSymlinks: Bool = false
  ) throws(PipelineError) -> [SourceEvent] {
    var walk = Walk(output: outputFolder.flatMap(FileIO.canonical), followSymlinks: followSymlinks)
    for input in inputs {
      if input == "-" {
        walk.sources.append(SourceItem(origin: .standardInput, base: "stdin"))
        continue
      }
      var info = stat()
      guard stat(input, &info) == 0 else {
        let reason =
          input.contains("\u{FFFD}")
          ? "no such file or folder; its name was not valid UTF-8 as given"
          : "no such file or folder"
        walk.failed(input, PipelineError(.io, reason, hint: "check the input path"))
        continue
      }
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        walk.file(input, relative: "", size: Int(info.st_size))
        continue
      }
      if let output = walk.output, FileIO.canonical(input) == output {
        throw PipelineError(
          .invalidConfiguration,
          "the output folder \(outputFolder ?? input) is the input folder \(input): its outputs would be read back as inputs",
          hint: "choose an -o outside the input folder")
      }
      if insideOutputFolder(input) {
        walk.skipped.append(.skipped(name: input, reason: .imgprocOutputs))
        continue
      }
      walk.root = FileIO.canonical(input) ?? input
      walk.folder(input, relative: "")
    }
    return walk.skipped + walk.failures + walk.sources.map(SourceEvent.source)
  }

  /// What a walk found so far.
  private struct Walk {
    /// The canonical output folder, when it exists.
    let output: String?
    let followSymlinks: Bool
    /// The canonical named input folder being walked.
    var root = "/"
    var sources: [SourceItem] = []
    var failures: [SourceEvent] = []
    var skipped: [SourceEvent] = []
    /// The files already taken (canonical folder + name): a file given twice is converted once.
    var taken = Set<String>()

    mutating func failed(_ path: String, _ error: PipelineError) {
      failures.append(.failed(name: path, error: error))
    }

    /// `relative`: the folder's path below the named input folder ("" or ending in `/`).
    mutating func folder(_ folder: String, relative: String) {
      let names: [DirectoryEntryName]
      do throws(PipelineError) {
        names = try entries(of: folder)
      } catch {
        failed(folder, error)
        return
      }
      if names.contains(.valid(FolderStore.marker)) {
        skipped.append(.skipped(name: folder, reason: .imgprocOutputs))
        return
      }
      for entry in names {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        guard case .valid(let name) = entry else {
          failed(
            prefix + entry.display,
            PipelineError(
              .io, "the file name is not valid UTF-8",
              hint: "rename it to UTF-8, e.g. convmv -f latin1 -t utf8 --notest"))
          continue
        }
        let path = prefix + name
        if name.hasPrefix(".") {
          skipped.append(.skipped(name: path, reason: .hidden))
          continue
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
          failed(
            path, PipelineError(.io, "cannot be examined: \(String(cString: strerror(errno)))"))
          continue
        }
        var type = info.st_mode & S_IFMT
        if type == S_IFLNK {
          guard let target = FileIO.canonical(path), stat(path, &info) == 0 else {
            failed(
              path,
              PipelineError(
                .io, "a symlink whose target does not exist",
                hint: "remove the link or restore what it points to"))
            continue
          }
          guard FileIO.isWithin(target, folder: root) || followSymlinks else {
            skipped.append(.skipped(name: path, reason: .symlinkOutOfFolder))
            continue
          }
          type = info.st_mode & S_IFMT
          guard type != S_IFDIR else {
            skipped.append(.skipped(name: path, reason: .symlinkToFolder))
            continue
          }
        }
        if type == S_IFDIR {
          if let output, FileIO.canonical(path) == output {
            skipped.append(.skipped(name: path, reason: .outputFolder))
          } else {
            self.folder(path, relative: relative + name + "/")
          }
        } else if type == S_IFREG {
          let head = FileIO.head(path, count: ImageFormat.sniffLength)
          if ImageFormat.isSource(head: head, name: name) {
            file(path, relative: relative, size: Int(info.st_size))
          } else {
            skipped.append(.skipped(name: path, reason: .notAnImage))
          }
        } else {
          skipped.append(.skipped(name: path, reason: .notARegularFile))
        }
      }
    }

    mutating func file(_ path: String, relative: String, size: Int) {
      // The same entry of the same folder, however the folder was named; a symlink is an
      // entry of its own (its name makes its outputs' names).
      let url = URL(fileURLWithPath: path)
      let parent = url.deletingLastPathComponent().path
      let entry = (FileIO.canonical(parent) ?? parent) + "/" + url.lastPathComponent
      guard taken.insert(entry).inserted else {
        skipped.append(.skipped(name: path, reason: .givenTwice))
        return
      }
      let name = URL(fileURLWithPath: path).lastPathComponent
      sources.append(SourceItem(origin: .file(path), relativeKey: relative + name, byteCount: size))
    }
  }

  /// A directory entry's name: UTF-8, or the raw bytes of one that is not.
  private enum DirectoryEntryName: Equatable {
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
  private static func entries(of folder: String) throws(PipelineError) -> [DirectoryEntryName] {
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

  /// Whether `folder` or one of its parents holds imgproc's output marker.
  private static func insideOutputFolder(_ folder: String) -> Bool {
    guard var path = FileIO.canonical(folder) else { return false }
    while true {
      if FileIO.exists(path + (path.hasSuffix("/") ? "" : "/") + FolderStore.marker) {
        return true
      }
      guard path != "/", let slash = path.lastIndex(of: "/") else { return false }
      path = slash == path.startIndex ? "/" : String(path[..<slash])
    }
  }
}

extension [SourceEvent] {
  /// A planned batch in the order to run it: every other event first, as it came, then the
  /// sources biggest first (equal sizes keep their order), so the longest work starts early.
  public func biggestSourcesFirst() -> [SourceEvent] {
    var others: [SourceEvent] = []
    var sources: [SourceItem] = []
    for event in self {
      if case .source(let item) = event { sources.append(item) } else { others.append(event) }
    }
    let ordered = sources.enumerated().sorted {
      ($0.element.byteCount, $1.offset) > ($1.element.byteCount, $0.offset)
    }
    return others + ordered.map { .source($0.element) }
  }
}
