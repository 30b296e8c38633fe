import ArgumentParser
import Foundation
import ImgprocLambda

extension IMGProc {
  /// `imgproc lambda`: the custom runtime (`bootstrap`) for AWS Lambda.
  struct Lambda: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run as an AWS Lambda function (the provided.al2023 bootstrap).",
      discussion: """
        Loops on the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API), one invocation at a time: \
        S3 ObjectCreated notifications (direct, through SQS with partial batch failures, SNS \
        or EventBridge) and S3 Batch Operations tasks (schema 1.0 and 2.0). Each object is \
        converted as `imgproc s3-sync s3://UPLOAD_BUCKET/UPLOAD_PREFIX \
        s3://PROCESSED_BUCKET/PROCESSED_PREFIX` would convert it: same names, metadata and \
        manifests, so duplicate and late events do nothing. Configured by environment: \
        PROCESSED_BUCKET (required), PROCESSED_PREFIX, UPLOAD_BUCKET and UPLOAD_PREFIX (a \
        destination that would trigger the function again, or one inside another sync's \
        destination, is refused at start), RECIPE (default, a recipe as JSON, or a file), \
        MAX_PIXELS, LOG_LEVEL (trace|debug|info|notice|warning or warn|error|critical), MIN_REMAINING_MS (default 2000: an object is not started \
        with less time left; it fails as temporary). Logs are JSON lines on standard output \
        with the request id. Credentials: the function's session credentials \
        (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).

        Examples:
          imgproc lambda              # what the zip's bootstrap runs inside Lambda
          imgproc lambda | jq .       # locally, against the Runtime API in AWS_LAMBDA_RUNTIME_API
          make lambda-zip             # builds dist/lambda/imgproc-lambda-x86_64.zip
        """)

    func run() async throws {
      let loop = Task { await LambdaRuntime.run(environment: ProcessInfo.processInfo.environment) }
      let signals = StopSignals { loop.cancel() }
      let status = await loop.value
      signals.release()
      if status != 0 { throw ExitCode(status) }
    }
  }
}
