import ImgprocCodecs
import ImgprocCore

/// Classes of broken and hostile files, generated in code from valid encodes: what a
/// stranger's upload can be. Each class says whether every file in it must be refused, or
/// may also decode (a bit flip the format cannot detect).
public enum BrokenInputs {
  public struct InputClass: Sendable {
    public var name: String
    public var files: [(name: String, bytes: [UInt8])]
    /// Every file must fail (one error line each), but those in `mayDecode`; otherwise
    /// decoding is also fine.
    public var mustFail: Bool
    /// The most pixels any file of the class may make a decoder allocate (what its header
    /// declares, when that passes the pixel limit).
    public var declaredPixels: Int
    /// Files of a `mustFail` class whose damage is harmless to the decoder.
    public var mayDecode: Set<String> = []
  }

  /// The source images: 800×600, smooth with noise (so every format's coder works).
  static let width = 800
  static let height = 600

  static var picture: Image {
    let noise = Fixtures.noise(width: width, height: height, layout: .rgb, seed: 7)
    let gradient = Fixtures.gradient(width: width, height: height, layout: .rgb)
    let pixels = zip(noise.pixels, gradient.pixels).map { UInt8((Int($0) / 8 + Int($1) * 7 / 8)) }
    return (try? Image(width: width, height: height, layout: .rgb, pixels: pixels)) ?? gradient
  }

  public static func classes() throws -> [InputClass] {
    let image = picture
    let jpeg = try Codecs.encode(image, .jpeg(JPEGSettings(quality: 85)))
    let png = try Codecs.encode(image, .png(PNGSettings(compressionLevel: 1)))
    let webp = try Codecs.encode(image, .webp(WebPSettings(quality: 80)))
    let lossless = try Codecs.encode(
      Fixtures.gradient(width: 1, height: 1, layout: .rgba), .webp(WebPSettings(lossless: true)))
    let tagged = try Codecs.encode(
      Fixtures.gradient(width: 64, height: 48, layout: .rgba), .webp(WebPSettings(lossless: true)),
      metadata: ImageMetadata(exif: exifLoop))
    let pixels = width * height
    let sources = [("jpg", jpeg), ("png", png), ("webp", webp)]
    var generator = SeededGenerator(seed: 2026)
    let bomb = Streams.zlibOfZeros(64 << 20)
    return [
      InputClass(
        name: "truncated at every 1/16",
        files: sources.flatMap { ext, bytes in
          (1..<16).map { ("cut\($0).\(ext)", Array(bytes.prefix(bytes.count * $0 / 16))) }
        }, mustFail: true, declaredPixels: pixels),
      InputClass(
        name: "random bit flips",
        files: sources.flatMap { ext, bytes in
          (0..<6).map { index in
            var copy = bytes
            for _ in 0..<8 {
              let at = Int.random(in: 16..<copy.count, using: &generator)
              copy[at] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
            }
            return ("flip\(index).\(ext)", copy)
          }
        }, mustFail: false, declaredPixels: pixels),
      InputClass(
        name: "wrong CRCs (PNG)",
        files: ["IHDR", "IDAT", "IEND"].compactMap { type in
          pngChunkEnd(png, type).map { end in ("crc-\(type).png", Damage.flipped(png, at: end - 1))
          }
        }, mustFail: true, declaredPixels: pixels,
        // IEND comes after the complete image: damage there loses no pixel, a warning.
        mayDecode: ["crc-IEND.png"]),
      InputClass(
        name: "zero dimensions",
        files: [
          ("zero-w.png", Damage.pngHeader(width: 0, height: 10)),
          ("zero-h.png", Damage.pngHeader(width: 10, height: 0)),
          ("zero-w.jpg", Damage.jpegClaiming(jpeg, width: 0, height: height)),
          ("zero-h.jpg", Damage.jpegClaiming(jpeg, width: width, height: 0)),
          ("zero-w.webp", vp8Claiming(webp, width: 0, height: height)),
          ("zero-h.webp", vp8Claiming(webp, width: width, height: 0)),
        ], mustFail: true, declaredPixels: 0),
      InputClass(
        name: "huge declared dimensions",
        files: [
          ("huge.png", Damage.pngHeader(width: 2_147_483_647, height: 2_147_483_647)),
          ("wide.png", Damage.pngHeader(width: 1 << 30, height: 1)),
          ("huge.jpg", Damage.jpegClaiming(jpeg, width: 65_535, height: 65_535)),
          ("huge.webp", vp8Claiming(webp, width: 16_383, height: 16_383)),
          ("huge-canvas.webp", vp8xCanvas(tagged, width: 1 << 24, height: 1 << 24)),
        ], mustFail: true, declaredPixels: 0),
      InputClass(
        name: "zlib bombs (IDAT, iCCP, zTXt)",
        files: [
          ("idat.png", tinyPNG(extra: [], idat: bomb)),
          ("iccp.png", tinyPNG(extra: [TinyPNG.chunk("iCCP", Array("icc".utf8) + [0, 0] + bomb)])),
          (
            "ztxt.png",
            tinyPNG(extra: [TinyPNG.chunk("zTXt", Array("Comment".utf8) + [0, 0] + bomb)])
          ),
        ], mustFail: false, declaredPixels: 4),
      InputClass(
        name: "PNG chunks declaring 1 GiB",
        files: ["zTXt", "iCCP", "tEXt", "eXIf", "sPLT", "juNK"].map { type in
          (
            "huge-\(type).png",
            Array(tinyPNG(extra: []).prefix(33)) + TinyPNG.be32(0x3FFF_FFFF) + Array(type.utf8)
              + Array("data".utf8) + TinyPNG.chunk("IEND", [])
          )
        }, mustFail: true, declaredPixels: 1),
      InputClass(
        name: "bogus Huffman tables",
        files: [("dht.jpg", bogusHuffman(jpeg))], mustFail: true, declaredPixels: pixels),
      InputClass(
        name: "missing SOS or DQT",
        files: [
          ("no-sos.jpg", withoutSegments(jpeg, 0xDA)), ("no-dqt.jpg", withoutSegments(jpeg, 0xDB)),
        ], mustFail: true, declaredPixels: pixels),
      InputClass(
        name: "lying RIFF/VP8/VP8L sizes",
        files: [
          ("riff-big.webp", patched(webp, at: 4, le32: 0xFFFF_FFF0)),
          ("riff-small.webp", patched(webp, at: 4, le32: 4)),
          ("vp8-big.webp", patched(webp, at: 16, le32: 0x7FFF_FFF0)),
          ("vp8-zero.webp", patched(webp, at: 16, le32: 0)),
          ("vp8l-big.webp", patched(lossless, at: 16, le32: 0x7FFF_FFF0)),
          ("vp8l-small.webp", patched(lossless, at: 16, le32: 2)),
        ], mustFail: true, declaredPixels: pixels,
        // libwebp decodes a lossless image whose chunk is shorter than its data when the RIFF
        // size holds all of it: every pixel is there.
        mayDecode: ["vp8l-small.webp"]),
      InputClass(
        name: "animation with 5,000 frames",
        files: [("frames.webp", animation(frame: lossless, count: 5000))], mustFail: false,
        declaredPixels: 1),
      InputClass(
        name: "ICC profiles of absurd size",
        files: [
          ("icc-chunks.jpg", withICC(jpeg, chunks: 64, declaredSize: 0xFFFF_FFF0)),
          (
            "icc-huge.png",
            tinyPNG(extra: [TinyPNG.chunk("iCCP", Array("icc".utf8) + [0, 0] + bomb)])
          ),
        ], mustFail: false, declaredPixels: pixels),
      InputClass(
        name: "EXIF with loops or out-of-range offsets",
        files: [
          ("exif-loop.jpg", withSegment(jpeg, 0xE1, Array("Exif".utf8) + [0, 0] + exifLoop)),
          (
            "exif-range.jpg", withSegment(jpeg, 0xE1, Array("Exif".utf8) + [0, 0] + exifOutOfRange)
          ),
          ("exif-loop.webp", tagged),
        ], mustFail: false, declaredPixels: pixels),
    ]
  }

  // MARK: - PNG

  /// The offset just past `type`'s first chunk (its CRC's last byte is at `end - 1`).
  static func pngChunkEnd(_ png: [UInt8], _ type: String) -> Int? {
    var at = 8
    while at + 12 <= png.count {
      let length =
        Int(png[at]) << 24 | Int(png[at + 1]) << 16 | Int(png[at + 2]) << 8 | Int(png[at + 3])
      if png[(at + 4)..<(at + 8)].elementsEqual(type.utf8) { return at + 12 + length }
      at += 12 + length
    }
    return nil
  }

  /// A 1×1 gray PNG with `extra` chunks before its image data.
  static func tinyPNG(extra: [[UInt8]], idat: [UInt8]? = nil) -> [UInt8] {
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
      + TinyPNG.chunk("IHDR", TinyPNG.be32(1) + TinyPNG.be32(1) + [8, 0, 0, 0, 0])
      + extra.flatMap { $0 }
      + TinyPNG.chunk("IDAT", idat ?? TinyPNG.zlibStored([0, 128]))
      + TinyPNG.chunk("IEND", [])
  }

  // MARK: - JPEG

  /// `jpeg` with every segment of `marker` removed (for SOS: the scan data too).
  static func withoutSegments(_ jpeg: [UInt8], _ marker: UInt8) -> [UInt8] {
    var out: [UInt8] = [0xFF, 0xD8]
    var at = 2
    while at + 4 <= jpeg.count, jpeg[at] == 0xFF {
      let code = jpeg[at + 1]
      let end = at + 2 + (Int(jpeg[at + 2]) << 8 | Int(jpeg[at + 3]))
      if code == 0xDA {
        if marker != 0xDA { out += jpeg[at...] }
        return marker == 0xDA ? out + [0xFF, 0xD9] : out
      }
      if code != marker { out += jpeg[at..<min(end, jpeg.count)] }
      at = end
    }
    return out
  }

  /// `jpeg` with a segment inserted right after SOI.
  static func withSegment(_ jpeg: [UInt8], _ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
    let length = payload.count + 2
    return [0xFF, 0xD8, 0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
      + jpeg.dropFirst(2)
  }

  /// Every DHT table's 16 code-length counts set to 255: far more codes than 256 symbols.
  static func bogusHuffman(_ jpeg: [UInt8]) -> [UInt8] {
    var copy = jpeg
    var at = 2
    while at + 4 <= copy.count, copy[at] == 0xFF, copy[at + 1] != 0xDA {
      let end = at + 2 + (Int(copy[at + 2]) << 8 | Int(copy[at + 3]))
      if copy[at + 1] == 0xC4 {
        for index in (at + 5)..<min(at + 21, end) { copy[index] = 255 }
      }
      at = end
    }
    return copy
  }

  /// `chunks` APP2 ICC_PROFILE segments of 60 KB each whose profile header declares
  /// `declaredSize` bytes.
  static func withICC(_ jpeg: [UInt8], chunks: Int, declaredSize: UInt32) -> [UInt8] {
    var result = jpeg
    for index in (1...chunks).reversed() {
      var body = [UInt8](repeating: 0x41, count: 60_000)
      if index == 1 {
        body.replaceSubrange(0..<4, with: withUnsafeBytes(of: declaredSize.bigEndian, Array.init))
      }
      result = withSegment(
        result, 0xE2, Array("ICC_PROFILE".utf8) + [0, UInt8(index), UInt8(chunks)] + body)
    }
    return result
  }

  // MARK: - EXIF

  /// A little-endian TIFF whose IFD0 (Orientation 6) points at itself as the next IFD and
  /// holds an EXIF sub-IFD pointer back to itself.
  static let exifLoop: [UInt8] =
    [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02, 0x00]
    + [0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00]
    + [0x69, 0x87, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]
    + [0x08, 0x00, 0x00, 0x00]

  /// IFD0 with an entry of a billion values at an offset past the end, a count of entries
  /// past the end, and a next IFD far away.
  static let exifOutOfRange: [UInt8] =
    [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0xFF, 0xFF]
    + [0x12, 0x01, 0x03, 0x00, 0x00, 0xCA, 0x9A, 0x3B, 0xF0, 0xFF, 0xFF, 0xFF]
    + [0xF0, 0xFF, 0xFF, 0x7F]

  // MARK: - WebP

  /// `bytes` with a little-endian UInt32 written at `offset`.
  static func patched(_ bytes: [UInt8], at offset: Int, le32 value: UInt32) -> [UInt8] {
    var copy = bytes
    for index in 0..<4 where offset + index < copy.count {
      copy[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
    }
    return copy
  }

  /// A lossy WebP (simple format: `VP8 ` at offset 12) whose frame header claims
  /// `width × height` (14 bits each, after the start code 9D 01 2A).
  static func vp8Claiming(_ webp: [UInt8], width: Int, height: Int) -> [UInt8] {
    var copy = webp
    guard copy.count > 30, copy[12..<16].elementsEqual("VP8 ".utf8) else { return copy }
    copy[26] = UInt8(width & 0xFF)
    copy[27] = UInt8((width >> 8) & 0x3F)
    copy[28] = UInt8(height & 0xFF)
    copy[29] = UInt8((height >> 8) & 0x3F)
    return copy
  }

  /// An extended WebP (`VP8X` at offset 12) whose canvas claims `width × height`.
  static func vp8xCanvas(_ webp: [UInt8], width: Int, height: Int) -> [UInt8] {
    var copy = webp
    guard copy.count > 30, copy[12..<16].elementsEqual("VP8X".utf8) else { return copy }
    for index in 0..<3 {
      copy[24 + index] = UInt8(truncatingIfNeeded: (width - 1) >> (8 * index))
      copy[27 + index] = UInt8(truncatingIfNeeded: (height - 1) >> (8 * index))
    }
    return copy
  }

  /// An animated WebP of `count` copies of the 1×1 lossless `frame`.
  static func animation(frame: [UInt8], count: Int) -> [UInt8] {
    func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
      Array(type.utf8) + le(payload.count, 4) + payload + (payload.count % 2 == 1 ? [0] : [])
    }
    func le(_ value: Int, _ bytes: Int) -> [UInt8] {
      (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    let image = Array(frame.dropFirst(12))  // the VP8L chunk, header included
    let anmf = chunk("ANMF", le(0, 3) + le(0, 3) + le(0, 3) + le(0, 3) + le(10, 3) + [0] + image)
    let body =
      Array("WEBP".utf8) + chunk("VP8X", [0x12, 0, 0, 0] + le(0, 3) + le(0, 3))
      + chunk("ANIM", [0, 0, 0, 0, 0, 0]) + Array([[UInt8]](repeating: anmf, count: count).joined())
    return Array("RIFF".utf8) + le(body.count, 4) + body
  }
}
