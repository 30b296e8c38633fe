import Foundation
import ImgprocHTTP
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3

/// `imgproc lambda`: a custom runtime's loop for `provided.al2023`. It reads its
/// configuration and connects to S3 once (an init error otherwise: Lambda then stops it),
/// then handles one invocation at a time until the calling task is cancelled (SIGTERM) or
/// the Runtime API goes away. A malformed event or a failed object is an error answer, never
/// the end of the loop.
public enum LambdaRuntime {
  /// Runs the loop; returns the exit status (0 after a stop, 1 after an init error or when
  /// the Runtime API stops answering).
  public static func run(environment: [String: String]) async -> Int32 {
    let startup = InvocationLog(level: .info)
    guard let address = environment["AWS_LAMBDA_RUNTIME_API"], !address.isEmpty else {
      startup.log(
        .error,
        "AWS_LAMBDA_RUNTIME_API is not set: imgproc lambda runs inside AWS Lambda (or against a Runtime API emulator)"
      )
      return 1
    }
    // The long poll for the next invocation may wait for hours.
    let transport = AsyncHTTPTransport(
      connectionsPerHost: 1, connectTimeout: 5, readTimeout: 86_400, requestTimeout: 86_400)
    let api: RuntimeAPI
    do throws(LambdaError) {
      api = try RuntimeAPI(address: address, transport: transport)
    } catch {
      startup.log(.error, error.message, ["errorType": error.errorType])
      return 1
    }
    let handler: LambdaHandler
    do throws(LambdaError) {
      handler = try await start(environment)
    } catch {
      startup.log(.error, "init failed: \(error.message)", ["errorType": error.errorType])
      do throws(LambdaError) {
        try await api.initializationFailed(error)
      } catch let report {
        startup.log(.error, report.message)
      }
      return 1
    }
    return await runLoop(api, handler)
  }

  /// The configuration and the S3 client: session credentials, region, endpoint and
  /// `AWS_MAX_ATTEMPTS` from the environment, as the AWS CLI reads them. A destination
  /// inside another sync's destination is refused (`DestinationOverlap`).
  static func start(_ environment: [String: String]) async throws(LambdaError) -> LambdaHandler {
    let configuration = try LambdaConfiguration(environment: environment)
    var options = S3ConnectionOptions()
    if let text = environment["AWS_MAX_ATTEMPTS"] {
      guard let attempts = Int(text), attempts >= 1 else {
        throw LambdaError(.configuration, "AWS_MAX_ATTEMPTS is '\(text)', not a number ≥ 1")
      }
      options.maxAttempts = attempts
    }
    let client: S3Client
    do throws(S3Error) {
      client = try await S3Client.connect(options, environment: environment)
    } catch {
      throw LambdaError(.configuration, "S3: \(error.description)", underlying: error)
    }
    do throws(PipelineError) {
      try await DestinationOverlap.checkEnclosing(configuration.destination, client: client)
    } catch {
      throw LambdaError(
        .configuration, "PROCESSED_BUCKET/PROCESSED_PREFIX: \(error.description)",
        underlying: error)
    }
    return LambdaHandler(configuration: configuration, client: client)
  }

  /// Handles invocations from `api` one at a time until the calling task is cancelled
  /// (then 0, the invocation in flight answered first) or `api` fails five times in a row
  /// (then 1).
  public static func runLoop(_ api: some LambdaRuntimeClient, _ handler: LambdaHandler) async
    -> Int32
  {
    let log = handler.log
    var failuresInARow = 0
    while !Task.isCancelled {
      let invocation: Invocation
      do throws(LambdaError) {
        invocation = try await api.next()
        failuresInARow = 0
      } catch {
        if Task.isCancelled { break }
        failuresInARow += 1
        log.begin(nil)
        log.log(.error, error.message, ["attempt": failuresInARow])
        if failuresInARow >= 5 { return 1 }
        try? await Task.sleep(for: .milliseconds(100 << failuresInARow))
        continue
      }
      if let trace = invocation.traceId { setenv("_X_AMZN_TRACE_ID", trace, 1) }
      log.begin(invocation.requestId)
      // Not cancelled by a stop: the invocation in flight finishes and is answered.
      let answered = Task {
        let answer = await handler.handle(invocation)
        do throws(LambdaError) {
          switch answer {
          case .response(let body): try await api.respond(invocation.requestId, body)
          case .error(let error): try await api.fail(invocation.requestId, error)
          }
        } catch {
          log.log(.error, "answering: \(error.message)")
        }
      }
      await answered.value
    }
    return 0
  }
}
