import ImgprocConcurrency
import ImgprocPipeline
import ImgprocS3

/// An input of `convert`, as the command line names it.
public enum ConvertInput: Sendable, Hashable {
  /// A file, or a folder walked recursively.
  case path(String)
  case standardInput
  /// An object, or every image under a prefix when the key is "" or ends in `/`.
  case s3(S3Location)

  /// `-`, `s3://bucket/key`, or a path; a malformed `s3://` URL is a usage error.
  public init(parsing text: String) throws(PipelineError) {
    if text == "-" {
      self = .standardInput
    } else if text.hasPrefix("s3://") {
      self = .s3(try S3Location(checking: text, part: "key"))
    } else {
      self = .path(text)
    }
  }
}

/// Where `convert` puts its outputs.
public enum ConvertOutput: Sendable, Hashable {
  /// A folder, created when missing.
  case folder(String)
  /// Standard output: one source, one variant.
  case standardOutput
  /// A bucket prefix (`s3://bucket/prefix/`).
  case s3(S3Location)

  /// `-`, `s3://bucket/prefix`, or a folder; a malformed `s3://` URL is a usage error.
  public init(parsing text: String) throws(PipelineError) {
    if text == "-" {
      self = .standardOutput
    } else if text.hasPrefix("s3://") {
      self = .s3(try S3Location(checking: text, part: "prefix"))
    } else {
      self = .folder(text)
    }
  }
}

/// `imgproc convert`: the variants of every input into one output, on the engine. Inputs
/// are planned first (folders walked, prefixes listed), then converted biggest first.
public struct ConvertJob: Sendable {
  public var inputs: [ConvertInput]
  public var output: ConvertOutput
  public var configuration: EngineConfiguration
  /// Used only when an input or the output is in a bucket.
  public var connection: S3ConnectionOptions
  /// In S3 listings, read the first bytes of keys without an image extension (a ranged GET
  /// each) to find images among them; by default such keys are skipped by name.
  public var sniffContent: Bool
  /// Read files through symlinks that lead out of an input folder (`LocalInputs.events`).
  public var followSymlinks = false

  public init(
    inputs: [ConvertInput], output: ConvertOutput, configuration: EngineConfiguration,
    connection: S3ConnectionOptions = S3ConnectionOptions(), sniffContent: Bool = false
  ) {
    self.inputs = inputs
    self.output = output
    self.configuration = configuration
    self.connection = connection
    self.sniffContent = sniffContent
  }

  /// Whether the job reaches a bucket, and so needs credentials.
  public var usesS3: Bool {
    if output.isBucket { return true }
    return inputs.contains { if case .s3 = $0 { true } else { false } }
  }

  /// Connects to S3 when needed, plans the inputs and converts them. Throws only when the
  /// run cannot start: no credentials, or a plan that cannot work (an input folder that is
  /// the output folder, several images for `-o -`, two sources for one output name); or when
  /// standard output cannot be written (`-o -`). Each source's failure is reported and
  /// counted.
  public func run(reporter: some ConvertReporter) async throws(PipelineError) -> ConvertSummary {
    let client = usesS3 ? try await S3Connection.connect(connection) : nil
    return try await run(client: client, reporter: reporter).withRequests(of: client)
  }

  private func run(client: S3Client?, reporter: some ConvertReporter) async throws(PipelineError)
    -> ConvertSummary
  {
    let reader: any SourceReader = client.map { ObjectReader(client: $0) } ?? FileReader()
    var configuration = configuration
    if case .folder = output, configuration.otherVersions == .ignore {
      configuration.otherVersions = .report
    }
    let engine = Engine(
      configuration: configuration, reader: reader, store: try output.store(client: client),
      reporter: reporter)
    let events = try await plan(client).biggestSourcesFirst()
    if output == .standardOutput {
      let sources = events.filter { if case .source = $0 { true } else { false } }.count
      guard sources <= 1 else {
        throw PipelineError(
          .invalidConfiguration,
          "'-o -' writes one image, but the inputs hold \(sources) images",
          hint: "name one image file, or write to a folder with -o DIR")
      }
    }
    try engine.checkNames(events)
    guard output == .standardOutput else { return await engine.run(events) }
    // Standard output that cannot be written (a closed pipe, a full disk) is the run's
    // failure, said once as coreutils say it, not the source's.
    let unwritable = Locked<PipelineError?>(nil)
    let summary = await engine.run(events) { _, error in
      guard error.concernsDestination else { return false }
      unwritable.withLock { $0 = error }
      return true
    }
    if let error = unwritable.withLock({ $0 }) { throw error }
    return summary
  }

  /// Every input's events, local ones together (a folder walk skips the output folder).
  private func plan(_ client: S3Client?) async throws(PipelineError) -> [SourceEvent] {
    var paths: [String] = []
    var locations: [S3Location] = []
    for input in inputs {
      switch input {
      case .path(let path): paths.append(path)
      case .standardInput: paths.append("-")
      case .s3(let location): locations.append(location)
      }
    }
    var outputFolder: String?
    if case .folder(let folder) = output { outputFolder = folder }
    var events = try LocalInputs.events(
      paths, excluding: outputFolder, followSymlinks: followSymlinks)
    for location in locations {
      guard let client else { continue }
      events += await S3Listing.events(
        for: location, client: client, localOutput: outputFolder != nil,
        sniffContent: sniffContent)
    }
    return events
  }
}

extension S3Location {
  /// `text` as an `s3://bucket/<part>` location; a malformed one is a usage error.
  public init(checking text: String, part: String) throws(PipelineError) {
    guard let location = S3Location(url: text) else {
      throw PipelineError(
        .invalidConfiguration, "'\(text)' is not an s3://bucket/\(part) URL",
        hint: "bucket names are 3-63 lower-case letters, digits, '.' and '-'")
    }
    self = location
  }
}
