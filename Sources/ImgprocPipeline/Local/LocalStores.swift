import ImgprocConcurrency

/// Reads local files and standard input, off the cooperative thread pool. Objects in a
/// bucket need a reader with an S3 connection.
public struct FileReader: SourceReader {
  public init() {}

  public func read(_ origin: SourceOrigin) async throws(PipelineError) -> SourceContent {
    let path: String
    switch origin {
    case .file(let file): path = file
    case .standardInput: path = "-"
    case .object:
      throw PipelineError(.invalidConfiguration, "\(origin.name): this run has no S3 connection")
    }
    let bytes = try await BlockingIO.run { () throws(PipelineError) in try FileIO.read(path) }
    return SourceContent(bytes: bytes)
  }
}

/// Outputs in a local folder (created when missing), each written under a temporary
/// dot-name and renamed into place when complete.
public struct FolderStore: OutputStore {
  public let root: String

  public init(root: String) { self.root = root }

  public func destination(folder: String, name: String) -> String { root + "/" + folder + name }

  public func display(_ destination: String) -> String { destination }

  public func exists(_ destination: String) async -> Bool { FileIO.exists(destination) }

  public func write(_ file: OutputFile, to destination: String) async throws(PipelineError) {
    let bytes = file.bytes
    try await BlockingIO.run { () throws(PipelineError) in
      try FileIO.writeAtomically(bytes, to: destination)
    }
  }
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
