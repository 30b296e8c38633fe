import ImgprocCodecs
import ImgprocCore

/// Which source metadata outputs carry (`--keep`). Keeping the ICC profile keeps the pixels
/// as stored; otherwise pixels are converted to sRGB with it and it is left out.
public enum MetadataPolicy: String, Sendable, CaseIterable, Codable {
  /// The ICC profile only, with the pixels it describes as they are.
  case icc
  /// EXIF only (its orientation reset to upright when pixels were rotated).
  case exif
  /// ICC profile and EXIF.
  case all
  /// Nothing (the default): pixels in sRGB, nothing personal leaks.
  case none

  /// Whether the source's profile is kept (and its pixels left as stored).
  public var keepsProfile: Bool { self == .icc || self == .all }

  func filter(_ metadata: ImageMetadata, rotated: Bool) -> ImageMetadata {
    let exif = metadata.exif.map { rotated ? Exif.resettingOrientation($0) : $0 }
    switch self {
    case .icc: return ImageMetadata(icc: metadata.icc)
    case .exif: return ImageMetadata(exif: exif)
    case .all: return ImageMetadata(icc: metadata.icc, exif: exif)
    case .none: return ImageMetadata()
    }
  }
}

/// The ICC profile outputs carry when the source's is not kept (`--output-profile`).
public enum OutputProfile: String, Sendable, CaseIterable, Codable {
  /// None: untagged pixels are sRGB to every browser (the default).
  case none
  /// A compact sRGB profile (568 bytes), for viewers that assume otherwise.
  case srgbCompact = "srgb-compact"
}

/// Everything that decides how one source becomes its variants.
public struct RenderSettings: Sendable {
  public var recipe: Recipe
  /// Fit larger images into `maxSize × maxSize` before the variants (0: no cap).
  public var maxSize: Int
  public var decode: DecodeOptions
  /// Turn pixels upright from the EXIF orientation (the default).
  public var autoOrient: Bool
  public var keep: MetadataPolicy
  /// The profile outputs carry when `keep` does not keep the source's.
  public var profile: OutputProfile
  /// Flattening colour for JPEG and padding colour for `contain`.
  public var background: RGBColor
  /// Kernel for variants that name none, and for the `maxSize` cap.
  public var kernel: Kernel
  /// Shrinks by more than 2 × this are box-reduced first by an integer factor, leaving at
  /// least this much for the kernel (Pillow's `reducing_gap`, same default); nil: exact.
  public var reducingGap: Double?
  /// JPEG defaults for variants that do not set them.
  public var progressive: Bool
  public var subsampling: ChromaSubsampling
  /// Threads one image may use for row bands (the engine sets it per source).
  public var threads: Int
  /// The time the source may take, when limited (the engine sets it per source, from
  /// `SourceItem.timeBudget`).
  public var timeBudget: TimeBudget?

  public init(
    recipe: Recipe = .standard, maxSize: Int? = nil, decode: DecodeOptions = DecodeOptions(),
    autoOrient: Bool = true, keep: MetadataPolicy = .none, profile: OutputProfile = .none,
    background: RGBColor = .white,
    kernel: Kernel = .lanczos3, reducingGap: Double? = 2, progressive: Bool = false,
    subsampling: ChromaSubsampling = .auto, threads: Int = 1
  ) {
    self.recipe = recipe
    self.maxSize = maxSize ?? recipe.maxSize ?? 0
    self.decode = decode
    self.autoOrient = autoOrient
    self.keep = keep
    self.profile = profile
    self.background = background
    self.kernel = kernel
    self.reducingGap = reducingGap
    self.progressive = progressive
    self.subsampling = subsampling
    self.threads = threads
  }

  /// The encoder settings of `variant`, with this command's defaults filled in.
  public func encodeSettings(for variant: Variant) -> EncodeSettings {
    variant.format.encodeSettings(
      EncodeRequest(
        options: variant.options, defaultProgressive: progressive,
        defaultSubsampling: subsampling))
  }
}
