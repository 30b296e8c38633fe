import ArgumentParser
import Foundation
import ImgprocS3
import SigV4

/// How to reach S3: shared by every command that reads or writes `s3://` locations.
struct S3Options: ParsableArguments {
  @Option(
    help:
      "An S3-compatible endpoint, e.g. http://127.0.0.1:8085 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS)."
  )
  var endpointURL: String?

  @Option(
    help:
      "The region to sign for (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1)."
  )
  var region: String?

  @Option(
    help:
      "The profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, else default).")
  var profile: String?

  @Flag(help: "Path-style addressing (host/bucket/key); automatic for IP and localhost endpoints.")
  var pathStyle = false

  @Option(
    help: "Attempts per request, retrying 5xx, throttling and connection errors with backoff.")
  var maxAttempts: Int = 5

  @Option(help: "S3 requests in flight at once (independent of --jobs).")
  var concurrency: Int = 16

  @Option(help: "Upload objects larger than this many MiB in parts.")
  var multipartThreshold: Int = 16

  @Option(help: "Server-side encryption for uploads: AES256 or aws:kms.")
  var sse: String?

  @Option(help: .hidden) var accessKeyID: String?
  @Option(help: .hidden) var secretAccessKey: String?
  @Option(help: .hidden) var sessionToken: String?

  mutating func validate() throws {
    guard maxAttempts >= 1 else { throw ValidationError("'--max-attempts' must be at least 1") }
    guard concurrency >= 1 else { throw ValidationError("'--concurrency' must be at least 1") }
    guard multipartThreshold >= 5 else {
      throw ValidationError("'--multipart-threshold' must be at least 5 (MiB)")
    }
    if let sse, !["AES256", "aws:kms"].contains(sse) {
      throw ValidationError("'--sse' must be AES256 or aws:kms")
    }
    if (accessKeyID == nil) != (secretAccessKey == nil) {
      throw ValidationError("'--access-key-id' and '--secret-access-key' go together")
    }
  }

  /// A client with credentials and settings resolved in the AWS CLI's order.
  func makeClient() async throws -> S3Client {
    let environment = ProcessInfo.processInfo.environment
    let profileValues = ProfileFiles.load(name: profile, environment: environment)
    do {
      let configuration = try S3Configuration.resolve(
        endpointURL: endpointURL, region: region, pathStyle: pathStyle, profile: profileValues,
        environment: environment, maxAttempts: maxAttempts, concurrency: concurrency,
        multipartThreshold: multipartThreshold << 20, serverSideEncryption: sse)
      let explicit = accessKeyID.flatMap { id in
        secretAccessKey.map {
          Credentials(accessKeyID: id, secretAccessKey: $0, sessionToken: sessionToken)
        }
      }
      // Metadata endpoints get a short connect timeout: off AWS they do not answer.
      let metadataTransport = AsyncHTTPTransport(
        connectionsPerHost: 2, connectTimeout: 1, readTimeout: 5)
      let (credentials, _) = try await CredentialChain(
        explicit: explicit, profileName: profile, environment: environment,
        transport: metadataTransport
      ).resolve()
      return S3Client(
        configuration: configuration, credentials: credentials,
        transport: AsyncHTTPTransport(connectionsPerHost: concurrency))
    } catch {
      throw CommandFailure(message: error.description)
    }
  }
}

/// A failure that is not a usage error: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
