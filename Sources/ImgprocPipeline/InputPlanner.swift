import Foundation
import ImgprocCodecs

#if canImport(Glibc)
import Glibc
#endif

/// One source to convert.
public struct SourceItem: Sendable, Hashable {
  /// The path to read (`-` for standard input).
  public var path: String
  /// Where its outputs go, relative to the output folder ("" for the folder itself):
  /// a file found in a folder keeps its sub-folder.
  public var outputSubfolder: String
  /// The file name without its extension (`{base}`); `stdin` for standard input.
  public var base: String
  /// Size in bytes, to start the biggest work first (0 when unknown).
  public var byteCount: Int
}

/// The expanded command-line inputs.
public struct InputPlan: Sendable {
  public var items: [SourceItem] = []
  /// Named inputs that cannot be used (missing, unreadable).
  public var failures: [(path: String, error: PipelineError)] = []
  /// Files met while walking a folder that are not images: skipped, not failed.
  public var ignored: [String] = []
}

/// Expands files, folders (recursively) and `-` into sources.
public enum InputPlanner {
  /// Folders are walked in name order; hidden entries are skipped, and so is `outputFolder`
  /// when it lies inside an input folder. Files found in folders are kept only when their
  /// content is JPEG, PNG or WebP; a file named explicitly is always kept (and fails later
  /// if it is not an image).
  public static func plan(_ inputs: [String], excluding outputFolder: String?) -> InputPlan {
    var plan = InputPlan()
    let excluded = outputFolder.flatMap(canonical)
    for input in inputs {
      if input == "-" {
        plan.items.append(SourceItem(path: "-", outputSubfolder: "", base: "stdin", byteCount: 0))
        continue
      }
      var info = stat()
      guard stat(input, &info) == 0 else {
        plan.failures.append(
          (input, PipelineError(.io, "no such file or folder", hint: "check the input path")))
        continue
      }
      if (info.st_mode & S_IFMT) == S_IFDIR {
        walk(folder: input, relative: "", excluded: excluded, into: &plan)
      } else {
        plan.items.append(item(path: input, subfolder: "", size: Int(info.st_size)))
      }
    }
    return plan
  }

  private static func walk(
    folder: String, relative: String, excluded: String?, into plan: inout InputPlan
  ) {
    if let excluded, canonical(folder) == excluded { return }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    } catch {
      plan.failures.append((folder, PipelineError(.io, "cannot list the folder")))
      return
    }
    for name in names where !name.hasPrefix(".") {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      let type = info.st_mode & S_IFMT
      if type == S_IFDIR {
        walk(
          folder: path, relative: relative.isEmpty ? name : relative + "/" + name,
          excluded: excluded, into: &plan)
      } else if type == S_IFREG || (type == S_IFLNK && isRegularFile(path)) {
        if ImageFormat.sniff(FileIO.head(path, count: 12)) != nil {
          var target = stat()
          let size = stat(path, &target) == 0 ? Int(target.st_size) : 0
          plan.items.append(item(path: path, subfolder: relative, size: size))
        } else {
          plan.ignored.append(path)
        }
      }
    }
  }

  private static func item(path: String, subfolder: String, size: Int) -> SourceItem {
    let name = URL(fileURLWithPath: path).lastPathComponent
    let base =
      name.contains(".") && !name.hasPrefix(".")
      ? String(name[..<(name.lastIndex(of: ".") ?? name.endIndex)]) : name
    return SourceItem(path: path, outputSubfolder: subfolder, base: base, byteCount: size)
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
