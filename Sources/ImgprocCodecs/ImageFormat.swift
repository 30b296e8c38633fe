/// The formats imgproc reads and writes, recognised by their magic bytes.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
  case jpeg
  case png
  case webp

  /// Recognises a format from the first bytes of a file (at least 12 are needed for WebP).
  /// The file name is never consulted.
  public static func sniff(_ bytes: some Collection<UInt8>) -> ImageFormat? {
    let head = Array(bytes.prefix(12))
    if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
    if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    if head.count >= 12, head.starts(with: Array("RIFF".utf8)),
      Array(head[8..<12]) == Array("WEBP".utf8)
    {
      return .webp
    }
    return nil
  }

  /// The usual file extension, without the dot.
  public var fileExtension: String {
    switch self {
    case .jpeg: return "jpg"
    case .png: return "png"
    case .webp: return "webp"
    }
  }

  /// The media type, as S3 and HTTP want it.
  public var mediaType: String { "image/\(rawValue)" }

  /// Whether the format can store an alpha channel.
  public var supportsAlpha: Bool { self != .jpeg }

  /// Whether the format can store 16-bit samples.
  public var supports16Bit: Bool { self == .png }

  /// Whether the decoder can produce a smaller image directly (JPEG: DCT scaling; WebP: its
  /// built-in rescaler).
  public var supportsShrinkOnLoad: Bool { self != .png }

  /// Whether the format can store a gray image without expanding it to RGB.
  public var supportsGray: Bool { self != .webp }
}
