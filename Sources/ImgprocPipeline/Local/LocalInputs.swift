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
    var walk = Walk(output: outputFolder.flatMap(FileIO.canonical))
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
        walk.file(
          input, relativeKey: URL(fileURLWithPath: input).lastPathComponent,
          size: Int(info.st_size))
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
      var folder = FolderWalk(
        root: FileIO.canonical(input) ?? input, excluded: Set([walk.output].compactMap { $0 }),
        policy: .convert(followSymlinks: followSymlinks))
      folder.walk(input, relative: "")
      walk.skipped += folder.skipped
      walk.failures += folder.failures
      for file in folder.files { walk.file(file.path, relativeKey: file.relative, size: file.size) }
    }
    return walk.skipped + walk.failures + walk.sources.map(SourceEvent.source)
  }

  /// What a walk found so far.
  private struct Walk {
    /// The canonical output folder, when it exists.
    let output: String?
    var sources: [SourceItem] = []
    var failures: [SourceEvent] = []
    var skipped: [SourceEvent] = []
    /// The files already taken (canonical folder + name): a file given twice is converted once.
    var taken = Set<String>()

    mutating func failed(_ path: String, _ error: PipelineError) {
      failures.append(.failed(name: path, error: error))
    }

    /// `relativeKey`: its path below the named input folder (its name when named itself).
    mutating func file(_ path: String, relativeKey: String, size: Int) {
      // The same entry of the same folder, however the folder was named; a symlink is an
      // entry of its own (its name makes its outputs' names).
      let url = URL(fileURLWithPath: path)
      let parent = url.deletingLastPathComponent().path
      let entry = (FileIO.canonical(parent) ?? parent) + "/" + url.lastPathComponent
      guard taken.insert(entry).inserted else {
        skipped.append(.skipped(name: path, reason: .givenTwice))
        return
      }
      sources.append(SourceItem(origin: .file(path), relativeKey: relativeKey, byteCount: size))
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
