import Foundation
import ImgprocCodecs

#if canImport(Glibc)
import Glibc
#endif

/// Turns command-line paths into source events: `-` is standard input, a file is a source,
/// a folder is walked recursively.
public enum LocalInputs {
  /// The events for `inputs`: every folder's non-images first (ignored), then the inputs
  /// that cannot be used (failed), then the sources in the order met. Folders are walked in
  /// name order; hidden entries are skipped, and so is `outputFolder` when it lies inside an
  /// input folder. Files found in folders are kept only when their content is JPEG, PNG or
  /// WebP; a file named explicitly is always kept (and fails later if it is not an image).
  public static func events(_ inputs: [String], excluding outputFolder: String?) -> [SourceEvent] {
    var walk = Walk(excluded: outputFolder.flatMap(canonical))
    for input in inputs {
      if input == "-" {
        walk.sources.append(SourceItem(origin: .standardInput, base: "stdin"))
        continue
      }
      var info = stat()
      guard stat(input, &info) == 0 else {
        walk.failed(
          input, PipelineError(.io, "no such file or folder", hint: "check the input path"))
        continue
      }
      if (info.st_mode & S_IFMT) == S_IFDIR {
        walk.folder(input, relative: "")
      } else {
        walk.file(input, relative: "", size: Int(info.st_size))
      }
    }
    return walk.ignored + walk.failures + walk.sources.map(SourceEvent.source)
  }

  /// What a walk found so far.
  private struct Walk {
    let excluded: String?
    var sources: [SourceItem] = []
    var failures: [SourceEvent] = []
    var ignored: [SourceEvent] = []

    mutating func failed(_ path: String, _ error: PipelineError) {
      failures.append(.failed(name: path, error: error))
    }

    /// `relative`: the folder's path below the named input folder ("" for the input itself).
    mutating func folder(_ folder: String, relative: String) {
      if let excluded, canonical(folder) == excluded { return }
      let names: [String]
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
      } catch {
        failed(folder, PipelineError(.io, "cannot list the folder", underlying: error))
        return
      }
      for name in names where !name.hasPrefix(".") {
        let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
          self.folder(path, relative: relative + name + "/")
        } else if type == S_IFREG || (type == S_IFLNK && isRegularFile(path)) {
          if ImageFormat.sniff(FileIO.head(path, count: 12)) != nil {
            var target = stat()
            file(path, relative: relative, size: stat(path, &target) == 0 ? Int(target.st_size) : 0)
          } else {
            ignored.append(.ignored(name: path))
          }
        }
      }
    }

    mutating func file(_ path: String, relative: String, size: Int) {
      let name = URL(fileURLWithPath: path).lastPathComponent
      sources.append(
        SourceItem(
          origin: .file(path), outputFolder: relative, base: SourceItem.base(ofFileName: name),
          byteCount: size, relativeKey: relative + name))
    }
  }

  private static func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// The absolute, symlink-free form of an existing path.
  private static func canonical(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
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
