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
    if let moved = try claimFreeName(for: path, target: target) {
      unlink(path)
      return moved
    }
    // Another file system: a whole copy first, the source removed last.
    let temporary = try writeTemporary(try read(path), beside: target)
    defer { unlink(temporary) }
    guard let copied = try claimFreeName(for: temporary, target: target) else {
      throw ioError("cannot move it to", target)
    }
    unlink(path)
    return copied
  }

  /// Gives the file at `file` the first free name of `target`, `STEM-1.EXT`, … (a second
  /// name: `file` itself stays until the caller removes it); nil when `file` is on another
  /// file system than `target`.
  private static func claimFreeName(for file: String, target: String) throws(PipelineError)
    -> String?
  {
    for number in 0..<maxNumberedNames {
      let candidate = numbered(target, number)
      if link(file, candidate) == 0 { return candidate }
      switch errno {
      case EEXIST: continue
      case EXDEV: return nil
      case EPERM, EOPNOTSUPP, EMLINK:
        // No hard links here: check the name, then rename into it.
        if exists(candidate) { continue }
        guard rename(file, candidate) == 0 else { throw ioError("cannot move it to", candidate) }
        return candidate
      default: throw ioError("cannot move it to", candidate)
      }
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
