import Foundation
import ImgprocCodecs
import ImgprocConcurrency
import ImgprocHTTP
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3
import ImgprocTestSupport
import SigV4
import Synchronization
import Testing

/// The real S3 server of the test command (scripts/with-s3-server.sh); see ImgprocS3Tests.
enum Server {
  static let environment = ProcessInfo.processInfo.environment
  static let endpoint = environment["IMGPROC_TEST_S3_ENDPOINT"]
  static let available = endpoint != nil || environment["IMGPROC_TEST_S3_REQUIRED"] == "1"
  static let credentials = Credentials(accessKeyID: "test:tester", secretAccessKey: "testing")
  static let transport = AsyncHTTPTransport()

  static func client(endpoint: String? = nil, maxAttempts: Int = 5) throws -> S3Client {
    let url = try #require(
      (endpoint ?? self.endpoint).flatMap(URL.init(string:)), "run under scripts/with-s3-server.sh")
    return S3Client(
      configuration: S3Configuration(
        endpoint: url, region: "us-east-1", maxAttempts: maxAttempts, retryBaseDelay: 0.01),
      credentials: credentials, transport: transport)
  }

  static func bucket(_ client: S3Client) async throws -> String {
    let name =
      "s-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    try await client.createBucket(String(name))
    return String(name)
  }

  /// Small photos, as JPEG and PNG, different per index.
  static func photo(_ index: Int, format: ImageFormat = .jpeg) throws -> [UInt8] {
    let image = Fixtures.noise(width: 64 + index, height: 48, layout: .rgb, seed: UInt64(index + 1))
    return try Codecs.encode(
      image, format == .jpeg ? .jpeg(JPEGSettings(quality: 85)) : .png(PNGSettings()))
  }

  /// Uploads a different small photo under each key (a PNG for `.png` keys, else a JPEG).
  static func upload(_ client: S3Client, _ bucket: String, _ keys: [String]) async throws {
    for (index, key) in keys.enumerated() {
      let format: ImageFormat = key.hasSuffix(".png") ? .png : .jpeg
      try await client.put(
        bucket: bucket, key: key, body: try photo(index, format: format),
        contentType: format.mediaType)
    }
  }

  static func keys(_ client: S3Client, _ bucket: String, _ prefix: String) async throws
    -> [String]
  {
    try await client.list(bucket: bucket, prefix: prefix).map(\.key)
  }

  static func sync(
    _ client: S3Client, from source: String, to destination: String, dryRun: Bool = false,
    recipe: Recipe = .standard, sniffContent: Bool = false,
    maxInputBytes: Int = EngineConfiguration.defaultMaxInputBytes
  ) async throws -> (ConvertSummary, EventLog) {
    let log = EventLog()
    let settings = RenderSettings(recipe: recipe)
    let configuration = EngineConfiguration(
      settings: settings, naming: try OutputNaming(variantCount: recipe.variants.count), jobs: 2,
      dryRun: dryRun, maxInputBytes: maxInputBytes)
    let summary = try await SyncJob(
      source: try #require(S3Location(url: source)),
      destination: try #require(S3Location(url: destination)), configuration: configuration,
      sniffContent: sniffContent
    ).run(client: client, reporter: log)
    return (summary, log)
  }
}

/// Collects events.
final class EventLog: ConvertReporter {
  private let store = Locked<[ConvertEvent]>([])
  func report(_ event: ConvertEvent) { store.withLock { $0.append(event) } }
  var events: [ConvertEvent] { store.withLock { $0 } }
  var failures: [String] {
    events.compactMap { if case .failed(let s, let e) = $0 { "\(s): \(e)" } else { nil } }
  }
  var skipped: [(path: String, reason: SkipReason)] {
    events.compactMap { if case .skipped(let p, let r) = $0 { (p, r) } else { nil } }
  }
}

/// Runs the built `imgproc` binary.
enum Binary {
  static var url: URL {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
      .appendingPathComponent("imgproc")
  }

  /// The tester's credentials, or `credentials`.
  static func environment(_ credentials: Credentials = Server.credentials) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
    environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
    environment["AWS_SESSION_TOKEN"] = credentials.sessionToken
    environment["AWS_EC2_METADATA_DISABLED"] = "true"
    return environment
  }

  static func start(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    process.environment = environment()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  static func run(_ arguments: [String], as credentials: Credentials = Server.credentials) throws
    -> (status: Int32, stdout: String, stderr: String)
  {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    process.environment = environment(credentials)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Standard error is small; standard output is read to its end first.
    let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, stdout, text)
  }

  /// The JSON objects of a `--json` run's standard output.
  static func events(_ stdout: String) -> [[String: Any]] {
    stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }
}

/// The fault-injecting proxy (scripts/fault-proxy.py) in front of the server.
final class FaultProxy {
  let process = Process()
  let port: Int
  /// The address it listens on: `127.0.0.1`, or `::1`.
  let bind: String

  init(upstream: String, pattern: String, bind: String = "127.0.0.1") throws {
    self.bind = bind
    let upstreamPort = try #require(URL(string: upstream)?.port)
    port = 18_600 + Int.random(in: 0..<300)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../scripts/fault-proxy.py"
    ).standardized
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [script.path, String(port), String(upstreamPort), pattern, bind]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    guard line.hasPrefix("ready") else { throw CancellationError() }
  }

  var endpoint: String {
    "http://" + HTTPRequestSpec.authority(host: bind, port: port, scheme: "http", alwaysPort: true)
  }

  deinit {
    // Never kill(0): a proxy that did not start would take the test process's group with it.
    guard process.processIdentifier > 0 else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }
}
