import ImgprocCore

/// Synthetic images for tests, generated in code so every fixture has a known origin.
public enum Fixtures {
  /// A smooth diagonal gradient; each channel ramps differently.
  public static func gradient(
    width: Int, height: Int, layout: PixelLayout = .rgb, depth: SampleDepth = .eight
  ) -> Image {
    make(width: width, height: height, layout: layout, depth: depth) { x, y, c in
      let fx = Double(x) / Double(max(width - 1, 1))
      let fy = Double(y) / Double(max(height - 1, 1))
      switch c {
      case 0: return fx
      case 1: return fy
      case 2: return (fx + fy) / 2
      default: return 1 - fx * 0.8
      }
    }
  }

  /// Alternating cells of `cell` pixels: black/white (catches phase and centring errors).
  public static func checkerboard(
    width: Int, height: Int, cell: Int = 1, layout: PixelLayout = .rgb
  )
    -> Image
  {
    make(width: width, height: height, layout: layout, depth: .eight) { x, y, c in
      if layout.hasAlpha && c == layout.channels - 1 { return 1 }
      return (x / cell + y / cell) % 2 == 0 ? 1 : 0
    }
  }

  /// Seeded uniform noise (deterministic): the hardest case for codecs and resamplers.
  public static func noise(
    width: Int, height: Int, layout: PixelLayout = .rgb, depth: SampleDepth = .eight,
    seed: UInt64 = 1
  ) -> Image {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return make(width: width, height: height, layout: layout, depth: depth) { _, _, _ in
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Double(state % 65_536) / 65_535
    }
  }

  /// An image whose every pixel differs: value = index of the pixel (mod the sample range),
  /// so any transposition or flip is detectable.
  public static func numbered(width: Int, height: Int, layout: PixelLayout = .gray) -> Image {
    make(width: width, height: height, layout: layout, depth: .eight) { x, y, c in
      Double(((y * width + x) * 7 + c * 50) % 256) / 255
    }
  }

  /// Builds an image from `value(x, y, channel)` in 0...1.
  public static func make(
    width: Int, height: Int, layout: PixelLayout, depth: SampleDepth,
    _ value: (Int, Int, Int) -> Double
  ) -> Image {
    let channels = layout.channels
    let maxValue = Double(depth.maxValue)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(width * height * channels * depth.bytes)
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          let v = Int((min(max(value(x, y, c), 0), 1) * maxValue).rounded())
          if depth == .eight {
            bytes.append(UInt8(v))
          } else {
            withUnsafeBytes(of: UInt16(v)) { bytes.append(contentsOf: $0) }
          }
        }
      }
    }
    // The geometry is built right here; a failure is a bug in the test itself.
    guard
      let image = try? Image(
        width: width, height: height, layout: layout, depth: depth, pixels: bytes)
    else { preconditionFailure("fixture of \(width)×\(height) could not be built") }
    return image
  }

  /// A small but structurally valid ICC profile (v2, display class) describing `space`
  /// ("RGB ", "GRAY", "CMYK"), with one `cprt` text tag. Its bytes are unique per `tag`.
  /// The text is padded with 96 pseudo-random letters: libpng 1.6 drops an iCCP chunk whose
  /// compressed data is tiny ("too short"), which real profiles never are.
  public static func iccProfile(space: String = "RGB ", tag: String = "imgproc test") -> [UInt8] {
    var seed = UInt64(truncatingIfNeeded: tag.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }) | 1
    let padding: [UInt8] = (0..<96).map { _ in
      seed ^= seed << 13
      seed ^= seed >> 7
      seed ^= seed << 17
      return UInt8(65 + seed % 26)
    }
    let text = Array(tag.utf8) + [32] + padding + [0]
    let tagData: [UInt8] = Array("text".utf8) + [0, 0, 0, 0] + text
    let tagOffset = 128 + 4 + 12
    let size = tagOffset + tagData.count
    var profile = [UInt8](repeating: 0, count: 128)
    func put32(_ value: Int, at offset: Int, in bytes: inout [UInt8]) {
      for i in 0..<4 { bytes[offset + i] = UInt8((value >> (24 - 8 * i)) & 0xFF) }
    }
    func put(_ string: String, at offset: Int, in bytes: inout [UInt8]) {
      for (i, b) in string.utf8.enumerated() { bytes[offset + i] = b }
    }
    put32(size, at: 0, in: &profile)
    put("none", at: 4, in: &profile)
    profile[8] = 2
    profile[9] = 0x10
    put("mntr", at: 12, in: &profile)
    put(space, at: 16, in: &profile)
    put("XYZ ", at: 20, in: &profile)
    put("acsp", at: 36, in: &profile)
    // D50 illuminant, as required: X 0.9642, Y 1.0, Z 0.8249 in s15Fixed16.
    put32(0x0000_F6D6, at: 68, in: &profile)
    put32(0x0001_0000, at: 72, in: &profile)
    put32(0x0000_D32D, at: 76, in: &profile)
    var table = [UInt8](repeating: 0, count: 16)
    put32(1, at: 0, in: &table)
    put("cprt", at: 4, in: &table)
    put32(tagOffset, at: 8, in: &table)
    put32(tagData.count, at: 12, in: &table)
    return profile + table + tagData
  }

  /// EXIF (TIFF, little- or big-endian) holding only IFD0 with an Orientation tag.
  public static func exif(orientation: Int, bigEndian: Bool = false) -> [UInt8] {
    func u16(_ v: Int) -> [UInt8] {
      bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
    }
    func u32(_ v: Int) -> [UInt8] {
      bigEndian ? u16(v >> 16) + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16)
    }
    let header: [UInt8] = (bigEndian ? Array("MM".utf8) : Array("II".utf8)) + u16(42) + u32(8)
    let entry = u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0)
    return header + u16(1) + entry + u32(0)
  }
}
