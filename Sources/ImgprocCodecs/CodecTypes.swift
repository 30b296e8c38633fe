import ImgprocCore

/// What a header says, read without decoding pixels.
public struct ImageHeader: Sendable, Equatable {
  public var format: ImageFormat
  /// Stored size in pixels (before orientation is applied).
  public var width: Int
  public var height: Int
  /// The layout and depth `decode` will produce.
  public var layout: PixelLayout
  public var depth: SampleDepth
  /// True for an animated WebP (only its first frame is decoded).
  public var isAnimated: Bool
  /// Metadata found in the header (PNG files may add EXIF after the pixels; `decode` has all).
  public var metadata: ImageMetadata
  /// A JPEG stored as CMYK or YCCK (decoded to RGB).
  public var storedAsCMYK = false

  public var pixelCount: Int { width.multipliedReportingOverflow(by: height).partialValue }

  /// The size `decode` produces with `scaleDenominator` (shrink-on-load): each side divided
  /// and rounded up, for formats that can scale while decoding; the stored size otherwise.
  public func decodedSize(scaleDenominator: Int) -> Size {
    guard format.supportsShrinkOnLoad, !isAnimated, scaleDenominator > 1 else {
      return Size(width: width, height: height)
    }
    return Size(
      width: (width + scaleDenominator - 1) / scaleDenominator,
      height: (height + scaleDenominator - 1) / scaleDenominator)
  }
}

/// When a decoder's complaint makes a file fail.
public enum FailOn: String, Sendable, CaseIterable, Codable {
  /// Damage that loses pixels fails the file, in every format: image data cut short or
  /// corrupt (the default). Damage to metadata (an ICC profile, which is then dropped, a
  /// transparency chunk, EXIF) and data after the complete image are warnings: the image is
  /// converted, as browsers, Pillow and libvips show it.
  case warning
  /// Only errors fail; an image whose data is cut short or corrupt decodes as far as it can
  /// (rows never reached are left gray in JPEG, black and transparent in PNG and WebP), with
  /// a warning.
  case error
}

/// Limits and choices for decoding.
public struct DecodeOptions: Sendable {
  /// The largest width × height accepted, checked from the header before any allocation.
  public var maxPixels: Int
  public var failOn: FailOn
  /// Shrink-on-load: decode at 1/1, 1/2, 1/4 or 1/8 of the stored size where the format can
  /// (JPEG in the DCT domain, WebP in its decoder); ignored otherwise. See
  /// `ImageHeader.decodedSize(scaleDenominator:)`.
  public var scaleDenominator: Int
  /// What becomes of pixels an embedded ICC profile describes.
  public var color: ColorHandling
  /// Threads the colour transform may use (row bands).
  public var threads: Int

  /// sharp's default limit: 0x3FFF × 0x3FFF pixels.
  public static let defaultMaxPixels = 268_402_689

  public init(
    maxPixels: Int = DecodeOptions.defaultMaxPixels, failOn: FailOn = .warning,
    scaleDenominator: Int = 1, color: ColorHandling = .asStored, threads: Int = 1
  ) {
    self.maxPixels = maxPixels
    self.failOn = failOn
    self.scaleDenominator = [1, 2, 4, 8].contains(scaleDenominator) ? scaleDenominator : 1
    self.color = color
    self.threads = max(1, threads)
  }
}

/// What the decoder does with an embedded ICC profile.
public enum ColorHandling: String, Sendable, Codable {
  /// Pixels as stored; the profile stays in the metadata. A CMYK JPEG with a CMYK profile is
  /// converted to sRGB through it all the same (no RGB output can carry it), with a warning;
  /// one without a profile becomes RGB naively.
  case asStored
  /// Pixels transformed from the profile to sRGB (perceptual intent, black-point
  /// compensation; 16-bit at 16 bit; gray stays gray, with sRGB's tone curve; CMYK becomes
  /// RGB), and the profile removed. Pixels already in sRGB, or without a profile, are left
  /// as they are.
  case sRGB = "srgb"
}

/// Decoded pixels with the source's metadata and any decoder warnings.
public struct DecodedImage: Sendable {
  public var image: Image
  public var format: ImageFormat
  public var metadata: ImageMetadata
  /// Problems the decoder survived (only when `FailOn.error` allowed them) or notes such as
  /// "animated WebP: first frame only".
  public var warnings: [String]
}

/// Chroma subsampling for JPEG output.
public enum ChromaSubsampling: String, Sendable, CaseIterable, Codable {
  /// 4:2:0 below quality 90, 4:4:4 from 90 (as libvips).
  case auto
  case s420 = "420"
  case s422 = "422"
  case s444 = "444"

  /// The concrete choice at `quality`.
  public func resolved(quality: Int) -> ChromaSubsampling {
    guard self == .auto else { return self }
    return quality >= 90 ? .s444 : .s420
  }
}

/// Settings of the JPEG encoder. Huffman tables are always optimised.
public struct JPEGSettings: EncoderOptions, Hashable {
  /// 1...100.
  public var quality: Int
  public var progressive: Bool
  public var subsampling: ChromaSubsampling

  public init(quality: Int = 80, progressive: Bool = false, subsampling: ChromaSubsampling = .auto)
  {
    self.quality = quality
    self.progressive = progressive
    self.subsampling = subsampling
  }

  public var identityFields: [String] {
    ["quality=\(quality)", "progressive=\(progressive)", "subsampling=\(subsampling.rawValue)"]
  }
}

/// Settings of the PNG encoder (always lossless).
public struct PNGSettings: EncoderOptions, Hashable {
  /// DEFLATE effort 0...12 (libdeflate's levels; 10–12 search for near-optimal matches).
  /// nil: chosen per image (`IDATCompression`).
  public var compressionLevel: Int?
  /// Write a palette PNG when the image has at most 256 distinct colours (still lossless).
  public var palette: Bool

  public init(compressionLevel: Int? = nil, palette: Bool = true) {
    self.compressionLevel = compressionLevel
    self.palette = palette
  }

  public var identityFields: [String] {
    [
      "level=\(compressionLevel.map(String.init) ?? "auto")", "palette=\(palette)",
      "writer=\(PNGSettings.writerRevision)",
    ]
  }

  /// The PNG writer's revision, part of every PNG output's identity: bumped when its bytes
  /// change for the same settings, so PNG outputs alone are made again (2: Average among the
  /// row filters, the DEFLATE effort chosen per image; 3: that effort chosen by a cost model,
  /// and `level=10` and up also trying zlib's level 9; 4: zlib with Pillow's stream
  /// settings, memory level 9 and the `Z_FILTERED` strategy; 5: the row filter judge
  /// compresses Up and the least-entropy other filter, not all four).
  static let writerRevision = 5
}

/// Settings of the WebP encoder.
public struct WebPSettings: EncoderOptions, Hashable {
  /// 0...100; for lossless, the compression effort instead.
  public var quality: Int
  /// libwebp's method 0 (fastest) ... 6 (smallest). 4 is libwebp's and Pillow's default.
  public var effort: Int
  public var lossless: Bool

  public init(quality: Int = 80, effort: Int = 4, lossless: Bool = false) {
    self.quality = quality
    self.effort = effort
    self.lossless = lossless
  }

  public var identityFields: [String] {
    ["quality=\(quality)", "effort=\(effort)", "lossless=\(lossless)"]
  }
}

/// An encoder choice: the format and its own settings type.
public struct EncodeSettings: Sendable {
  public let format: ImageFormat
  /// `format`'s settings (its codec's options type).
  public let options: any EncoderOptions

  public static func jpeg(_ settings: JPEGSettings) -> EncodeSettings {
    EncodeSettings(format: .jpeg, options: settings)
  }

  public static func png(_ settings: PNGSettings) -> EncodeSettings {
    EncodeSettings(format: .png, options: settings)
  }

  public static func webp(_ settings: WebPSettings) -> EncodeSettings {
    EncodeSettings(format: .webp, options: settings)
  }

  #if HEIF
  public static func avif(_ settings: AVIFSettings) -> EncodeSettings {
    EncodeSettings(format: .avif, options: settings)
  }
  #endif

  /// The settings as their format's options type, nil when they are another's.
  func options<Options: EncoderOptions>(as type: Options.Type) -> Options? {
    options as? Options
  }
}
