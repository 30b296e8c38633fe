import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension FileIO {
  /// Moves the file at `path` to `target`, or, when a file of that name is there, to the first
  /// free name `STEM-1.EXT`, `STEM-2.EXT`, … beside it: a file already there is never
  /// replaced. Returns the path the file now has. Creates missing parent folders.
  ///
  /// The final name is claimed with `link`, which fails on an existing name, so two movers
  /// never take one name. Across file systems the bytes are copied under a temporary name,
  /// linked into place, and only then is the source removed: a failure leaves the source
  /// where it was. On a file system without hard links, the name is checked, then renamed
  /// into (a mover racing on that very name may still replace).
  public static func moveKeepingExisting(_ path: String, to target: String) throws(PipelineError)
    -> String
  {
    try makeFolder(URL(fileURLWithPath: target).deletingLastPathComponent().path)
    for number in 0..<maxNumberedNames {
      let candidate = numbered(target, number)
      if link(path, candidate) == 0 {
        unlink(path)
        return candidate
      }
      switch errno {
      case EEXIST: continue
      case EXDEV: return try copyKeepingExisting(path, to: target)
      case EPERM, EOPNOTSUPP, EMLINK:
        if exists(candidate) { continue }
        guard rename(path, candidate) == 0 else { throw ioError("cannot move it to", candidate) }
        return candidate
      default: throw ioError("cannot move it to", candidate)
      }
    }
    throw crowded(target)
  }

  /// `moveKeepingExisting` across file systems: a whole copy first, the source removed last.
  private static func copyKeepingExisting(_ path: String, to target: String) throws(PipelineError)
    -> String
  {
    let temporary = try writeTemporary(try read(path), beside: target)
    defer { unlink(temporary) }
    for number in 0..<maxNumberedNames {
      let candidate = numbered(target, number)
      let claimed: Bool
      if link(temporary, candidate) == 0 {
        claimed = true
      } else if errno == EEXIST {
        continue
      } else if [EPERM, EOPNOTSUPP, EMLINK].contains(errno) && !exists(candidate) {
        claimed = rename(temporary, candidate) == 0
      } else {
        claimed = false
      }
      guard claimed else { throw ioError("cannot move it to", candidate) }
      unlink(path)
      return candidate
    }
    throw crowded(target)
  }

  /// How many names `moveKeepingExisting` tries before it gives up.
  static let maxNumberedNames = 10_000

  /// `target` for 0; else its name with `-N` before the extension (`a.jpg` → `a-2.jpg`,
  /// `README` → `README-2`). A leading dot is part of the stem, not an extension.
  public static func numbered(_ target: String, _ number: Int) -> String {
    guard number > 0 else { return target }
    let url = URL(fileURLWithPath: target)
    let name = url.lastPathComponent
    let folder = String(target.dropLast(name.count))
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
      return folder + name + "-\(number)"
    }
    return folder + name[..<dot] + "-\(number)" + name[dot...]
  }

  private static func crowded(_ target: String) -> PipelineError {
    PipelineError(
      .io, "cannot move it to \(target): \(maxNumberedNames) files of that name are there",
      hint: "empty the folder named by --on-success / --on-failure")
  }
}
