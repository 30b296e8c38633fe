import ImgprocCodecs

/// A source's bytes, and the version the store gave them (an S3 ETag; nil for files).
public struct SourceContent: Sendable {
  public var bytes: [UInt8]
  public var version: String?

  public init(bytes: [UInt8], version: String? = nil) {
    self.bytes = bytes
    self.version = version
  }
}

/// Reads sources. The engine calls it from any task, concurrently.
public protocol SourceReader: Sendable {
  /// The source's bytes; more than `maxBytes` is an error (`FileIO.tooLarge`), found while
  /// reading, never after holding them all.
  func read(_ origin: SourceOrigin, maxBytes: Int) async throws(PipelineError) -> SourceContent
}

/// One encoded output, ready to store.
public struct OutputFile: Sendable {
  public var bytes: [UInt8]
  public var format: ImageFormat
  /// Provenance for stores that keep metadata (S3's `x-amz-meta-*`): `source-key`,
  /// `source-etag`, `recipe`, `variant`.
  public var metadata: [String: String]

  public init(bytes: [UInt8], format: ImageFormat, metadata: [String: String] = [:]) {
    self.bytes = bytes
    self.format = format
    self.metadata = metadata
  }
}

/// Where outputs go: a folder, standard output, a bucket prefix. A destination is the
/// store's full name for one output (a path, a key). The engine calls it from any task,
/// concurrently.
public protocol OutputStore: Sendable {
  /// The destination of the output called `name` of a source whose outputs go to `folder`
  /// ("" or a relative folder ending in `/`).
  func destination(folder: String, name: String) -> String
  /// How messages name a destination.
  func display(_ destination: String) -> String
  /// Whether an output is there already (a re-run skips it unless outputs are replaced).
  /// When the store cannot tell (no permission to look), false: the output is made again.
  func exists(_ destination: String) async -> Bool
  /// Stores `file` so that no reader ever sees it partial.
  func write(_ file: OutputFile, to destination: String) async throws(PipelineError)
  /// Records that `item`'s outputs are `outputs` (destinations), once all are in place:
  /// what attributes an output to the source it was made from, never its name.
  func recordOutputs(of item: SourceItem, _ outputs: [String]) async throws(PipelineError)
  /// The outputs still in the store that the record of one of `sources` names (made from
  /// other settings or another version of that source), but none of `keeping`.
  func otherVersions(of sources: [SourceItem], keeping: Set<String>) async -> [String]
  /// Deletes `destinations`, outputs of `item` that are no longer wanted (another version,
  /// or `item` is gone), and drops them from its record. One already gone is no error.
  func remove(_ destinations: [String], of item: SourceItem) async throws(PipelineError)
}

extension OutputStore {
  /// Stores that keep no record of their own (S3's manifests are the commit log's).
  public func recordOutputs(of item: SourceItem, _ outputs: [String]) async throws(PipelineError) {}

  public func otherVersions(of sources: [SourceItem], keeping: Set<String>) async -> [String] {
    []
  }

  /// Stores that keep no record and are never asked to remove (standard output).
  public func remove(_ destinations: [String], of item: SourceItem) async throws(PipelineError) {
    guard destinations.isEmpty else {
      throw PipelineError(.invalidConfiguration, "this destination cannot remove outputs")
    }
  }
}

/// What the engine hands a commit log when every output of a source is in place.
public struct CommitRecord: Sendable {
  public var item: SourceItem
  /// The version of the source that was read (an ETag; size and modification time of a
  /// file), when the reader knows one.
  public var version: String?
  /// The SHA-256 of the source's bytes, in hex.
  public var digest: String
  /// Every output's destination, in recipe order.
  public var outputs: [String]
  public var recipe: String
  /// Whether outputs were written (false: every one existed already).
  public var wroteOutputs: Bool
}

/// The commit protocol: what is done, recorded and answered in one place. The engine calls
/// `commit` once per source whose outputs are all in place (written now or found), never
/// when one failed; a failing commit fails the source, so the next run does it again. It
/// calls `recordFailure` when a source fails, with its content when it could be read. Every
/// front end asks it (through `Engine.state`) whether a source's version is done before
/// converting it: the log vouches for a version only while the outputs it recorded are still
/// in the store. s3-sync's and Lambda's manifests and watch's journal are commit logs; a run
/// without one relies on outputs existing (`ExistingOutputs.skip`).
public protocol CommitLog: Sendable {
  func commit(_ record: CommitRecord) async throws(PipelineError)
  func recordFailure(_ item: SourceItem, content: SourceContent?, error: PipelineError) async
  /// What the log says of `item` at `version` (an ETag; `FileIO.version` of a file) with
  /// the run's settings, its outputs checked in `outputs`.
  func state(of item: SourceItem, version: String, outputs: StoredOutputs)
    async throws(PipelineError) -> CommitState
}

/// What a commit log says of one version of a source.
public enum CommitState: Sendable, Equatable {
  /// Nothing to do: committed with these settings and every output it vouches for still in
  /// the store (watch's journal also settles a version that failed or is not an image, until
  /// it changes).
  case done
  /// To convert, and why, as `--dry-run` says it ("new: would convert", "outputs missing:
  /// would convert").
  case toConvert(reason: String)
}

/// A run's outputs and the store they go to: what a commit log checks before it vouches for
/// a recorded version, so that an output deleted since is made again (as `aws s3 sync` and
/// rsync do).
public struct StoredOutputs: Sendable {
  public let configuration: EngineConfiguration
  public let store: any OutputStore

  /// Whether every output of `item`, with content of SHA-256 `digest`, is in the store: one
  /// `exists` per output.
  public func exist(of item: SourceItem, digest: [UInt8]) async -> Bool {
    for output in configuration.plannedOutputs(of: item, digest: digest, in: store)
    where !(await store.exists(output.destination)) {
      return false
    }
    return true
  }

  /// Whether `listed` holds an output of every variant of `item`, of any `{hash}`.
  public func listed(of item: SourceItem, in listed: ListedOutputs) -> Bool {
    configuration.hasOutputs(of: item, in: store, listed: listed)
  }

  /// What every output of `item` starts with: the prefix one LIST asks for to answer
  /// `listed(of:in:)` for this source alone.
  public func prefix(of item: SourceItem) -> String {
    configuration.outputsPrefix(of: item, in: store)
  }
}

extension CommitLog {
  /// Most logs record only what is done.
  public func recordFailure(_ item: SourceItem, content: SourceContent?, error: PipelineError)
    async
  {}
}

/// No record beyond the outputs themselves (`convert`): every source is to convert, and
/// the engine skips the outputs that exist (`ExistingOutputs.skip`).
public struct NoCommitLog: CommitLog {
  public init() {}
  public func commit(_ record: CommitRecord) async throws(PipelineError) {}

  public func state(of item: SourceItem, version: String, outputs: StoredOutputs) async
    -> CommitState
  {
    .toConvert(reason: item.plannedAction)
  }
}
