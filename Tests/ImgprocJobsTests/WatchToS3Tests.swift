import Foundation
import ImgprocCodecs
import ImgprocS3
import ImgprocTestSupport
import Testing

/// A container-credentials endpoint that hands out the test server's keys for 3 seconds at a
/// time, and writes a line to a file each time it is asked.
final class ShortLivedCredentials {
  static let script = """
    import json, sys, datetime
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_GET(self):
            with open(sys.argv[1], "a") as calls:
                calls.write("asked\\n")
            expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)
            body = json.dumps({"AccessKeyId": "test:tester", "SecretAccessKey": "testing",
                               "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")}).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """
  let process = Process()
  let port: Int
  let log: String

  init(log: String) throws {
    self.log = log
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", Self.script, log]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    var text = ""
    while !text.contains("\n") {
      let data = output.fileHandleForReading.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
    }
    port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    if port == 0 {
      text += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
    }
    startup = text
  }

  /// What the server printed first (its port).
  let startup: String

  var calls: Int {
    ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count
  }

  deinit {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }
}

@Suite("imgproc watch to S3", .enabled(if: S3TestServer.available), .serialized)
struct WatchToS3Tests {
  @Test("each file's variants appear once; credentials that expire during the run are refreshed")
  func watchToBucket() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let endpoint = try #require(S3TestServer.endpoint)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "watch-s3-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let credentials = try ShortLivedCredentials(log: folder.appendingPathComponent("asked").path)
    try #require(credentials.port > 0, "the credentials endpoint printed: \(credentials.startup)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
    environment["HOME"] = folder.path
    environment["AWS_EC2_METADATA_DISABLED"] = "true"
    environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:\(credentials.port)/creds"
    let log = folder.appendingPathComponent("watch.out")
    let errors = folder.appendingPathComponent("watch.err")
    let watch = try CLIRunner.start(
      [
        "watch", "in", "-o", "s3://\(bucket)/out/", "--endpoint-url", endpoint, "--journal",
        "journal.jsonl", "--variant", "t:jpeg:q=50:16x16", "--json",
      ], in: folder, environment: environment, output: log, errors: errors)
    func stderr() -> String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
    defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
    func converted() -> Int {
      ((try? String(contentsOf: log, encoding: .utf8)) ?? "")
        .components(separatedBy: "\"status\":\"converted\"").count - 1
    }
    for batch in 0..<3 {
      for index in 0..<2 {
        let image = Fixtures.noise(width: 40, height: 30, seed: UInt64(batch * 10 + index + 1))
        try Data(try Codecs.encode(image, .jpeg(JPEGSettings()))).write(
          to: folder.appendingPathComponent("in/b\(batch)-\(index).jpg"))
      }
      for _ in 0..<1000 where converted() < (batch + 1) * 2 {
        try await Task.sleep(nanoseconds: 20_000_000)
      }
      #expect(converted() == (batch + 1) * 2, "\(stderr())")
      try await Task.sleep(nanoseconds: 2_200_000_000)  // past half the credentials' lifetime
    }
    kill(watch.processIdentifier, SIGTERM)
    watch.waitUntilExit()
    #expect(watch.terminationStatus == 0)
    let outputs = try await S3TestServer.keys(client, bucket, "out/").filter {
      !$0.contains(".imgproc/")
    }
    #expect(outputs.count == 6, "\(outputs)")
    for batch in 0..<3 {
      for index in 0..<2 {
        #expect(outputs.filter { $0.hasPrefix("out/b\(batch)-\(index)_t_") }.count == 1)
      }
    }
    #expect(credentials.calls >= 3, "asked again as they expired: \(credentials.calls)")
  }
}
