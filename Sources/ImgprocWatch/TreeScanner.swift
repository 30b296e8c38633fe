import Foundation
import ImgprocPipeline

#if canImport(Glibc)
import Glibc
#endif

/// Which entries of a watched tree are candidates, and the walk that finds them. Shared by
/// the first scan, the rescans after an inotify overflow, new folders and `--poll`.
struct TreeScanner: Sendable {
  /// The watched folder, canonical.
  let root: String
  /// Canonical folders never read: the output folder, the `move:` targets.
  let excluded: Set<String>
  let followSymlinks: Bool

  /// What a walk found.
  struct Found {
    var files: [String] = []
    var folders: [String] = []
    var skipped: [(path: String, reason: SkipReason)] = []
  }

  /// Names a writer uses before the file is complete: never candidates until renamed.
  static func isTemporary(_ name: String) -> Bool {
    name.hasPrefix(".") || name.hasSuffix("~")
      || [".part", ".tmp", ".crdownload", ".partial", ".download"].contains {
        name.lowercased().hasSuffix($0)
      }
  }

  /// Whether `folder` (canonical) is left out, and why: excluded, or holding imgproc's
  /// output marker.
  func skipReason(folder: String) -> SkipReason? {
    if excluded.contains(folder) { return .outputFolder }
    if FileIO.exists(folder + "/" + FolderStore.marker) { return .imgprocOutputs }
    return nil
  }

  /// Walks `folder` recursively: its candidate files and every folder to watch (itself
  /// first). Symlinks lead out of the watched folder only with `followSymlinks`; a folder
  /// is visited once.
  func walk(_ folder: String) -> Found {
    var found = Found()
    var visited = Set<String>()
    walk(folder, into: &found, visited: &visited)
    return found
  }

  private func walk(_ folder: String, into found: inout Found, visited: inout Set<String>) {
    guard let canonical = FileIO.canonical(folder), visited.insert(canonical).inserted else {
      return
    }
    if let reason = skipReason(folder: canonical) {
      found.skipped.append((folder, reason))
      return
    }
    found.folders.append(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
    for name in names where !Self.isTemporary(name) {
      let path = folder + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      var type = info.st_mode & S_IFMT
      if type == S_IFLNK {
        guard let target = FileIO.canonical(path) else { continue }
        if !isInside(target) && !followSymlinks {
          found.skipped.append((path, .symlinkOutOfFolder))
          continue
        }
        var targetInfo = stat()
        guard stat(path, &targetInfo) == 0 else { continue }
        type = targetInfo.st_mode & S_IFMT
      }
      if type == S_IFDIR {
        walk(path, into: &found, visited: &visited)
      } else if type == S_IFREG {
        found.files.append(path)
      }
    }
  }

  /// Whether a file found through a symlink may be read.
  func allows(_ path: String) -> Bool {
    guard let canonical = FileIO.canonical(path) else { return false }
    return followSymlinks || isInside(canonical)
  }

  func isInside(_ canonical: String) -> Bool { FileIO.isWithin(canonical, folder: root) }

  /// `path` below the root, "" for the root itself.
  func relative(_ path: String) -> String {
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}
