#if HEIF
import ImgprocCore

/// The formats libheif reads: probe and decode are its.
protocol LibHeifCodec: ImageDecoder {}

extension LibHeifCodec {
  static func probe(_ data: [UInt8]) throws(CodecError) -> ImageHeader {
    try LibHeif.probe(data, format: format)
  }

  static func decode(
    _ data: [UInt8], header: ImageHeader, scale: Int, size: Size, options: DecodeOptions
  ) throws(CodecError) -> DecodedImage {
    var decoded = try LibHeif.decode(data, header: header)
    if header.isAnimated {
      decoded.warnings.append(
        "animated \(header.format.rawValue.uppercased()): only its still image is used")
    }
    return decoded
  }
}

/// HEIF/HEIC (HEVC-coded, what phones upload): read only, through libheif.
enum HEIFCodec: LibHeifCodec {
  static let format = ImageFormat.heif
  static let fileExtensions = ["heic", "heif", "hif"]
  static let mediaType = "image/heif"
  static let capabilities: FormatCapabilities = [.decode, .alpha, .sixteenBit, .orientsOnDecode]

  static func sniff(_ head: [UInt8]) -> Bool {
    ISOBrands(head)?.matches(["heic", "heix", "hevc", "hevx", "heim", "heis"]) == true
  }
}

/// AVIF (AV1 in HEIF): read through libheif with dav1d, written through libheif with aom.
enum AVIFCodec: LibHeifCodec, ImageEncoder {
  static let format = ImageFormat.avif
  static let fileExtensions = ["avif"]
  static let mediaType = "image/avif"
  /// Written only where libheif has an AV1 encoder (not in the Lambda package).
  static var capabilities: FormatCapabilities {
    LibHeif.hasAV1Encoder
      ? [.decode, .encode, .lossless, .alpha, .sixteenBit, .orientsOnDecode]
      : [.decode, .alpha, .sixteenBit, .orientsOnDecode]
  }
  static let quality = EncoderOption.quality(default: AVIFSettings().quality)
  static let effort = EncoderOption.effort(0...9, default: AVIFSettings().effort)
  static let options = [quality, effort, EncoderOption.lossless]
  /// AV1 at the default effort is the slowest encoder by far.
  static let relativeEncodeCost = 40.0
  /// AV1's frame size fields (16 bits, minus one).
  static let maxDimension = 65_536

  static func sniff(_ head: [UInt8]) -> Bool {
    ISOBrands(head)?.matches(["avif", "avis"]) == true
  }

  static func encodeSettings(_ request: EncodeRequest) -> EncodeSettings {
    var settings = AVIFSettings()
    settings.quality = request.integer(quality) ?? settings.quality
    settings.effort = request.integer(effort) ?? settings.effort
    settings.lossless = request.yesNo(.lossless) ?? settings.lossless
    return EncodeSettings(format: format, options: settings)
  }

  static func encode(_ image: Image, _ settings: EncodeSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    guard let avif = settings.options(as: AVIFSettings.self) else {
      throw CodecError(.encodeFailed, "AVIF encoder given \(settings.format) settings")
    }
    return try LibHeif.encodeAVIF(
      image.layout.isGray ? image.converted(to: image.layout.asColor) : image.to8Bit(), avif,
      metadata: metadata)
  }
}

/// Settings of the AVIF encoder: 8-bit, alpha kept; YCbCr 4:2:0, or RGB 4:4:4 when lossless.
public struct AVIFSettings: EncoderOptions, Hashable {
  /// 1...100 (libheif's scale; sharp's default is 50).
  public var quality: Int
  /// 0 (fastest) ... 9 (smallest), as sharp's; aom's speed is 9 − effort.
  public var effort: Int
  public var lossless: Bool

  public init(quality: Int = 50, effort: Int = 4, lossless: Bool = false) {
    self.quality = quality
    self.effort = effort
    self.lossless = lossless
  }

  public var identityFields: [String] {
    // Lossless is spelled by what it writes: the RGB planes at 4:4:4.
    ["quality=\(quality)", "effort=\(effort)", "lossless=\(lossless ? "rgb444" : "false")"]
  }
}

/// The brands of an ISO base media file's `ftyp` box (HEIF, AVIF), from a file's first bytes.
struct ISOBrands {
  let major: String
  let compatible: [String]

  init?(_ head: [UInt8]) {
    guard head.count >= 12, head[4..<8].elementsEqual("ftyp".utf8) else { return nil }
    let size = head.prefix(4).reduce(0) { $0 << 8 | Int($1) }
    major = String(decoding: head[8..<12], as: UTF8.self)
    var brands: [String] = []
    var offset = 16
    while offset + 4 <= min(size, head.count) {
      brands.append(String(decoding: head[offset..<offset + 4], as: UTF8.self))
      offset += 4
    }
    compatible = brands
  }

  /// Whether the major brand is one of `brands`, or, for a generic major brand (`mif1`,
  /// `msf1`), a compatible one is.
  func matches(_ brands: Set<String>) -> Bool {
    if brands.contains(major) { return true }
    guard major == "mif1" || major == "msf1" else { return false }
    return compatible.contains { brands.contains($0) }
  }
}
#endif
