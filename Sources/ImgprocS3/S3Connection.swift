import Foundation
import ImgprocHTTP
import SigV4

/// How to reach S3, as the user gave it (flags): nothing resolved, nothing fetched. Unset
/// fields fall back as the AWS CLI's do (`S3Client.connect`).
public struct S3ConnectionOptions: Sendable {
  /// An S3-compatible endpoint URL (default: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, AWS).
  public var endpointURL: String?
  public var region: String?
  /// The profile in the shared files (default: `AWS_PROFILE`, else `default`).
  public var profile: String?
  public var pathStyle = false
  public var maxAttempts = 5
  /// Requests in flight at once.
  public var concurrency = 16
  /// Objects larger than this many bytes are uploaded in parts.
  public var multipartThreshold = 16 << 20
  /// `AES256` or `aws:kms`, or nil.
  public var serverSideEncryption: String?
  /// Credentials given explicitly (flags), tried before every other source.
  public var credentials: Credentials?

  public init() {}
}

extension S3Client {
  /// A client with settings and credentials resolved in the AWS CLI's order. May do network
  /// I/O: container credentials and EC2 instance metadata are asked last, with short
  /// timeouts (off AWS they do not answer).
  public static func connect(
    _ options: S3ConnectionOptions,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws(S3Error) -> S3Client {
    let configuration = try S3Configuration.resolve(
      endpointURL: options.endpointURL, region: options.region, pathStyle: options.pathStyle,
      profile: ProfileFiles.load(name: options.profile, environment: environment),
      environment: environment, maxAttempts: options.maxAttempts,
      concurrency: options.concurrency, multipartThreshold: options.multipartThreshold,
      serverSideEncryption: options.serverSideEncryption)
    let metadataTransport = AsyncHTTPTransport(
      connectionsPerHost: 2, connectTimeout: 1, readTimeout: 5)
    let chain = CredentialChain(
      explicit: options.credentials, profileName: options.profile, environment: environment,
      transport: metadataTransport)
    let resolved = try await chain.resolveExpiring()
    let provider =
      resolved.expiration == nil
      ? CredentialProvider(resolved.credentials)
      : CredentialProvider(resolved) { () async throws(S3Error) in
        try await chain.resolveExpiring()
      }
    return S3Client(
      configuration: configuration, credentials: provider,
      transport: AsyncHTTPTransport(connectionsPerHost: options.concurrency))
  }
}
