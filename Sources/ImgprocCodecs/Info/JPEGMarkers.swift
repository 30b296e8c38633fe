/// What a JPEG's markers say before its first scan (ITU T.81 §B): the coding process, the
/// components' sampling factors, the quantisation tables and Adobe's colour transform.
/// Pure Swift: walks the segments from SOI to SOS and reads nothing else.
struct JPEGMarkers {
  /// Bits per sample (8 or 12; 16 in lossless JPEG).
  private(set) var precision = 8
  /// SOF2, SOF6, SOF10, SOF14.
  private(set) var progressive = false
  /// SOF9–SOF15 (arithmetic coding).
  private(set) var arithmetic = false
  /// Per component, in frame order: its ID and horizontal × vertical sampling factors.
  private(set) var components: [(id: UInt8, horizontal: Int, vertical: Int)] = []
  /// The quantisation tables by their slot (0–3), in natural order.
  private(set) var tables: [Int: [Int]] = [:]
  /// The table slot each component uses.
  private(set) var tableOfComponent: [Int] = []
  /// APP14 "Adobe"'s transform byte: 0 none (RGB or CMYK), 1 YCbCr, 2 YCCK.
  private(set) var adobeTransform: UInt8?

  /// Nil when `bytes` does not start like a JPEG or ends before its frame header.
  init?(_ bytes: [UInt8]) {
    guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
    var offset = 2
    segments: while offset + 4 <= bytes.count {
      guard bytes[offset] == 0xFF else { return nil }
      let marker = bytes[offset + 1]
      if marker == 0xFF {  // fill byte
        offset += 1
        continue
      }
      let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
      let start = offset + 4
      let end = offset + 2 + length
      guard length >= 2, end <= bytes.count else { break }
      let segment = bytes[start..<end]
      switch marker {
      case 0xDA: break segments  // SOS: the scans begin
      case 0xDB: readTables(segment)
      case 0xEE: readAdobe(segment)
      case 0xC0...0xCF where ![0xC4, 0xC8, 0xCC].contains(marker):
        progressive = [0xC2, 0xC6, 0xCA, 0xCE].contains(marker)
        arithmetic = marker >= 0xC9
        readFrame(segment)
      default: break
      }
      offset = end
    }
    if components.isEmpty { return nil }
  }

  private mutating func readTables(_ segment: ArraySlice<UInt8>) {
    var at = segment.startIndex
    while at < segment.endIndex {
      let precision16 = segment[at] >> 4 == 1
      let slot = Int(segment[at] & 15)
      let size = precision16 ? 128 : 64
      guard at + 1 + size <= segment.endIndex else { return }
      var zigzag: [Int] = []
      for index in 0..<64 {
        zigzag.append(
          precision16
            ? Int(segment[at + 1 + 2 * index]) << 8 | Int(segment[at + 2 + 2 * index])
            : Int(segment[at + 1 + index]))
      }
      var natural = [Int](repeating: 0, count: 64)
      for (index, position) in JPEGMarkers.zigzagOrder.enumerated() {
        natural[position] = zigzag[index]
      }
      tables[slot] = natural
      at += 1 + size
    }
  }

  private mutating func readFrame(_ segment: ArraySlice<UInt8>) {
    let base = segment.startIndex
    guard segment.count >= 6 else { return }
    precision = Int(segment[base])
    let count = Int(segment[base + 5])
    guard segment.count >= 6 + 3 * count else { return }
    components = (0..<count).map { index in
      let at = base + 6 + 3 * index
      return (segment[at], Int(segment[at + 1] >> 4), Int(segment[at + 1] & 15))
    }
    tableOfComponent = (0..<count).map { Int(segment[base + 8 + 3 * $0] & 3) }
  }

  private mutating func readAdobe(_ segment: ArraySlice<UInt8>) {
    guard segment.count >= 12, Array(segment.prefix(5)) == Array("Adobe".utf8) else { return }
    adobeTransform = segment[segment.startIndex + 11]
  }

  /// "4:2:0", "4:2:2", "4:4:4", "4:4:0", "4:1:1" from the first component's sampling against
  /// the second's; nil for one component or an unusual layout.
  var chromaSubsampling: String? {
    guard components.count >= 3 else { return nil }
    let luma = components[0]
    let chroma = components[1]
    guard chroma.horizontal > 0, chroma.vertical > 0 else { return nil }
    switch (luma.horizontal / chroma.horizontal, luma.vertical / chroma.vertical) {
    case (1, 1): return "4:4:4"
    case (2, 1): return "4:2:2"
    case (2, 2): return "4:2:0"
    case (1, 2): return "4:4:0"
    case (4, 1): return "4:1:1"
    default: return nil
    }
  }

  /// How the samples are stored: "gray", "YCbCr", "RGB", "CMYK" or "YCCK" (JFIF and Adobe's
  /// rules, as libjpeg applies them).
  var colorModel: String {
    switch components.count {
    case 1: return "gray"
    case 3:
      if adobeTransform == 0 { return "RGB" }
      if adobeTransform == nil, components.map(\.id) == Array("RGB".utf8) { return "RGB" }
      return "YCbCr"
    case 4: return adobeTransform == 2 ? "YCCK" : "CMYK"
    default: return "\(components.count) components"
    }
  }

  /// The IJG quality (1–100) whose scaled standard luminance table is closest to the table
  /// the first component uses; nil without that table. Exact for files written by libjpeg
  /// and its descendants (Pillow, libvips, sharp, ImageMagick, imgproc), an estimate for the
  /// rest (cameras and phones use their own tables).
  var estimatedQuality: Int? {
    guard let slot = tableOfComponent.first, let table = tables[slot] else { return nil }
    func distance(_ quality: Int) -> Int {
      let scale = quality < 50 ? 5000 / quality : 200 - 2 * quality
      return zip(table, JPEGMarkers.standardLuminance).reduce(0) { total, pair in
        let expected = min(max((pair.1 * scale + 50) / 100, 1), 255)
        return total + abs(pair.0 - expected)
      }
    }
    return (1...100).min { distance($0) < distance($1) }
  }

  /// ITU T.81 Annex K, table K.1 (natural order).
  static let standardLuminance = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
  ]

  /// Position in natural order of each zig-zag index.
  static let zigzagOrder = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
  ]
}
