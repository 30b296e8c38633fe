import ArgumentParser
import Foundation
import ImgprocS3

/// How to reach S3: shared by every command that reads or writes `s3://` locations. It only
/// describes the connection; `S3Client.connect` resolves and makes it. Secrets are never
/// flags (a command line is visible to every user through `ps`): they come from the
/// environment, the profile files, or the container and instance endpoints.
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
    parsing: .unconditional,
    help: "Attempts per request, retrying 5xx, throttling and connection errors with backoff.")
  var maxAttempts: Int = 5

  @Option(parsing: .unconditional, help: "S3 requests in flight at once (independent of --jobs).")
  var concurrency: Int = 16

  @Option(parsing: .unconditional, help: "Upload objects larger than this many MiB in parts.")
  var multipartThreshold: Int = 16

  @Option(help: "Server-side encryption for uploads: AES256 or aws:kms.")
  var sse: String?

  @Flag(
    help:
      "In S3 listings, read the first bytes of keys without an image extension (.jpg, .png, .webp, .heic, .avif...; a ranged GET each, every run) to find images among them. By default such keys are skipped by name."
  )
  var sniffContent = false

  mutating func validate() throws {
    guard maxAttempts >= 1 else { throw ValidationError("'--max-attempts' must be at least 1") }
    guard concurrency >= 1 else { throw ValidationError("'--concurrency' must be at least 1") }
    guard multipartThreshold >= 5 else {
      throw ValidationError("'--multipart-threshold' must be at least 5 (MiB)")
    }
    if let sse, !["AES256", "aws:kms"].contains(sse) {
      throw ValidationError("'--sse' must be AES256 or aws:kms")
    }
    if let endpointURL {
      do {
        _ = try S3Configuration.checkEndpoint(endpointURL)
      } catch {
        throw ValidationError(error.description)
      }
    }
  }

  /// The connection these options describe (nothing resolved yet).
  var connection: S3ConnectionOptions {
    var options = S3ConnectionOptions()
    options.endpointURL = endpointURL
    options.region = region
    options.profile = profile
    options.pathStyle = pathStyle
    options.maxAttempts = maxAttempts
    options.concurrency = concurrency
    options.multipartThreshold = multipartThreshold << 20
    options.serverSideEncryption = sse
    return options
  }
}
