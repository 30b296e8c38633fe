import Foundation
import ImgprocCodecs
import ImgprocTestSupport
import SigV4
import Testing

@testable import ImgprocS3

/// The S3 client and s3-sync behind scripts/fault-proxy.py: every fault it can inject ends
/// in a correct result or a clear failure, never a missing or corrupt object.
@Suite("S3 through a hostile network", .enabled(if: S3TestServer.available), .serialized)
struct HostileNetworkTests {
  @Test("a body cut short under a lying Content-Length is refused, not returned")
  func shortContentLength() async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    let body = try S3TestServer.photo(3)
    try await direct.put(bucket: bucket, key: "a.jpg", body: body, contentType: "image/jpeg")
    let proxy = try FaultProxy(upstream: try #require(S3TestServer.endpoint), pattern: "L")
    let client = try S3TestServer.client(endpoint: proxy.endpoint, maxAttempts: 2)
    let error = await #expect(throws: S3Error.self) {
      _ = try await client.get(bucket: bucket, key: "a.jpg")
    }
    #expect(error?.code == .integrity, "\(String(describing: error))")
    #expect(error?.description.contains("ETag") == true)
    #expect(client.counts.retries == 1)
  }

  @Test(
    "a listing cut short, under a lying Content-Length or by a closed connection, is retried",
    arguments: ["L.", "T."])
  func listingCutShort(pattern: String) async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    let keys = (0..<40).map { "in/photo-\($0).jpg" }
    for key in keys {
      try await direct.put(bucket: bucket, key: key, body: [1, 2, 3], contentType: "image/jpeg")
    }
    let proxy = try FaultProxy(upstream: try #require(S3TestServer.endpoint), pattern: pattern)
    let client = try S3TestServer.client(endpoint: proxy.endpoint, maxAttempts: 2)
    let listed = try await client.list(bucket: bucket, prefix: "in/")
    #expect(listed.map(\.key).sorted() == keys.sorted())
    #expect(client.counts.retries == 1)
  }

  @Test("a 200 whose body is an <Error> document is a failed upload, not a stored object")
  func errorDocumentWithOK() async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    let proxy = try FaultProxy(upstream: try #require(S3TestServer.endpoint), pattern: "E")
    let client = try S3TestServer.client(endpoint: proxy.endpoint, maxAttempts: 2)
    let error = await #expect(throws: S3Error.self) {
      try await client.put(
        bucket: bucket, key: "a.jpg", body: try S3TestServer.photo(1), contentType: "image/jpeg")
    }
    #expect(error?.serviceCode == "InternalError")
    #expect(try await direct.head(bucket: bucket, key: "a.jpg") == nil)
  }

  @Test("uploads carry Content-MD5: the server refuses a body that does not match it")
  func contentMD5Verified() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let etag = try await client.put(
      bucket: bucket, key: "a.bin", body: Array("hello".utf8), contentType: "text/plain")
    #expect(etag == "5d41402abc4b2a76b9719d911017c592")
    let error = await #expect(throws: S3Error.self) {
      _ = try await client.send(
        .putObject, bucket: bucket, key: "b.bin",
        headers: [("content-md5", "XUFAKrxLKna5cZ2REBfFkg==")], body: Array("hellO".utf8))
    }
    #expect(error?.serviceCode == "BadDigest", "\(String(describing: error))")
  }

  @Test("a multipart upload that cannot be aborted says so: its parts stay billed")
  func abortRefused() async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    // Every request of the upload (its parts and its abort) is refused, as for a role
    // without s3:AbortMultipartUpload whose part upload also failed.
    let proxy = try FaultProxy(
      upstream: try #require(S3TestServer.endpoint), pattern: "deny=uploadId")
    let client = S3Client(
      configuration: S3Configuration(
        endpoint: try #require(URL(string: proxy.endpoint)), region: "us-east-1",
        maxAttempts: 2, multipartThreshold: 5 << 20, partSize: 5 << 20, retryBaseDelay: 0.01),
      credentials: S3TestServer.tester, transport: S3TestServer.transport)
    let error = await #expect(throws: S3Error.self) {
      try await client.put(
        bucket: bucket, key: "big.bin", body: [UInt8](repeating: 7, count: 6 << 20),
        contentType: "application/octet-stream")
    }
    #expect(error?.serviceCode == "AccessDenied")
    #expect(
      error?.description.contains("aborting the multipart upload failed too (AccessDenied)")
        == true, "\(String(describing: error))")
  }

  @Test(
    "resets, 503 bursts, truncated bodies, short lengths, 200 errors and slow answers: every output intact"
  )
  func everyFault() async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    try await S3TestServer.upload(direct, bucket, ["in/a.jpg", "in/b.jpg", "in/c.png"])
    let (reference, _) = try await S3TestServer.sync(
      direct, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/clean/")
    #expect(reference.outputsWritten == 15)
    let proxy = try FaultProxy(
      upstream: try #require(S3TestServer.endpoint), pattern: "each=.R.T.L.E.SSS.5.D..W")
    let flaky = try S3TestServer.client(endpoint: proxy.endpoint, maxAttempts: 6)
    let (summary, log) = try await S3TestServer.sync(
      flaky, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(log.failures.isEmpty, "\(log.failures)")
    #expect(summary.converted == 3 && summary.outputsWritten == 15)
    #expect(flaky.counts.retries >= 3, "faults were met and retried")
    for key in try await S3TestServer.keys(direct, bucket, "clean/")
    where !key.contains(".imgproc/") {
      let expected = try await direct.get(bucket: bucket, key: key).bytes
      let name = "out/" + key.dropFirst("clean/".count)
      let actual = try await direct.get(bucket: bucket, key: name).bytes
      #expect(actual == expected, "\(name) is byte-identical to the run without faults")
    }
  }

  @Test("when faults outlast the retries, s3-sync fails loudly and leaves nothing corrupt")
  func faultsOutlastRetries() async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    try await S3TestServer.upload(direct, bucket, ["in/a.jpg", "in/b.jpg"])
    let proxy = try FaultProxy(upstream: try #require(S3TestServer.endpoint), pattern: "path=b_")
    let flaky = try S3TestServer.client(endpoint: proxy.endpoint, maxAttempts: 2)
    let (summary, log) = try await S3TestServer.sync(
      flaky, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(summary.failed == 1 && log.failures.count == 1)
    #expect(log.failures.first?.contains("SlowDown") == true, "\(log.failures)")
    let written = try await S3TestServer.keys(direct, bucket, "out/")
    #expect(written.filter { $0.hasPrefix("out/b_") }.isEmpty)
    #expect(written.filter { $0.hasPrefix("out/a_") }.count == 5)
  }

  @Test("an IPv6 endpoint (http://[::1]:PORT) works from the command line")
  func ipv6Endpoint() async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    try await S3TestServer.upload(direct, bucket, ["in/a.jpg"])
    let proxy = try FaultProxy(
      upstream: try #require(S3TestServer.endpoint), pattern: ".", bind: "::1")
    #expect(proxy.endpoint.hasPrefix("http://[::1]:"))
    let run = try S3TestServer.run([
      "s3-sync", "s3://\(bucket)/in/", "s3://\(bucket)/out/", "--endpoint-url", proxy.endpoint,
      "--max-attempts", "1", "-q",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try await S3TestServer.keys(direct, bucket, "out/a_").count == 5)
  }

  @Test("refused credentials: one error line, the other sources not started")
  func refusedCredentials() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let folder = try Self.photos(count: 12)
    defer { try? FileManager.default.removeItem(at: folder) }
    let wrong = Credentials(accessKeyID: "test:tester", secretAccessKey: "not-the-secret")
    let run = try S3TestServer.run(
      [
        "convert", folder.path, "-o", "s3://\(bucket)/out/", "--endpoint-url",
        try #require(S3TestServer.endpoint), "--jobs", "1",
      ], as: wrong)
    #expect(run.status == 3, "\(run.stderr)")
    let errors = run.stderr.split(separator: "\n").filter { $0.contains("SignatureDoesNotMatch") }
    #expect(errors.count == 1, "\(run.stderr)")
    #expect(errors.first?.contains("renew the credentials") == true)
    #expect(run.stderr.contains("not started (the credentials were refused)"), "\(run.stderr)")
    #expect(try await S3TestServer.keys(client, bucket, "out/").isEmpty)
  }

  @Test(
    "secrets never reach standard output or error, at any log level, as text or JSON",
    arguments: [
      ["--log-level", "trace"], ["--log-level", "trace", "--log-format", "json", "--json"],
    ])
  func secretsStaySecret(logging: [String]) async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/a.jpg"])
    let folder = try Self.photos(count: 2)
    defer { try? FileManager.default.removeItem(at: folder) }
    let endpoint = try #require(S3TestServer.endpoint)
    let secret = "S3cr3t-never-printed-7f3a"
    let token = "T0ken-never-printed-9c1e"
    let runs: [(arguments: [String], credentials: Credentials)] = [
      (
        ["s3-sync", "s3://\(bucket)/in/", "s3://\(bucket)/out/"],
        Credentials(accessKeyID: "test:tester", secretAccessKey: secret, sessionToken: token)
      ),
      (
        ["convert", folder.path, "-o", "s3://\(bucket)/out2/"],
        Credentials(accessKeyID: "test:tester", secretAccessKey: secret)
      ),
      (
        ["convert", "s3://\(bucket)/in/a.jpg", "-o", folder.appendingPathComponent("out").path],
        Credentials(accessKeyID: "test:tester", secretAccessKey: "testing", sessionToken: token)
      ),
    ]
    for (arguments, credentials) in runs {
      let run = try S3TestServer.run(
        arguments + ["--endpoint-url", endpoint] + logging, as: credentials)
      let everything = run.stdoutText + run.stderr
      #expect(!everything.isEmpty)
      #expect(!everything.contains(secret) && !everything.contains(token), "\(arguments)")
      #expect(!everything.contains("Signature="), "no signed header is printed")
    }
  }

  /// A folder of `count` small JPEG photos.
  static func photos(count: Int) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "photos-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for index in 0..<count {
      try Data(try S3TestServer.photo(index)).write(
        to: folder.appendingPathComponent(String(format: "p%02d.jpg", index)))
    }
    return folder
  }
}
