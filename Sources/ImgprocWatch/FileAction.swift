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

  /// Moves `path` (at `relative` below the watched folder) into the action's folder. A file
  /// already there is never replaced: the incoming one takes the first free name `NAME-N.EXT`.
  /// Returns the path it now has. The source is never lost: a failed move leaves it where it
  /// was.
  @discardableResult
  func apply(to path: String, relative: String) throws(PipelineError) -> String {
    do {
      return try FileIO.moveKeepingExisting(path, to: folder + "/" + relative)
    } catch {
      var described = error
      described.hint = described.hint ?? "check --on-success / --on-failure"
      throw described
    }
  }
}
