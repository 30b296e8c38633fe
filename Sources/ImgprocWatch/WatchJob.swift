import Foundation
import ImgprocCodecs
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3
import Synchronization

/// `imgproc watch`: every image that lands in a folder is converted once, never half-written.
///
/// A `FolderWatcher` (inotify) or, with `poll`, periodic scans see files appear; a `Settler`
/// lets through only complete ones; the journal skips what is already done for this path,
/// content and settings; the engine converts the rest (its per-source commit log is the
/// journal) and the `onSuccess` / `onFailure` actions follow. Runs until the calling task is
/// cancelled (then the files in flight finish and the journal is flushed), or with `once`
/// until the files already there are done.
public struct WatchJob: Sendable {
  public var folder: String
  /// A folder or a bucket prefix (not standard output).
  public var output: ConvertOutput
  public var configuration: EngineConfiguration
  public var connection = S3ConnectionOptions()
  /// How long a file's size and modification time must stay still (files not seen closed).
  public var settle: Duration = .milliseconds(500)
  /// Scan every so often instead of using inotify (file systems without it).
  public var poll: Duration?
  /// Convert the files already there, then stop.
  public var once = false
  /// Convert the files already there when starting (`--no-initial` turns it off).
  public var initial = true
  public var followSymlinks = false
  /// Delete the outputs of a source that is gone (deleted, renamed away) instead of only
  /// naming them (`--delete`).
  public var deletes = false
  public var onSuccess: FileAction?
  public var onFailure: FileAction?
  /// The journal's path (default: in the user's state folder, one per folder and output).
  public var journal: String?
  /// How many files the scan of the files already there may hand on before they are done
  /// (settling, or on their way through the engine): it waits for room beyond that, so a
  /// first run over a big folder keeps that many paths in memory, not all of them. Each
  /// waits `settle` first: at 500 ms and ~2,000 small files converted a second, ~1,000
  /// settle at once, and fewer than that would leave the engine waiting.
  public var backlog = 4096

  public init(folder: String, output: ConvertOutput, configuration: EngineConfiguration) {
    self.folder = folder
    self.output = output
    self.configuration = configuration
    self.configuration.existingOutputs = .skip
  }

  public func run(reporter: some ConvertReporter) async throws(PipelineError) -> ConvertSummary {
    try await run(reporter: reporter, observing: { _ in })
  }

  /// `run`, handing `observe` the session before it starts (tests look inside it).
  func run(reporter: some ConvertReporter, observing observe: (WatchSession) -> Void)
    async throws(PipelineError) -> ConvertSummary
  {
    guard let root = FileIO.canonical(folder), FileIO.isDirectory(root) else {
      throw PipelineError(
        .invalidConfiguration, "\(folder): no such folder to watch", hint: "check the folder")
    }
    let client = try await connect()
    let (store, excluded) = try prepareOutputs(client, watching: root)
    let scanner = TreeScanner(root: root, excluded: excluded, followSymlinks: followSymlinks)
    let settings =
      OutputIdentity.recipeFingerprint(configuration.settings, naming: configuration.naming)
    let log: WatchJournal
    do throws(WatchError) {
      log = try WatchJournal(
        path: journal ?? defaultJournalPath(root), settings: settings,
        relative: { scanner.relative($0) }, isGone: { !FileIO.exists(root + "/" + $0) })
    } catch {
      throw PipelineError(
        error.code == .busy ? .invalidConfiguration : .io, error.message, hint: error.hint,
        underlying: error)
    }
    defer { log.close() }
    let engine = Engine(
      configuration: configuration, reader: client.map { ObjectReader(client: $0) } ?? FileReader(),
      store: store, commitLog: log, reporter: reporter)
    let session = WatchSession(
      job: self, scanner: scanner, journal: log, settler: Settler(settle: settle),
      reporter: reporter, engine: engine)
    observe(session)
    return try await session.run().withRequests(of: client)
  }

  private func connect() async throws(PipelineError) -> S3Client? {
    guard output.isBucket else { return nil }
    return try await S3Connection.connect(connection)
  }

  /// The output store, and the folders never to read (the output folder, the action
  /// folders), created so they can be recognised. None may be the watched folder `root`
  /// (canonical): what lands there would be read back as a new upload.
  private func prepareOutputs(_ client: S3Client?, watching root: String) throws(PipelineError)
    -> (any OutputStore, Set<String>)
  {
    var excluded = Set<String>()
    func exclude(_ folder: String, as what: String) throws(PipelineError) {
      try FileIO.makeFolder(folder)
      guard let canonical = FileIO.canonical(folder) else { return }
      if canonical == root {
        throw PipelineError(
          .invalidConfiguration,
          "\(what) \(folder) is the watched folder: what lands there would be read back as a new upload",
          hint: "choose a folder outside \(self.folder)")
      }
      excluded.insert(canonical)
    }
    for action in [onSuccess, onFailure].compactMap({ $0 }) {
      try exclude(action.folder, as: "the move: folder")
    }
    switch output {
    case .folder(let path): try exclude(path, as: "the output folder")
    case .s3: break
    case .standardOutput:
      throw PipelineError(
        .invalidConfiguration, "watch writes to a folder or a bucket, not standard output",
        hint: "give -o DIR or -o s3://bucket/prefix/")
    }
    return (try output.store(client: client), excluded)
  }

  /// `$XDG_STATE_HOME/imgproc/` (else `~/.local/state/imgproc/`) + one file per watched
  /// folder and output, however either is spelled (`out`, `./out/`, its absolute path).
  private func defaultJournalPath(_ root: String) -> String {
    let environment = ProcessInfo.processInfo.environment
    let home = environment["HOME"] ?? NSHomeDirectory()
    let state = environment["XDG_STATE_HOME"] ?? home + "/.local/state"
    var destination = "\(output)"
    if case .folder(let path) = output, let canonical = FileIO.canonical(path) {
      destination = "folder(\(canonical))"
    }
    let key = OutputNaming.hash(Array((root + "\n" + destination).utf8), digits: 16)
    return state + "/imgproc/watch-\(key).jsonl"
  }
}
