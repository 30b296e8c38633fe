import ImgprocPipeline

/// Which entries of a watched tree are candidates, and the walk that finds them (convert's
/// walk, `FolderWalk`, with watch's policy). Shared by the first scan, the rescans after an
/// inotify overflow, new folders and `--poll`.
struct TreeScanner: Sendable {
  /// The watched folder, canonical.
  let root: String
  /// Canonical folders never read: the output folder, the `move:` targets.
  let excluded: Set<String>
  let followSymlinks: Bool

  /// What a walk found.
  struct Found {
    /// The candidate files, with the size and time their `stat` gave (`version`).
    var files: [FolderWalk.File] = []
    var folders: [String] = []
    /// What was left out (`.skipped`) or cannot be used (`.failed`), with the reason.
    var unused: [SourceEvent] = []
    /// The folders below that were not walked (`descending` false).
    var subfolders: [String] = []
  }

  /// Walks `folder` by convert's rules with watch's policy (`FolderWalk`,
  /// `WalkPolicy.watch`): its candidate files and every folder to watch (itself first).
  /// Recursively, or (`descending` false) the folder alone, its subfolders listed.
  func walk(_ folder: String, descending: Bool = true) -> Found {
    var walk = FolderWalk(
      root: root, excluded: excluded, policy: .watch(followSymlinks: followSymlinks))
    walk.descends = descending
    walk.walk(folder, relative: "")
    return Found(
      files: walk.files, folders: walk.folders, unused: walk.skipped + walk.failures,
      subfolders: walk.subfolders)
  }

  /// The walk of a tree one folder at a time, depth first in name order: each `next()`
  /// walks one folder, so that only one folder's files are held at once.
  struct Folders: IteratorProtocol {
    let scanner: TreeScanner
    /// The folders still to walk; the last pushed is walked first.
    var queue: [String]

    mutating func next() -> Found? {
      guard let folder = queue.popLast() else { return nil }
      let found = scanner.walk(folder, descending: false)
      queue += found.subfolders.reversed()
      return found
    }
  }

  /// The tree under `folder` (itself first), one folder at a time.
  func folders(under folder: String) -> Folders { Folders(scanner: self, queue: [folder]) }

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
