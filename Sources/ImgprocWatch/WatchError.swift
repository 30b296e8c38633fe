import Foundation

/// The one error type of `ImgprocWatch`: a folder cannot be watched or the journal cannot be
/// kept. It names the path and keeps the system's errno.
public struct WatchError: Error, CustomStringConvertible, Sendable {
  public enum Code: Sendable, Equatable {
    /// inotify refused: no instance, no watch (a limit reached), an unreadable folder.
    case inotify
    /// The journal cannot be read or written.
    case journal
    /// Another watch holds the journal (the same folder and output).
    case busy
    /// An option that cannot work (a folder that does not exist, an action on the wrong kind
    /// of output).
    case invalidArgument
  }

  public var code: Code
  public var message: String
  public var hint: String?
  public var underlying: (any Error)?

  public init(_ code: Code, _ message: String, hint: String? = nil, underlying: (any Error)? = nil)
  {
    self.code = code
    self.message = message
    self.hint = hint
    self.underlying = underlying
  }

  /// `message: strerror(errno)`, keeping errno.
  static func system(_ code: Code, _ message: String, errno number: Int32, hint: String? = nil)
    -> WatchError
  {
    WatchError(
      code, "\(message): \(String(cString: strerror(number)))", hint: hint,
      underlying: POSIXErrorCode(rawValue: number).map { POSIXError($0) })
  }

  public var description: String {
    guard let hint else { return message }
    return "\(message) (\(hint))"
  }
}
