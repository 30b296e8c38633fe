import ImgprocCore

/// Metadata carried from a source into its outputs. Bytes are owned copies.
public struct ImageMetadata: Sendable, Equatable {
  /// An embedded ICC colour profile (the whole profile, header first).
  public var icc: [UInt8]?
  /// EXIF as TIFF bytes (starting with `II*\0` or `MM\0*`), without JPEG's `Exif\0\0` prefix.
  public var exif: [UInt8]?

  public init(icc: [UInt8]? = nil, exif: [UInt8]? = nil) {
    self.icc = icc
    self.exif = exif
  }

  /// The EXIF orientation, `.up` when absent or unreadable.
  public var orientation: Orientation {
    exif.flatMap { Exif.orientation(in: $0)?.orientation } ?? .up
  }

  /// The colour space an ICC profile describes, from its header (bytes 16–19).
  public enum ProfileColorSpace: Sendable, Equatable {
    case rgb, gray, cmyk, other
  }

  /// The colour space of `icc`, nil without a profile.
  public var iccColorSpace: ProfileColorSpace? {
    guard let icc else { return nil }
    guard icc.count >= 20 else { return .other }
    switch String(decoding: icc[16..<20], as: UTF8.self) {
    case "RGB ": return .rgb
    case "GRAY": return .gray
    case "CMYK": return .cmyk
    default: return .other
    }
  }

  /// The metadata an output of `layout` may carry: a profile is kept only when it describes
  /// the output's colour model (a gray profile cannot describe RGB pixels, nor a CMYK one).
  public func compatible(with layout: PixelLayout) -> ImageMetadata {
    var result = self
    switch iccColorSpace {
    case .rgb?: if layout.isGray { result.icc = nil }
    case .gray?: if !layout.isGray { result.icc = nil }
    case .cmyk?, .other?: result.icc = nil
    case nil: break
    }
    return result
  }
}
