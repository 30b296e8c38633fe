import ImgprocCodecs
import ImgprocCore

/// The one error type of `ImgprocPipeline`. `message` says what went wrong, `hint` which flag
/// or action would change it. The file concerned is added by whoever reports the error.
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
    /// A recipe, variant or template is invalid: a usage error.
    case invalidConfiguration
  }

  public var code: Code
  public var message: String
  public var hint: String?

  public init(_ code: Code, _ message: String, hint: String? = nil) {
    self.code = code
    self.message = message
    self.hint = hint
  }

  init(decoding error: CodecError) {
    self.init(.decode(error.code), error.message, hint: error.hint)
  }

  init(encoding error: CodecError, variant: String) {
    self.init(.encode, "variant '\(variant)': \(error.message)", hint: error.hint)
  }

  init(_ error: CoreError) {
    self.init(.imageOperation, error.message)
  }

  public var description: String {
    guard let hint else { return message }
    return "\(message) (\(hint))"
  }
}
