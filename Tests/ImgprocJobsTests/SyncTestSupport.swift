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

/// What the job tests do with the S3 server.
extension S3TestServer {
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
