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
    var files: [String] = []
    var folders: [String] = []
    /// What was left out (`.skipped`) or cannot be used (`.failed`), with the reason.
    var unused: [SourceEvent] = []
  }

  /// Walks `folder` recursively by convert's rules with watch's policy (`FolderWalk`,
  /// `WalkPolicy.watch`): its candidate files and every folder to watch (itself first).
  func walk(_ folder: String) -> Found {
    var walk = FolderWalk(
      root: root, excluded: excluded, policy: .watch(followSymlinks: followSymlinks))
    walk.walk(folder, relative: "")
    return Found(
      files: walk.files.map(\.path), folders: walk.folders, unused: walk.skipped + walk.failures)
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
