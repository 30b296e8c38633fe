/// What PNG's and WebP's chunk lists say, read from chunk headers alone (PNG spec §5, §11;
/// APNG's acTL; the WebP container spec's RIFF chunks). Pure Swift.
enum ContainerChunks {
  /// PNG's IHDR and, before the first IDAT, acTL.
  struct PNGHeader {
    var bitDepth: Int
    /// 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA.
    var colorType: Int
    var interlaced: Bool
    /// From acTL (APNG); nil for a still PNG.
    var frames: Int?

    var colorName: String {
      [0: "gray", 2: "RGB", 3: "palette", 4: "gray+alpha", 6: "RGBA"][colorType]
        ?? "type \(colorType)"
    }
  }

  static func png(_ head: [UInt8]) -> PNGHeader? {
    guard head.count >= 33, Array(head[12..<16]) == Array("IHDR".utf8) else { return nil }
    var header = PNGHeader(
      bitDepth: Int(head[24]), colorType: Int(head[25]), interlaced: head[28] == 1, frames: nil)
    var offset = 8
    while offset + 12 <= head.count {
      let length = bigEndian(head, offset)
      let type = String(decoding: head[(offset + 4)..<(offset + 8)], as: UTF8.self)
      if type == "IDAT" { break }
      if type == "acTL", length >= 8 {
        header.frames = bigEndian(head, offset + 8)
      }
      let (next, overflow) = offset.addingReportingOverflow(12 + length)
      guard !overflow else { break }
      offset = next
    }
    return header
  }

  /// A WebP file's kind of compression and its frames.
  struct WebPLayout {
    /// "lossy" (VP8), "lossless" (VP8L) or, for animations mixing both, "mixed".
    var compression: String
    var frames: Int
  }

  /// Walks the RIFF chunks through `source` (headers only: eight bytes per chunk, and the
  /// first sub-chunk of each animation frame).
  static func webp(_ source: ByteSource) -> WebPLayout? {
    let header = source.read(0..<12)
    guard header.count == 12, Array(header[8..<12]) == Array("WEBP".utf8) else { return nil }
    var kinds: Set<String> = []
    var frames = 0
    var offset = 12
    while offset + 8 <= source.count {
      let chunk = source.read(offset..<(offset + 8))
      guard chunk.count == 8 else { break }
      let type = String(decoding: chunk[0..<4], as: UTF8.self)
      let size = littleEndian(chunk, 4)
      switch type {
      case "VP8 ", "VP8L":
        kinds.insert(type)
        frames = max(frames, 1)
      case "ANMF":
        frames += 1
        // Frame header: 16 bytes, then ALPH and/or the bitstream chunk.
        var inner = offset + 8 + 16
        while inner + 8 <= min(offset + 8 + size, source.count) {
          let sub = source.read(inner..<(inner + 8))
          guard sub.count == 8 else { break }
          let subType = String(decoding: sub[0..<4], as: UTF8.self)
          if subType == "VP8 " || subType == "VP8L" {
            kinds.insert(subType)
            break
          }
          inner += 8 + ((littleEndian(sub, 4) + 1) & ~1)
        }
      default: break
      }
      let (next, overflow) = offset.addingReportingOverflow(8 + ((size + 1) & ~1))
      guard !overflow else { break }
      offset = next
    }
    guard !kinds.isEmpty else { return nil }
    let compression =
      kinds.count > 1 ? "mixed" : kinds.contains("VP8L") ? "lossless" : "lossy"
    return WebPLayout(compression: compression, frames: frames)
  }

  private static func bigEndian(_ bytes: [UInt8], _ at: Int) -> Int {
    (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) }
  }

  private static func littleEndian(_ bytes: [UInt8], _ at: Int) -> Int {
    (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
  }
}
