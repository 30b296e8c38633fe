import Foundation
import ImgprocPipeline

#if canImport(Glibc)
import Glibc
#endif

/// What `watch` does with a source once it is done: `move:DIR` moves it into DIR, keeping its
/// path below the watched folder (`--on-success`, `--on-failure`).
public enum FileAction: Sendable, Equatable {
  case move(to: String)

  /// Parses `move:DIR`.
  public init(parsing text: String) throws(WatchError) {
    guard text.hasPrefix("move:"), text.count > "move:".count else {
      throw WatchError(
        .invalidArgument, "'\(text)' is not an action", hint: "expected move:DIR, e.g. move:done/")
    }
    var folder = String(text.dropFirst("move:".count))
    while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
    self = .move(to: folder)
  }

  var folder: String {
    switch self {
    case .move(let folder): return folder
    }
  }

  /// Moves `path` (at `relative` below the watched folder) into the action's folder,
  /// replacing a file of that name; across file systems, copies then removes. The source is
  /// never lost: a failed copy leaves it where it was.
  func apply(to path: String, relative: String) throws(PipelineError) {
    let target = folder + "/" + relative
    try FileIO.makeFolder(URL(fileURLWithPath: target).deletingLastPathComponent().path)
    if rename(path, target) == 0 { return }
    guard errno == EXDEV else {
      throw PipelineError(
        .io, "cannot move it to \(target): \(String(cString: strerror(errno)))",
        hint: "check --on-success / --on-failure")
    }
    try FileIO.writeAtomically(try FileIO.read(path), to: target)
    unlink(path)
  }
}
