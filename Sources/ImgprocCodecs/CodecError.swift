/// The one error type of `ImgprocCodecs`. `message` says what is wrong with the data;
/// `hint` names the flag or action that would change the outcome, when there is one.
public struct CodecError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Code: Sendable, Equatable {
    /// The bytes are not JPEG, PNG or WebP.
    case notAnImage
    /// The data is damaged (bad markers, bad checksums, bad entropy data).
    case corrupt
    /// The decoder reported a recoverable problem (e.g. truncated data) and warnings are fatal.
    case damaged
    /// The image is larger than the pixel limit.
    case tooManyPixels
    /// A valid file that uses a feature imgproc does not handle.
    case unsupported
    /// The encoder rejected the image or its settings.
    case encodeFailed
    case outOfMemory
  }

  public var code: Code
  public var message: String
  public var hint: String?

  public init(_ code: Code, _ message: String, hint: String? = nil) {
    self.code = code
    self.message = message
    self.hint = hint
  }

  public var description: String {
    guard let hint else { return message }
    return "\(message) (\(hint))"
  }

  /// Damage the decoder noticed but could decode past (truncated data, damage after the
  /// image): fatal with `--fail-on warning`, else one warning line. The same for every format.
  static func damage(_ message: String, failOn: FailOn) throws(CodecError) -> [String] {
    guard failOn == .error else { throw CodecError(.damaged, message, hint: failOnHint) }
    return [message]
  }

  /// The flag that turns damage into a warning.
  static let failOnHint = "--fail-on error decodes it anyway"
}
