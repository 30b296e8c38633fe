/// The channels of a pixel, in memory order.
public enum PixelLayout: Int, Sendable, CaseIterable, Codable {
  case gray = 1
  case grayAlpha = 2
  case rgb = 3
  case rgba = 4

  /// Samples per pixel.
  public var channels: Int { rawValue }

  /// Whether the last channel is (straight, not premultiplied) alpha.
  public var hasAlpha: Bool { self == .grayAlpha || self == .rgba }

  /// Channels that carry colour (not alpha).
  public var colorChannels: Int { hasAlpha ? channels - 1 : channels }

  /// The same colour model without its alpha channel.
  public var withoutAlpha: PixelLayout { hasAlpha ? (self == .rgba ? .rgb : .gray) : self }

  /// The same colour model with an alpha channel.
  public var withAlpha: PixelLayout { hasAlpha ? self : (self == .rgb ? .rgba : .grayAlpha) }

  /// The RGB layout with the same alpha presence.
  public var asColor: PixelLayout { hasAlpha ? .rgba : .rgb }

  public var isGray: Bool { self == .gray || self == .grayAlpha }
}

/// Bits per sample. 16-bit samples are stored in native byte order.
public enum SampleDepth: Int, Sendable, CaseIterable, Codable {
  case eight = 8
  case sixteen = 16

  /// Bytes per sample.
  public var bytes: Int { rawValue / 8 }

  /// The largest sample value: 255 or 65535.
  public var maxValue: Int { self == .eight ? 255 : 65535 }
}
