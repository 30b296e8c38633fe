import ImgprocCodecs
import ImgprocCore

/// The one error type of `ImgprocPipeline`: why a source, an output or a run failed.
/// `message` says what went wrong, `hint` which flag or action would change it, `underlying`
/// keeps the error that caused it (a `CodecError`, a `POSIXError`, an `S3Error`), so a caller
/// can still tell a retryable failure from a permanent one. The file concerned is added by
/// whoever reports the error.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
  public enum Code: Sendable, Equatable {
    /// A file or folder could not be read or written.
    case io
    /// The source could not be decoded.
    case decode(CodecError.Code)
    /// An output could not be encoded.
    case encode
    /// An image operation failed (resize, padding).
    case imageOperation
    /// A recipe, variant, template or location is invalid: a usage error.
    case invalidConfiguration
    /// A store on the network (S3) failed. `service` is the service's own error code
    /// (`AccessDenied`, `SlowDown`, `NoSuchKey`), nil when no answer came; `transient` says
    /// whether the same request may succeed later (throttling, 5xx, connection).
    case remote(service: String?, transient: Bool)
    /// No credentials were found for a remote store, or a credentials provider failed.
    case credentials
    /// The source's estimated work would not end before its `TimeBudget`'s deadline, so it
    /// was not started. `transient`: it fits in a whole budget (a fresh invocation), so a
    /// retry may succeed; otherwise not even that would do.
    case notEnoughTime(transient: Bool)
  }

  public var code: Code
  public var message: String
  public var hint: String?
  public var underlying: (any Error)?
  /// The failure happened writing where outputs go (a folder that cannot be created, a full
  /// disk, S3 refusing the upload), not reading or converting a source: exit status 3.
  public var concernsDestination = false
  /// The failure is not this source's: every other source would fail the same way (the
  /// credentials were refused). The run starts no further source and says it once.
  public var stopsRun = false

  public init(
    _ code: Code, _ message: String, hint: String? = nil, underlying: (any Error)? = nil
  ) {
    self.code = code
    self.message = message
    self.hint = hint
    self.underlying = underlying
  }

  /// This error, marked as a failure to write outputs.
  public func concerningDestination() -> PipelineError {
    var marked = self
    marked.concernsDestination = true
    return marked
  }

  init(decoding error: CodecError) {
    self.init(.decode(error.code), error.message, hint: error.hint, underlying: error)
  }

  init(encoding error: CodecError, variant: String) {
    self.init(
      .encode, "variant '\(variant)': \(error.message)", hint: error.hint, underlying: error)
  }

  init(_ error: CoreError) {
    self.init(.imageOperation, error.message, underlying: error)
  }

  /// A stable, machine-readable name for reports (`--json`'s `code`): the service's own code
  /// for remote failures (`AccessDenied`), else the kind (`io`, `decode`, `encode`, `image`,
  /// `usage`, `connection`, `credentials`, `deadline`).
  public var identifier: String {
    switch code {
    case .io: return "io"
    case .decode: return "decode"
    case .encode: return "encode"
    case .imageOperation: return "image"
    case .invalidConfiguration: return "usage"
    case .remote(let service, _): return service ?? "connection"
    case .credentials: return "credentials"
    case .notEnoughTime: return "deadline"
    }
  }

  /// Whether the bytes could be a file still being written: damaged or corrupt image data,
  /// or too little of it to tell the format.
  public var looksIncomplete: Bool {
    switch code {
    case .decode(.damaged), .decode(.corrupt), .decode(.notAnImage): return true
    default: return false
    }
  }

  /// Whether trying the same source again later may succeed.
  public var isTransient: Bool {
    switch code {
    case .remote(_, let transient), .notEnoughTime(let transient): return transient
    default: return false
    }
  }

  public var description: String {
    guard let hint else { return message }
    return "\(message) (\(hint))"
  }
}
