/// The one error type of `ImgprocCore`: a failed precondition of an image operation.
public struct CoreError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What kind of precondition failed.
  public enum Code: Sendable, Equatable {
    /// A size, box or factor outside what the operation accepts.
    case invalidGeometry
    /// A pixel buffer whose length does not match its declared geometry.
    case bufferMismatch
    /// The pixel data would not fit in memory (size overflows `Int`).
    case tooLarge
  }

  public var code: Code
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
