import Foundation
import ImgprocConcurrency
import Synchronization

/// Reads local files and standard input, off the cooperative thread pool. Objects in a
/// bucket need a reader with an S3 connection.
public struct FileReader: SourceReader {
  public init() {}

  public func read(_ origin: SourceOrigin, maxBytes: Int) async throws(PipelineError)
    -> SourceContent
  {
    let path: String
    switch origin {
    case .file(let file): path = file
    case .standardInput: path = "-"
    case .object:
      throw PipelineError(.invalidConfiguration, "\(origin.name): this run has no S3 connection")
    }
    let (bytes, version) = try await BlockingIO.run { () throws(PipelineError) in
      try FileIO.readVersioned(path, maxBytes: maxBytes)
    }
    return SourceContent(bytes: bytes, version: version)
  }
}

/// Outputs in a local folder (created when missing), each written under a temporary
/// dot-name and renamed into place when complete. The first write of a run leaves a marker
/// file in the root (`marker`), so that no later run reads the folder as input, and clears
/// every folder it writes to of temporary files whose process is gone (a killed run's).
/// Which source made which output is recorded under `.imgproc/` (`OutputRecords`).
public struct FolderStore: OutputStore {
  public let root: String
  private let prepared = PreparedFolders()

  /// The marker file's name: a folder that holds it (or is inside one) is never an input.
  public static let marker = ".imgproc-output"

  /// `root` as given, without trailing slashes (`out/` names its outputs `out/a.jpg`).
  public init(root: String) {
    var root = root
    while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
    self.root = root
  }

  public func destination(folder: String, name: String) -> String {
    (root == "/" ? "" : root) + "/" + folder + name
  }

  public func display(_ destination: String) -> String { destination }

  public func exists(_ destination: String) async -> Bool { FileIO.exists(destination) }

  public func write(_ file: OutputFile, to destination: String) async throws(PipelineError) {
    let bytes = file.bytes
    let root = root
    let prepared = prepared
    try await BlockingIO.run { () throws(PipelineError) in
      let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
      if prepared.first(folder) {
        FileIO.removeAbandonedTemporaryFiles(in: folder)
        let marker = root + "/" + Self.marker
        if prepared.first(marker) && !FileIO.exists(marker) {
          try FileIO.writeAtomically(
            Array("Outputs of imgproc: it never reads this folder as input.\n".utf8), to: marker)
        }
      }
      try FileIO.writeAtomically(bytes, to: destination)
    }
  }
}

extension FolderStore {
  /// Adds the outputs to the source's record under `.imgproc/sources/` (`OutputRecords`).
  public func recordOutputs(of item: SourceItem, _ outputs: [String]) async throws(PipelineError) {
    let records = OutputRecords(root: root)
    try await BlockingIO.run { () throws(PipelineError) in
      try records.record(item, outputs: outputs)
    }
  }

  /// The outputs each source's record names that are still there, but `keeping`.
  public func otherVersions(of sources: [SourceItem], keeping: Set<String>) async -> [String] {
    let records = OutputRecords(root: root)
    return await BlockingIO.run {
      Array(Set(sources.flatMap { records.outputs(of: $0) }).subtracting(keeping)).sorted()
    }
  }

  /// Deletes the files and rewrites the source's record without them (removed when empty).
  public func remove(_ destinations: [String], of item: SourceItem) async throws(PipelineError) {
    let records = OutputRecords(root: root)
    try await BlockingIO.run { () throws(PipelineError) in
      for destination in destinations { try FileIO.remove(destination) }
      try records.prune(item)
    }
  }
}

/// The folders a store has already prepared in this run (guarded by its mutex).
private final class PreparedFolders: Sendable {
  private let seen = Locked(Set<String>())

  /// True the first time `folder` is named.
  func first(_ folder: String) -> Bool { seen.withLock { $0.insert(folder).inserted } }
}

/// Standard output: a single output of a single source (`-o -`).
public struct StandardOutputStore: OutputStore {
  public init() {}

  public func destination(folder: String, name: String) -> String { "-" }

  public func display(_ destination: String) -> String { "-" }

  public func exists(_ destination: String) async -> Bool { false }

  public func write(_ file: OutputFile, to destination: String) async throws(PipelineError) {
    let bytes = file.bytes
    try await BlockingIO.run { () throws(PipelineError) in
      try FileIO.writeToStandardOutput(bytes)
    }
  }
}
