import ImgprocCore

/// A format's codec: identity, recognition, capabilities, decoding and encoding. Each format
/// folder has one (`JPEG/`, `PNG/`, `WebP/`); `Formats.codecs` lists them.
protocol ImageCodec {
  static var format: ImageFormat { get }
  /// The usual extension first.
  static var fileExtensions: [String] { get }
  static var mediaType: String { get }
  static var capabilities: FormatCapabilities { get }
  /// The recipe fields the encoder takes (see `EncodeRequest`).
  static var encoderOptions: Set<String> { get }
  /// Encoder CPU per pixel, JPEG = 1.
  static var relativeEncodeCost: Double { get }
  /// The `effort` values the encoder takes, when it takes one.
  static var effortRange: ClosedRange<Int> { get }
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
  /// The format's settings for a request, its defaults filled in.
  static func encodeSettings(_ request: EncodeRequest) -> EncodeSettings
  /// Encodes `image` (already in a layout and depth the format stores) with `settings`,
  /// which are this format's.
  static func encode(_ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
}

extension ImageCodec {
  static var effortRange: ClosedRange<Int> { 0...6 }
  /// PNG's limit (2^31 - 1, a 4-byte field); the others declare theirs.
  static var maxDimension: Int { Int(Int32.max) }
}

/// The registry: every format imgproc knows, in the order files are sniffed.
enum Formats {
  #if HEIF
  static let codecs: [any ImageCodec.Type] = [
    JPEGCodec.self, PNGCodec.self, WebPCodec.self, HEIFCodec.self, AVIFCodec.self,
  ]
  #else
  static let codecs: [any ImageCodec.Type] = [JPEGCodec.self, PNGCodec.self, WebPCodec.self]
  #endif

  /// Bytes sniffing looks at: an `ftyp` box of HEIF or AVIF lists its brands after 16.
  static let sniffLength = 32

  static func codec(for format: ImageFormat) -> any ImageCodec.Type {
    // Every ImageFormat value is made from a registered name.
    codecs.first { $0.format == format } ?? JPEGCodec.self
  }
}

/// What a variant asks of an encoder, in the recipe's terms; each format reads the fields it
/// takes (`ImageFormat.encoderOptions`) and fills in its own defaults.
public struct EncodeRequest: Sendable {
  public var quality: Int?
  public var effort: Int?
  public var lossless: Bool?
  public var progressive: Bool?
  public var subsampling: ChromaSubsampling?
  public var compressionLevel: Int?
  /// The command's defaults for JPEG (`--progressive`, `--subsampling`).
  public var defaultProgressive: Bool
  public var defaultSubsampling: ChromaSubsampling

  public init(
    quality: Int? = nil, effort: Int? = nil, lossless: Bool? = nil, progressive: Bool? = nil,
    subsampling: ChromaSubsampling? = nil, compressionLevel: Int? = nil,
    defaultProgressive: Bool = false, defaultSubsampling: ChromaSubsampling = .auto
  ) {
    self.quality = quality
    self.effort = effort
    self.lossless = lossless
    self.progressive = progressive
    self.subsampling = subsampling
    self.compressionLevel = compressionLevel
    self.defaultProgressive = defaultProgressive
    self.defaultSubsampling = defaultSubsampling
  }
}

/// A format's own encoder settings type.
public protocol EncoderOptions: Sendable {
  /// Every setting that decides the encoder's bytes, as `name=value` fields in a fixed
  /// order: part of an output's identity (`{hash}`).
  var identityFields: [String] { get }
}
