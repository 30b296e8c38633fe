import Foundation
import ImgprocHTTP
import ImgprocS3
import SigV4
import Testing

/// The real S3 server the test command starts (scripts/with-s3-server.sh): OpenStack Swift
/// with s3api, which enforces SigV4. Without it the integration tests are skipped, unless
/// IMGPROC_TEST_S3_REQUIRED=1 (as under `make test`), where its absence is a failure.
enum S3TestServer {
  static let environment = ProcessInfo.processInfo.environment
  static let endpoint = environment["IMGPROC_TEST_S3_ENDPOINT"]
  static let required = environment["IMGPROC_TEST_S3_REQUIRED"] == "1"
  static let available = endpoint != nil || required
  static let tester = Credentials(accessKeyID: "test:tester", secretAccessKey: "testing")
  static let reader = Credentials(accessKeyID: "test:reader", secretAccessKey: "reading")
  static let transport = AsyncHTTPTransport()

  static func configuration(multipartThreshold: Int = 16 << 20) throws -> S3Configuration {
    let url = try #require(
      endpoint.flatMap(URL.init(string:)),
      "IMGPROC_TEST_S3_ENDPOINT is not set: run the tests with scripts/with-s3-server.sh")
    return S3Configuration(
      endpoint: url, region: "us-east-1", multipartThreshold: multipartThreshold)
  }

  static func client(
    _ credentials: Credentials = tester, multipartThreshold: Int = 16 << 20
  ) throws -> S3Client {
    S3Client(
      configuration: try configuration(multipartThreshold: multipartThreshold),
      credentials: credentials,
      transport: transport)
  }

  /// A new, empty bucket for one test.
  static func bucket(_ client: S3Client) async throws -> String {
    let name =
      "t-" + UUID().uuidString.lowercased().prefix(13).replacingOccurrences(of: "-", with: "")
    try await client.createBucket(name)
    return name
  }
}
