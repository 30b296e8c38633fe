import ImgprocCodecs
import ImgprocPipeline

/// The one error type of `ImgprocLambda`: why an event, an object or the runtime's start
/// failed. `errorType` is what the Runtime API is told (`Runtime.ImageDecodeError`…), so a
/// failure can be found by type in CloudWatch; `underlying` keeps the cause.
public struct LambdaError: Error, CustomStringConvertible, Sendable {
  public enum Code: Sendable, Equatable {
    /// The configuration (environment) cannot work: missing or looping buckets, a bad recipe.
    case configuration
    /// The event is not one imgproc knows, or lacks what it needs.
    case malformedEvent
    /// Processing an object failed; `transient` says whether a retry may succeed.
    case processing(type: String, transient: Bool)
    /// The object would be written where it would trigger the function again.
    case wouldRetrigger
    /// Not enough time was left before the invocation's deadline to finish the object.
    case deadline
    /// The Runtime API did not answer as its contract says.
    case runtimeAPI
  }

  public var code: Code
  public var message: String
  public var underlying: (any Error)?

  public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  /// A pipeline failure, typed by its cause: undecodable images, S3's access and throttling
  /// errors, the rest. A failure caused by a `LambdaError` (an upload that would retrigger the
  /// function) is that error.
  init(_ error: PipelineError) {
    if let cause = error.underlying as? LambdaError {
      self = cause
      return
    }
    var error = error
    if case .decode(.tooManyPixels) = error.code {
      error.hint =
        "MAX_PIXELS, by default what the function's memory holds: raise memory_size, or set MAX_PIXELS"
    }
    let type: String
    switch error.code {
    case .decode(let code):
      type = code == .tooManyPixels ? "Runtime.ImageTooLarge" : "Runtime.ImageDecodeError"
    case .encode, .imageOperation: type = "Runtime.ImageEncodeError"
    case .remote(let service, let transient):
      switch service {
      case "AccessDenied", "AllAccessDisabled": type = "Runtime.S3AccessDenied"
      case "NoSuchKey": type = "Runtime.S3NoSuchKey"
      case "NoSuchBucket": type = "Runtime.S3NoSuchBucket"
      case "SlowDown", "ServiceUnavailable": type = "Runtime.S3Throttled"
      default: type = transient ? "Runtime.S3Unavailable" : "Runtime.S3Error"
      }
    case .credentials: type = "Runtime.CredentialsError"
    case .io: type = "Runtime.InputError"
    case .invalidConfiguration: type = "Runtime.ConfigurationError"
    case .notEnoughTime(let transient):
      type = transient ? "Runtime.DeadlineTooClose" : "Runtime.ImageTooSlow"
    }
    self.init(
      .processing(type: type, transient: error.isTransient), error.description, underlying: error)
  }

  /// What the Runtime API's `Lambda-Runtime-Function-Error-Type` says.
  public var errorType: String {
    switch code {
    case .configuration: return "Runtime.ConfigurationError"
    case .malformedEvent: return "Runtime.MalformedEvent"
    case .processing(let type, _): return type
    case .wouldRetrigger: return "Runtime.WouldRetrigger"
    case .deadline: return "Runtime.DeadlineTooClose"
    case .runtimeAPI: return "Runtime.RuntimeAPIError"
    }
  }

  /// Whether the same work may succeed later (S3 Batch Operations' `TemporaryFailure`):
  /// throttling, 5xx, connections, a deadline too close.
  public var isTransient: Bool {
    switch code {
    case .processing(_, let transient): return transient
    case .deadline, .runtimeAPI: return true
    case .configuration, .malformedEvent, .wouldRetrigger: return false
    }
  }

  public var description: String { message }
}
