import ImgprocPipeline
import ImgprocS3

extension PipelineError {
  /// An S3 failure while doing `action` ("download", "upload", "listing"; nil: the error says
  /// it all): S3's code, whether a retry may succeed, and the `S3Error` itself are kept.
  init(_ error: S3Error, while action: String?) {
    let code: Code
    switch error.code {
    case .credentials:
      code = .credentials
    case .invalidArgument:
      code = .invalidConfiguration
    case .service, .connection, .invalidResponse, .tooLarge, .integrity:
      code = .remote(service: error.serviceCode, transient: error.isRetryable)
    }
    let message = action.map { "\($0) failed: \(error)" } ?? error.description
    self.init(code, message, underlying: error)
    if error.isAuthenticationFailure {
      stopsRun = true
      hint = "check or renew the credentials, then run again: the run resumes where it stopped"
    }
  }
}
