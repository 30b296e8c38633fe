import Foundation
import ImgprocHTTP
import SigV4

/// Finds credentials in the AWS CLI's order: explicit values (flags) → environment
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) → the profile in
/// `~/.aws/credentials` and `~/.aws/config` → container credentials
/// (`AWS_CONTAINER_CREDENTIALS_FULL_URI` / `_RELATIVE_URI`) → EC2 instance metadata (IMDSv2).
public struct CredentialChain: Sendable {
  public var explicit: Credentials?
  public var profileName: String?
  public var environment: [String: String]
  /// Talks to the container and instance-metadata endpoints.
  public var transport: any HTTPTransport

  public init(
    explicit: Credentials? = nil, profileName: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    transport: any HTTPTransport
  ) {
    self.explicit = explicit
    self.profileName = profileName
    self.environment = environment
    self.transport = transport
  }

  /// The first credentials found, with where they came from (for messages; never the secret).
  public func resolve() async throws(S3Error) -> (credentials: Credentials, source: String) {
    let resolved = try await resolveExpiring()
    return (resolved.credentials, resolved.source)
  }

  /// The first credentials found, with where they came from and when they expire.
  public func resolveExpiring() async throws(S3Error) -> ResolvedCredentials {
    if let explicit { return ResolvedCredentials(credentials: explicit, source: "given") }
    if let id = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"],
      !id.isEmpty, !secret.isEmpty
    {
      return ResolvedCredentials(
        credentials: Credentials(
          accessKeyID: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"]),
        source: "environment")
    }
    let profile = ProfileFiles.load(name: profileName, environment: environment)
    if let profile, let id = profile["aws_access_key_id"],
      let secret = profile["aws_secret_access_key"]
    {
      return ResolvedCredentials(
        credentials: Credentials(
          accessKeyID: id, secretAccessKey: secret, sessionToken: profile["aws_session_token"]),
        source: "profile \(profile.name)")
    }
    if profileName != nil && profile == nil {
      throw S3Error(
        .credentials,
        "profile '\(profileName ?? "")' is not in ~/.aws/credentials or ~/.aws/config (check --profile)"
      )
    }
    if let container = try await containerCredentials() {
      return ResolvedCredentials(
        credentials: container.credentials, source: "container credentials",
        expiration: container.expiration)
    }
    if let instance = try await instanceCredentials() {
      return ResolvedCredentials(
        credentials: instance.credentials, source: "EC2 instance metadata",
        expiration: instance.expiration)
    }
    throw S3Error(
      .credentials,
      "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials)"
    )
  }

  // MARK: - Container credentials (ECS, EKS Pod Identity, Lambda-style endpoints)

  func containerCredentials() async throws(S3Error) -> (
    credentials: Credentials, expiration: Date?
  )? {
    let url: String
    if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
      url = full
    } else if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"],
      !relative.isEmpty
    {
      url = "http://169.254.170.2" + relative
    } else {
      return nil
    }
    guard let request = HTTPRequestSpec(method: "GET", url: url) else {
      throw S3Error(.credentials, "AWS_CONTAINER_CREDENTIALS_*_URI is not a valid URL")
    }
    var headers: [(name: String, value: String)] = []
    if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
      let token = try? String(contentsOfFile: file, encoding: .utf8)
    {
      headers.append(("Authorization", token.trimmingCharacters(in: .whitespacesAndNewlines)))
    } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
      headers.append(("Authorization", token))
    }
    var spec = request
    spec.headers += headers
    let response = try await send(spec, to: "the container credentials endpoint")
    guard response.status == 200 else {
      throw S3Error(
        .credentials, "the container credentials endpoint answered HTTP \(response.status)")
    }
    return try Self.decodeCredentials(response.body, source: "container credentials endpoint")
  }

  // MARK: - EC2 instance metadata, IMDSv2

  func instanceCredentials() async throws(S3Error) -> (credentials: Credentials, expiration: Date?)?
  {
    if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
    let base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
    guard var tokenRequest = HTTPRequestSpec(method: "PUT", url: base + "/latest/api/token") else {
      return nil
    }
    tokenRequest.headers.append(("X-aws-ec2-metadata-token-ttl-seconds", "21600"))
    // Off EC2 the address does not answer: that is "no credentials here", not an error.
    guard let tokenResponse = try? await transport.send(tokenRequest), tokenResponse.status == 200
    else {
      return nil
    }
    let token = String(decoding: tokenResponse.body, as: UTF8.self)
    func get(_ path: String) async throws(S3Error) -> [UInt8] {
      guard var request = HTTPRequestSpec(method: "GET", url: base + path) else { return [] }
      request.headers.append(("X-aws-ec2-metadata-token", token))
      let response = try await send(request, to: "instance metadata")
      guard response.status == 200 else {
        throw S3Error(.credentials, "instance metadata \(path) answered HTTP \(response.status)")
      }
      return response.body
    }
    let roles = String(
      decoding: try await get("/latest/meta-data/iam/security-credentials/"), as: UTF8.self)
    guard let role = roles.split(whereSeparator: \.isNewline).first else { return nil }
    return try Self.decodeCredentials(
      try await get("/latest/meta-data/iam/security-credentials/" + role),
      source: "instance metadata")
  }

  // MARK: - Helpers

  /// The JSON both endpoints return: `AccessKeyId`, `SecretAccessKey`, `Token`, and
  /// `Expiration` (ISO 8601) for temporary credentials.
  static func decodeCredentials(_ body: [UInt8], source: String) throws(S3Error) -> (
    credentials: Credentials, expiration: Date?
  ) {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      let id = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String
    else {
      throw S3Error(.credentials, "the \(source) did not return credentials")
    }
    let expiration = (object["Expiration"] as? String).flatMap {
      ISO8601DateFormatter().date(from: $0)
    }
    return (
      Credentials(
        accessKeyID: id, secretAccessKey: secret, sessionToken: object["Token"] as? String),
      expiration
    )
  }

  /// Sends `request`; no response is a credentials failure that keeps its cause.
  private func send(_ request: HTTPRequestSpec, to endpoint: String) async throws(S3Error)
    -> HTTPResponseData
  {
    do {
      return try await transport.send(request)
    } catch {
      throw S3Error(
        .credentials, "\(endpoint) did not answer: \(error.message)", underlying: error)
    }
  }
}
