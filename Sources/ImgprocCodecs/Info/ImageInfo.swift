import ImgprocCore

/// Random access to an image file's bytes, so `ImageInfo` reads headers without loading
/// the file or its pixels. `read` may return fewer bytes than asked at the end.
public struct ByteSource {
  /// The file's size in bytes.
  public let count: Int
  private let reader: (Range<Int>) -> [UInt8]

  public init(count: Int, read: @escaping (Range<Int>) -> [UInt8]) {
    self.count = count
    self.reader = read
  }

  public init(_ bytes: [UInt8]) {
    self.init(count: bytes.count) { Array(bytes[$0]) }
  }

  /// The bytes of `range` that exist.
  func read(_ range: Range<Int>) -> [UInt8] {
    let clamped = range.clamped(to: 0..<count)
    return clamped.isEmpty ? [] : reader(clamped)
  }
}

/// What `imgproc info` tells about an image, from its headers alone: no pixel is decoded.
/// The probe reads the first `headBytes` (the whole file only when its headers need more,
/// as a HEIF file with its metadata after the media data does); a WebP's chunk headers are
/// then read where they are, eight bytes each.
public struct ImageInfo: Equatable, Codable, Sendable {
  /// `jpeg`, `png`, `webp`, `heif`, `avif`.
  public var format: String
  /// Stored size in pixels (HEIF/AVIF: after their `irot`/`imir`, as libheif reports it).
  public var width: Int
  public var height: Int
  /// Channels of the decoded image (1 gray … 4 RGBA).
  public var channels: Int
  /// Bits per stored sample (PNG: 1, 2, 4, 8 or 16; JPEG: 8 or 12).
  public var bitDepth: Int
  /// How the samples are stored: `gray`, `gray+alpha`, `RGB`, `RGBA`, `palette`, `YCbCr`,
  /// `CMYK`, `YCCK`.
  public var colorType: String
  /// EXIF orientation 1–8, when the file has EXIF with one.
  public var orientation: Int?
  /// The embedded ICC profile's description and size in bytes.
  public var iccDescription: String?
  public var iccBytes: Int?
  /// JPEG: progressive (SOF2 and kin) rather than sequential.
  public var progressive: Bool?
  /// JPEG: arithmetic rather than Huffman coding.
  public var arithmeticCoding: Bool?
  /// PNG: Adam7 interlacing.
  public var interlaced: Bool?
  /// JPEG: `4:2:0`, `4:2:2`, `4:4:4`, `4:4:0`, `4:1:1`.
  public var chromaSubsampling: String?
  /// JPEG: the IJG quality its luminance table matches best (see `JPEGMarkers`).
  public var estimatedQuality: Int?
  /// WebP: `lossy`, `lossless` or, in an animation, `mixed`.
  public var compression: String?
  public var animated: Bool
  /// Frames (1 for a still image; APNG's and animated WebP's count).
  public var frames: Int
  /// What imgproc's decoder allocates for the pixels: width × height × channels × bytes
  /// per sample of the decoded image (first frame).
  public var decodedBytes: Int
  public var fileBytes: Int

  /// Bytes read for the headers before falling back to the whole file.
  public static let headBytes = 4 << 20

  /// Reads `source`'s headers. Throws what `Codecs.probe` throws for files that are not
  /// images imgproc reads.
  public static func read(_ source: ByteSource) throws(CodecError) -> ImageInfo {
    var head = source.read(0..<min(source.count, headBytes))
    let header: ImageHeader
    do {
      header = try Codecs.probe(head)
    } catch {
      guard head.count < source.count else { throw error }
      head = source.read(0..<source.count)
      header = try Codecs.probe(head)
    }
    let (decoded, overflow) = header.pixelCount.multipliedReportingOverflow(
      by: header.layout.channels * header.depth.bytes)
    var info = ImageInfo(
      format: header.format.rawValue, width: header.width, height: header.height,
      channels: header.layout.channels, bitDepth: header.depth.rawValue,
      colorType: header.layout.hasAlpha ? "RGBA" : header.layout.channels == 1 ? "gray" : "RGB",
      animated: header.isAnimated, frames: 1, decodedBytes: overflow ? Int.max : decoded,
      fileBytes: source.count)
    if header.layout == .grayAlpha { info.colorType = "gray+alpha" }
    if let exif = header.metadata.exif, let found = Exif.orientation(in: exif) {
      info.orientation = found.orientation.rawValue
    }
    if let icc = header.metadata.icc, !icc.isEmpty {
      info.iccBytes = icc.count
      info.iccDescription = ColorManagement.profileDescription(icc)
    }
    switch header.format {
    case .jpeg: info.addJPEG(head)
    case .png: info.addPNG(head)
    case .webp: info.addWebP(source)
    #if HEIF
    case .avif, .heif:
      if header.isAnimated {
        info.frames = ISOBoxes.frames(source.read(0..<source.count)) ?? 1
      }
    #endif
    default: break
    }
    return info
  }

  private mutating func addJPEG(_ head: [UInt8]) {
    guard let markers = JPEGMarkers(head) else { return }
    bitDepth = markers.precision
    colorType = markers.colorModel
    progressive = markers.progressive
    arithmeticCoding = markers.arithmetic
    chromaSubsampling = markers.chromaSubsampling
    estimatedQuality = markers.estimatedQuality
  }

  private mutating func addPNG(_ head: [UInt8]) {
    guard let png = ContainerChunks.png(head) else { return }
    bitDepth = png.bitDepth
    colorType = png.colorName
    interlaced = png.interlaced
    if let count = png.frames, count > 0 {
      frames = count
      animated = count > 1
    }
  }

  private mutating func addWebP(_ source: ByteSource) {
    guard let layout = ContainerChunks.webp(source) else { return }
    compression = layout.compression
    frames = max(layout.frames, 1)
  }
}
