import ImgprocCore

/// A format imgproc reads: identity, recognition, capabilities and decoding. Each format
/// folder has one (`JPEG/`, `PNG/`, `WebP/`, `HEIF/`); `Formats.codecs` lists them.
protocol ImageDecoder {
  static var format: ImageFormat { get }
  /// The usual extension first.
  static var fileExtensions: [String] { get }
  static var mediaType: String { get }
  static var capabilities: FormatCapabilities { get }
  /// The most pixels per side the format stores.
  static var maxDimension: Int { get }
  /// Whether the first `Formats.sniffLength` bytes (or fewer, for a shorter file) are this
  /// format's.
  static func sniff(_ head: [UInt8]) -> Bool
  /// Reads the header only.
  static func probe(_ data: [UInt8]) throws(CodecError) -> ImageHeader
  /// Decodes at `size` (`header.decodedSize(scaleDenominator: scale)`), pixels as stored or,
  /// when the format stores a colour model only it can read (CMYK), converted as
  /// `options.color` says.
  static func decode(
    _ data: [UInt8], header: ImageHeader, scale: Int, size: Size, options: DecodeOptions
  ) throws(CodecError) -> DecodedImage
}

/// A format imgproc also writes: its option table, its cost and its encoder. A format that
/// is only read (HEIF) does not conform, and is not written.
protocol ImageEncoder: ImageDecoder {
  /// The encoder's options, the format's own table (`EncoderOption`): what `--variant` and
  /// recipes may set for it, read back by `encodeSettings` from the `EncodeRequest`.
  static var options: [EncoderOption] { get }
  /// Encoder CPU per pixel, JPEG = 1.
  static var relativeEncodeCost: Double { get }
  /// The format's settings for a request, its defaults filled in.
  static func encodeSettings(_ request: EncodeRequest) -> EncodeSettings
  /// Encodes `image` (already in a layout and depth the format stores) with `settings`,
  /// which are this format's.
  static func encode(_ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
}

extension ImageDecoder {
  /// PNG's limit (2^31 - 1, a 4-byte field); the others declare theirs.
  static var maxDimension: Int { Int(Int32.max) }
}

/// The registry: every format imgproc knows, in the order files are sniffed.
enum Formats {
  #if HEIF
  static let codecs: [any ImageDecoder.Type] = [
    JPEGCodec.self, PNGCodec.self, WebPCodec.self, HEIFCodec.self, AVIFCodec.self,
  ]
  #else
  static let codecs: [any ImageDecoder.Type] = [JPEGCodec.self, PNGCodec.self, WebPCodec.self]
  #endif

  /// Bytes sniffing looks at: an `ftyp` box of HEIF or AVIF lists its brands after 16.
  static let sniffLength = 32

  static func codec(for format: ImageFormat) -> any ImageDecoder.Type {
    // Every ImageFormat value is made from a registered name.
    codecs.first { $0.format == format } ?? JPEGCodec.self
  }

  /// The format's encoder; nil for a format imgproc only reads.
  static func encoder(for format: ImageFormat) -> (any ImageEncoder.Type)? {
    codec(for: format) as? any ImageEncoder.Type
  }
}

/// What a variant asks of an encoder: the options it sets, by recipe key (each one its
/// format declares, checked against its table), and the command's JPEG defaults. Each format
/// starts from its settings' defaults and takes what is set.
public struct EncodeRequest: Sendable {
  public var options: [String: OptionValue]
  /// The command's defaults for JPEG (`--progressive`, `--subsampling`).
  public var defaultProgressive: Bool
  public var defaultSubsampling: ChromaSubsampling

  public init(
    options: [String: OptionValue] = [:], defaultProgressive: Bool = false,
    defaultSubsampling: ChromaSubsampling = .auto
  ) {
    self.options = options
    self.defaultProgressive = defaultProgressive
    self.defaultSubsampling = defaultSubsampling
  }

  /// The number set for `option`, if one is.
  public func integer(_ option: EncoderOption) -> Int? { options[option.key]?.integer }

  /// The yes or no set for `option`, if one is.
  public func yesNo(_ option: EncoderOption) -> Bool? { options[option.key]?.yesNo }

  /// The word set for `option`, if one is.
  public func choice(_ option: EncoderOption) -> String? { options[option.key]?.choice }
}

/// A format's own encoder settings type.
public protocol EncoderOptions: Sendable {
  /// Every setting that decides the encoder's bytes, as `name=value` fields in a fixed
  /// order: part of an output's identity (`{hash}`).
  var identityFields: [String] { get }
}
