/// A format imgproc reads or writes, named by its identifier (`jpeg`, `png`, `webp`): what
/// it can do and how files are recognised are declared by its codec in the registry
/// (`Formats`), never assumed here. A new format is a folder with its codec, its options
/// type and its C boundary, and one line in `Formats.codecs`.
public struct ImageFormat: RawRepresentable, Hashable, Sendable, CaseIterable, Codable,
  CustomStringConvertible
{
  public let rawValue: String

  /// A registered format's identifier (`jpg` is accepted for `jpeg`, `heic` for `heif`);
  /// nil for others.
  public init?(rawValue: String) {
    let aliases = ["jpg": "jpeg", "heic": "heif"]
    let name = aliases[rawValue.lowercased()] ?? rawValue.lowercased()
    guard Formats.codecs.contains(where: { $0.format.rawValue == name }) else { return nil }
    self.rawValue = name
  }

  private init(registered name: String) { rawValue = name }

  public static let jpeg = ImageFormat(registered: "jpeg")
  public static let png = ImageFormat(registered: "png")
  public static let webp = ImageFormat(registered: "webp")
  #if HEIF
  public static let heif = ImageFormat(registered: "heif")
  public static let avif = ImageFormat(registered: "avif")
  #endif

  /// Every registered format, in registry order.
  public static var allCases: [ImageFormat] { Formats.codecs.map { $0.format } }

  /// The registered formats imgproc writes, in registry order.
  public static var written: [ImageFormat] { allCases.filter { $0.capabilities.contains(.encode) } }

  public var description: String { rawValue }

  var codec: any ImageDecoder.Type { Formats.codec(for: self) }

  /// Its encoder; nil for a format imgproc only reads.
  var encoder: (any ImageEncoder.Type)? { Formats.encoder(for: self) }

  /// Bytes `sniff` needs: enough for WebP's RIFF header and an ISO `ftyp` box's brands.
  public static var sniffLength: Int { Formats.sniffLength }

  /// Recognises a format from the first bytes of a file (`sniffLength` are enough for
  /// every format). The file name is never consulted.
  public static func sniff(_ bytes: some Collection<UInt8>) -> ImageFormat? {
    let head = Array(bytes.prefix(Formats.sniffLength))
    return Formats.codecs.first { $0.sniff(head) }?.format
  }

  /// Whether the file `name` whose first bytes are `head` is a source to convert: an image, a
  /// truncated one, or an empty file with an image extension; the last two then fail with
  /// their reason ("truncated PNG header", "empty file") instead of being skipped.
  public static func isSource(head: [UInt8], name: String) -> Bool {
    if sniff(head) != nil || truncatedSignature(head) != nil { return true }
    return head.isEmpty && hasImageExtension(name)
  }

  /// Whether `name` (a file name or key) ends in the extension of a format imgproc reads,
  /// in any case.
  public static func hasImageExtension(_ name: String) -> Bool {
    let lower = name.lowercased()
    return allCases.flatMap(\.fileExtensions).contains { lower.hasSuffix("." + $0) }
  }

  /// The name of an image format imgproc does not read ("GIF", "TIFF", "BMP"…) whose
  /// signature `bytes` begin with; nil for anything else.
  public static func unsupportedKind(_ bytes: some Collection<UInt8>) -> String? {
    let head = Array(bytes.prefix(16))
    let ascii = { (text: String) in Array(text.utf8) }
    let signatures: [(String, [UInt8])] = [
      ("GIF", ascii("GIF87a")), ("GIF", ascii("GIF89a")), ("TIFF", [0x49, 0x49, 0x2A, 0x00]),
      ("TIFF", [0x4D, 0x4D, 0x00, 0x2A]), ("Photoshop", ascii("8BPS")),
      ("JPEG XL", [0xFF, 0x0A]), ("JPEG XL", [0, 0, 0, 0x0C] + ascii("JXL ")),
      ("JPEG 2000", [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20]), ("ICO", [0, 0, 1, 0]),
      ("PDF", ascii("%PDF")),
    ]
    if let kind = signatures.first(where: { head.starts(with: $0.1) })?.0 { return kind }
    // BMP: "BM", the file size, then four reserved bytes that are zero.
    if head.starts(with: ascii("BM")), head.count >= 10, head[6..<10].allSatisfy({ $0 == 0 }) {
      return "BMP"
    }
    return nil
  }

  /// The kind of image a file too short to be recognised begins as ("PNG", "JPEG", "WebP",
  /// "HEIF/AVIF"), when its bytes are the start of that format's signature: a file cut short
  /// in its first bytes, not some other kind of file. Nil for an empty file.
  public static func truncatedSignature(_ bytes: some Collection<UInt8>) -> String? {
    let head = Array(bytes.prefix(Formats.sniffLength))
    guard !head.isEmpty, sniff(head) == nil else { return nil }
    let ascii = { (text: String) in text.utf8.map { Optional($0) } }
    let signatures: [(String, [UInt8?])] = [
      ("JPEG", [0xFF, 0xD8, 0xFF]),
      ("PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
      ("WebP", ascii("RIFF") + [nil, nil, nil, nil] + ascii("WEBP")),
      ("HEIF/AVIF", [nil, nil, nil, nil] + ascii("ftyp")),
    ]
    return signatures.first { _, signature in
      // At least one byte of the signature itself is compared, and every byte agrees.
      guard let first = signature.firstIndex(where: { $0 != nil }), head.count > first else {
        return false
      }
      return zip(head, signature).allSatisfy { byte, expected in
        expected.map { $0 == byte } ?? true
      }
    }?.0
  }

  /// The usual file extension, without the dot.
  public var fileExtension: String { codec.fileExtensions[0] }

  /// Every extension files of this format are given (`jpg`, `jpeg`, `jpe`, `jfif`).
  public var fileExtensions: [String] { codec.fileExtensions }

  /// Every registered extension with its dot, for messages: `.jpg .jpeg .jpe .jfif .png .webp`.
  public static var knownExtensions: String {
    allCases.flatMap(\.fileExtensions).map { "." + $0 }.joined(separator: " ")
  }

  /// The media type, as S3 and HTTP want it.
  public var mediaType: String { codec.mediaType }

  /// What the format can store and its decoder can do.
  public var capabilities: FormatCapabilities { codec.capabilities }

  /// Whether the format can store an alpha channel.
  public var supportsAlpha: Bool { capabilities.contains(.alpha) }

  /// Whether the format can store 16-bit samples.
  public var supports16Bit: Bool { capabilities.contains(.sixteenBit) }

  /// Whether the decoder can produce a smaller image directly (JPEG: DCT scaling; WebP: its
  /// built-in rescaler).
  public var supportsShrinkOnLoad: Bool { capabilities.contains(.shrinkOnLoad) }

  /// Whether the format can store a gray image without expanding it to RGB.
  public var supportsGray: Bool { capabilities.contains(.gray) }

  /// Its encoder's options (`quality`, `effort`…), its own table; empty for a format
  /// imgproc only reads.
  public var options: [EncoderOption] { encoder?.options ?? [] }

  /// Whether `options` (a variant's, by recipe key) make this format's output lossless: a
  /// format that writes only losslessly, or one whose `lossless` option is yes.
  public func isLossless(with options: [String: OptionValue]) -> Bool {
    guard capabilities.contains(.lossless) else { return false }
    guard let lossless = option(named: EncoderOption.lossless.key) else { return true }
    return options[lossless.key]?.yesNo == true
  }

  /// The option `name` sets: its recipe key or one of its aliases (`q`, `level`), in any case.
  public func option(named name: String) -> EncoderOption? {
    let name = name.lowercased()
    return options.first { $0.names.contains { $0.lowercased() == name } }
  }

  /// An option some written format declares under the recipe key `key`: how a recipe's
  /// value for it is read before the variant's format is checked (the kinds of one key
  /// agree across formats).
  public static func anyOption(key: String) -> EncoderOption? {
    written.lazy.flatMap(\.options).first { $0.key == key }
  }

  /// The most pixels per side the format stores.
  public var maxDimension: Int { codec.maxDimension }

  /// Encoder CPU per pixel relative to JPEG's, for scheduling the costliest work first.
  public var relativeEncodeCost: Double { encoder?.relativeEncodeCost ?? 1 }

  /// The encoder settings a variant asks for, with the format's own defaults filled in; none
  /// for a format imgproc only reads (`Codecs.encode` refuses it).
  public func encodeSettings(_ request: EncodeRequest) -> EncodeSettings {
    encoder?.encodeSettings(request) ?? EncodeSettings(format: self, options: NoEncoder())
  }

  public init(from decoder: any Decoder) throws {
    let name = try decoder.singleValueContainer().decode(String.self)
    guard let format = ImageFormat(rawValue: name) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: decoder.codingPath,
          debugDescription:
            "unknown format '\(name)' (\(ImageFormat.written.map(\.rawValue).joined(separator: ", ")))"
        ))
    }
    self = format
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// The settings of a format imgproc does not write: none.
struct NoEncoder: EncoderOptions {
  var identityFields: [String] { [] }
}

/// What a format can store and its codec can do, declared by the codec.
public struct FormatCapabilities: OptionSet, Sendable, Hashable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// imgproc decodes it.
  public static let decode = FormatCapabilities(rawValue: 1 << 0)
  /// imgproc encodes it.
  public static let encode = FormatCapabilities(rawValue: 1 << 1)
  /// It stores an alpha channel.
  public static let alpha = FormatCapabilities(rawValue: 1 << 2)
  /// It stores 16-bit samples.
  public static let sixteenBit = FormatCapabilities(rawValue: 1 << 3)
  /// It stores gray images as gray.
  public static let gray = FormatCapabilities(rawValue: 1 << 4)
  /// Its decoder can produce 1/2, 1/4 or 1/8 of the size directly.
  public static let shrinkOnLoad = FormatCapabilities(rawValue: 1 << 5)
  /// It may hold several frames (the first is decoded).
  public static let animation = FormatCapabilities(rawValue: 1 << 6)
  /// A truncated or damaged file decodes as far as it can with `--fail-on error`; without
  /// it, damage always fails the file.
  public static let partialDecode = FormatCapabilities(rawValue: 1 << 7)
  /// The decoder turns pixels upright itself (HEIF's `irot`/`imir`): the EXIF orientation
  /// it hands on is reset, so nothing is turned twice.
  public static let orientsOnDecode = FormatCapabilities(rawValue: 1 << 8)
  /// Its encoder writes without loss: always (PNG), or when its `lossless` option says so
  /// (WebP, AVIF).
  public static let lossless = FormatCapabilities(rawValue: 1 << 9)
}
