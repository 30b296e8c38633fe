import Foundation
import SigV4

/// Where and how to reach S3: endpoint, addressing style, region, retries, concurrency and
/// multipart sizes. `resolve` applies the AWS CLI's precedence.
public struct S3Configuration: Sendable {
  public var scheme: String
  /// A name or an IP address; an IPv6 address without its brackets (`::1`).
  public var host: String
  public var port: Int
  /// Path-style (`host/bucket/key`) rather than virtual-hosted (`bucket.host/key`).
  public var pathStyle: Bool
  public var region: String
  /// Attempts per request, the first included (`--max-attempts`).
  public var maxAttempts: Int
  /// Requests in flight at once (`--concurrency`).
  public var concurrency: Int
  /// Objects larger than this are uploaded in parts of `partSize` bytes.
  public var multipartThreshold: Int
  public var partSize: Int
  /// `AES256` or `aws:kms` (`x-amz-server-side-encryption`), or nil.
  public var serverSideEncryption: String?
  /// The first retry waits up to this many seconds; each further one up to twice as long
  /// (full jitter), capped at 20 s.
  public var retryBaseDelay: Double
  /// Keys a LIST asks for at most (`max-keys`, 1 to 1,000; S3's default, 1,000), as the AWS
  /// CLI's `--page-size`.
  public var listPageSize: Int

  public init(
    endpoint: URL? = nil, region: String = "us-east-1", pathStyle: Bool? = nil,
    maxAttempts: Int = 5,
    concurrency: Int = 16, multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20,
    serverSideEncryption: String? = nil, retryBaseDelay: Double = 0.1, listPageSize: Int = 1000
  ) {
    let url = endpoint ?? URL(string: "https://s3.\(region).amazonaws.com")
    scheme = url?.scheme?.lowercased() ?? "https"
    host = url?.host ?? "s3.\(region).amazonaws.com"
    port = url?.port ?? (scheme == "http" ? 80 : 443)
    self.pathStyle = pathStyle ?? S3Configuration.prefersPathStyle(host: host)
    self.region = region
    self.maxAttempts = max(1, maxAttempts)
    self.concurrency = max(1, concurrency)
    self.multipartThreshold = max(5 << 20, multipartThreshold)
    self.partSize = max(5 << 20, partSize)
    self.serverSideEncryption = serverSideEncryption
    self.retryBaseDelay = retryBaseDelay
    self.listPageSize = min(1000, max(1, listPageSize))
  }

  /// IP addresses and `localhost` cannot carry a bucket name in the host.
  static func prefersPathStyle(host: String) -> Bool {
    host == "localhost" || host.hasSuffix(".localhost") || host.contains(":")
      || host.split(separator: ".").allSatisfy { Int($0) != nil }
  }

  /// Settings from flags first, then the environment (`AWS_REGION`, `AWS_DEFAULT_REGION`,
  /// `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`), then the profile's `region`, then defaults.
  public static func resolve(
    endpointURL: String?, region: String?, pathStyle: Bool, profile: ProfileFiles.Profile?,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    maxAttempts: Int = 5, concurrency: Int = 16, multipartThreshold: Int = 16 << 20,
    serverSideEncryption: String? = nil
  ) throws(S3Error) -> S3Configuration {
    let chosenRegion =
      region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? profile?["region"]
      ?? "us-east-1"
    let endpointText =
      endpointURL ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
    let endpoint = try endpointText.map { text throws(S3Error) in try checkEndpoint(text) }
    return S3Configuration(
      endpoint: endpoint, region: chosenRegion, pathStyle: pathStyle ? true : nil,
      maxAttempts: maxAttempts,
      concurrency: concurrency, multipartThreshold: multipartThreshold,
      serverSideEncryption: serverSideEncryption)
  }

  /// `text` as an endpoint URL: `http` or `https`, with a host.
  public static func checkEndpoint(_ text: String) throws(S3Error) -> URL {
    guard let url = URL(string: text), let scheme = url.scheme,
      ["http", "https"].contains(scheme), url.host != nil
    else {
      throw S3Error(
        .invalidArgument, "'\(text)' is not an http(s) endpoint URL (check --endpoint-url)")
    }
    return url
  }
}
