import Foundation
import ImgprocHTTP
import ImgprocS3
import SigV4
import Testing

/// The real S3 server the test command starts (scripts/with-s3-server.sh): OpenStack Swift
/// with s3api, which enforces SigV4. Without it the integration tests are skipped, unless
/// IMGPROC_TEST_S3_REQUIRED=1 (as under `make test`), where its absence is a failure. The one
/// harness of every S3 test, in process and through the binary.
public enum S3TestServer {
  public static let environment = ProcessInfo.processInfo.environment
  public static let endpoint = environment["IMGPROC_TEST_S3_ENDPOINT"]
  public static let required = environment["IMGPROC_TEST_S3_REQUIRED"] == "1"
  public static let available = endpoint != nil || required
  /// The server's admin.
  public static let tester = Credentials(accessKeyID: "test:tester", secretAccessKey: "testing")
  /// A user with no access to the tester's buckets.
  public static let reader = Credentials(accessKeyID: "test:reader", secretAccessKey: "reading")
  public static let transport = AsyncHTTPTransport()

  /// A client of the server (or of `endpoint`, such as a proxy in front of it) as
  /// `credentials`, retrying after 10 ms rather than 100 ms, listing `listPageSize` keys a
  /// page.
  public static func client(
    _ credentials: Credentials = tester, endpoint: String? = nil, maxAttempts: Int = 5,
    multipartThreshold: Int = 16 << 20, listPageSize: Int = 1000
  ) throws -> S3Client {
    let url = try #require(
      (endpoint ?? self.endpoint).flatMap(URL.init(string:)),
      "IMGPROC_TEST_S3_ENDPOINT is not set: run the tests with scripts/with-s3-server.sh")
    return S3Client(
      configuration: S3Configuration(
        endpoint: url, region: "us-east-1", maxAttempts: maxAttempts,
        multipartThreshold: multipartThreshold, retryBaseDelay: 0.01, listPageSize: listPageSize),
      credentials: credentials, transport: transport)
  }

  /// A new, empty bucket for one test.
  public static func bucket(_ client: S3Client) async throws -> String {
    let name =
      "t-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(13)
    try await client.createBucket(String(name))
    return String(name)
  }

  /// This process's environment with `credentials` for the binary (and no EC2 metadata
  /// lookup): what `CLIRunner.run(_:environment:)` is given for a command that talks to S3.
  public static func binaryEnvironment(_ credentials: Credentials = tester) -> [String: String] {
    var environment = environment
    environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
    environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
    environment["AWS_SESSION_TOKEN"] = credentials.sessionToken
    environment["AWS_EC2_METADATA_DISABLED"] = "true"
    return environment
  }

  /// Runs `imgproc arguments…` (`CLIRunner`) with `credentials` for the server.
  public static func run(_ arguments: [String], as credentials: Credentials = tester) throws
    -> CLIRunner.Result
  {
    try CLIRunner.run(arguments, environment: binaryEnvironment(credentials))
  }

  /// Starts `imgproc arguments…` (`CLIRunner`) with the tester's credentials.
  public static func start(_ arguments: [String]) throws -> Process {
    try CLIRunner.start(arguments, environment: binaryEnvironment())
  }
}
