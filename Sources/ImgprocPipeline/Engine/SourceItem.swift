import ImgprocCodecs

/// Where a source's bytes are.
public enum SourceOrigin: Sendable, Hashable {
  case file(String)
  case standardInput
  case object(bucket: String, key: String)

  /// How messages name it: the path, `stdin`, or `s3://bucket/key`.
  public var name: String {
    switch self {
    case .file(let path): return path
    case .standardInput: return "stdin"
    case .object(let bucket, let key): return "s3://\(bucket)/\(key)"
    }
  }

  /// The path or key, as recorded in an output's `source-key` and a manifest (`-` for
  /// standard input).
  public var key: String {
    switch self {
    case .file(let path): return path
    case .standardInput: return "-"
    case .object(_, let key): return key
    }
  }
}

/// One source to convert, as a source feed found it.
public struct SourceItem: Sendable, Hashable {
  public var origin: SourceOrigin
  /// Where its outputs go below the output store's root: "" or a relative folder ending in
  /// `/` (a file found in a sub-folder keeps its sub-folder).
  public var outputFolder: String
  /// The file name without its extension: `{base}` of its output names.
  public var base: String
  /// Size in bytes when the feed knows it (0 otherwise); planned batches start the biggest
  /// first.
  public var byteCount: Int
  /// The source's key relative to the listed prefix (or its path relative to the named
  /// folder): how a commit log identifies it.
  public var relativeKey: String
  /// What `--dry-run` says would be done to it.
  public var plannedAction: String
  /// When its work must be done, if it must (`imgproc lambda`: the invocation's deadline).
  public var timeBudget: TimeBudget?

  public init(
    origin: SourceOrigin, outputFolder: String = "", base: String, byteCount: Int = 0,
    relativeKey: String? = nil, plannedAction: String = "would convert"
  ) {
    self.origin = origin
    self.outputFolder = outputFolder
    self.base = base
    self.byteCount = byteCount
    self.relativeKey = relativeKey ?? base
    self.plannedAction = plannedAction
  }

  /// A source found at `relativeKey` below what was named (a folder, a prefix; the file name
  /// alone for a file or an object named directly): its outputs go in the same sub-folder
  /// (`outputFolder` overrides it) and are named after its file name without the extension.
  /// The one way every feed (folder walks, listings, watch, one object) makes a source.
  public init(
    origin: SourceOrigin, relativeKey: String, byteCount: Int = 0, outputFolder: String? = nil
  ) {
    let slash = relativeKey.lastIndex(of: "/")
    let folder = slash.map { String(relativeKey[...$0]) } ?? ""
    let name = slash.map { String(relativeKey[relativeKey.index(after: $0)...]) } ?? relativeKey
    self.init(
      origin: origin, outputFolder: outputFolder ?? folder, base: Self.base(ofFileName: name),
      byteCount: byteCount, relativeKey: relativeKey)
  }

  /// How messages name it.
  public var name: String { origin.name }

  /// `{base}` of a file name: the name without its last extension; a name that only starts
  /// with a dot keeps it.
  public static func base(ofFileName name: String) -> String {
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
    return String(name[..<dot])
  }
}

/// What a source feed yields, in the order the engine should handle it.
public enum SourceEvent: Sendable {
  /// A source to convert.
  case source(SourceItem)
  /// A source whose outputs a commit log records as complete for its current version.
  case upToDate(name: String)
  /// An entry met while walking a folder or a listing that is not converted, and why:
  /// counted and reported, not failed.
  case skipped(name: String, reason: SkipReason)
  /// A named input that cannot be used (missing, unreadable, its listing failed).
  case failed(name: String, error: PipelineError)
}

/// Why an entry met while planning is not converted. Every skip is counted; folders and
/// prefixes are named at normal verbosity, files with `-v`.
public enum SkipReason: Sendable, Equatable {
  /// Its content is not JPEG, PNG or WebP.
  case notAnImage
  /// A key without an image extension (listings have no content to sniff).
  case noImageExtension
  /// A hidden file or folder (its name starts with a dot).
  case hidden
  /// The run's own output folder, inside an input folder.
  case outputFolder
  /// A folder or prefix that holds imgproc's outputs (its marker says so): what imgproc
  /// wrote is never an input.
  case imgprocOutputs
  /// A symlink that leads out of the input or watched folder (followed only when asked).
  case symlinkOutOfFolder
  /// A symlink to a folder, met in a folder walk: never followed (it may lead back up).
  case symlinkToFolder
  /// A pipe, socket or device: reading one could block forever.
  case notARegularFile
  /// A file given again (by another name, or also found in a folder given): converted once.
  case givenTwice

  public var description: String {
    switch self {
    case .notAnImage: return "not an image"
    case .noImageExtension:
      return
        "no image extension (\(ImageFormat.knownExtensions)); --sniff-content reads its first bytes"
    case .hidden: return "hidden"
    case .outputFolder: return "the output folder, not read as input"
    case .imgprocOutputs: return "holds imgproc's outputs, never read as input"
    case .symlinkOutOfFolder:
      return "a symlink that leads out of the folder (--follow-symlinks follows it)"
    case .symlinkToFolder:
      return "a symlink to a folder, not followed (give that folder as an input to convert it)"
    case .notARegularFile: return "not a regular file (a pipe, socket or device)"
    case .givenTwice: return "given more than once: converted once"
    }
  }

  /// Whether the entry is not an image (`ignored` in the summary) rather than left out on
  /// purpose (`excluded`).
  public var isNotAnImage: Bool { self == .notAnImage || self == .noImageExtension }

  /// Whether the skip deserves a line without `-v`: a whole folder or prefix left out.
  public var isNotice: Bool {
    self == .outputFolder || self == .imgprocOutputs || self == .symlinkOutOfFolder
      || self == .symlinkToFolder || self == .notARegularFile || self == .givenTwice
  }
}
