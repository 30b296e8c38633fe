/// Ways to damage a valid encoded file, applied at test time.
public enum Damage {
  /// The first `fraction` of the bytes.
  public static func truncated(_ bytes: [UInt8], keeping fraction: Double) -> [UInt8] {
    Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
  }

  /// `bytes` with the bit `bit` of byte `offset` inverted.
  public static func flipped(_ bytes: [UInt8], at offset: Int, bit: Int = 0) -> [UInt8] {
    var copy = bytes
    copy[offset] ^= UInt8(1 << bit)
    return copy
  }

  /// A PNG whose IHDR claims `width × height` (with a valid CRC), followed by nothing useful.
  public static func pngHeader(width: Int, height: Int) -> [UInt8] {
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
      + TinyPNG.chunk("IHDR", TinyPNG.be32(width) + TinyPNG.be32(height) + [8, 2, 0, 0, 0])
      + TinyPNG.chunk("IDAT", TinyPNG.zlibStored([0, 1, 2, 3]))
      + TinyPNG.chunk("IEND", [])
  }

  /// A JPEG with its frame header (SOF0/SOF2) rewritten to claim `width × height`.
  public static func jpegClaiming(_ jpeg: [UInt8], width: Int, height: Int) -> [UInt8] {
    var copy = jpeg
    var i = 2
    while i + 9 < copy.count {
      guard copy[i] == 0xFF else { break }
      let marker = copy[i + 1]
      let length = Int(copy[i + 2]) << 8 | Int(copy[i + 3])
      if marker == 0xC0 || marker == 0xC1 || marker == 0xC2 {
        copy[i + 5] = UInt8(height >> 8)
        copy[i + 6] = UInt8(height & 0xFF)
        copy[i + 7] = UInt8(width >> 8)
        copy[i + 8] = UInt8(width & 0xFF)
        return copy
      }
      i += 2 + length
    }
    return copy
  }
}

/// A deterministic random number generator (xorshift64*): the same seed gives the same
/// damage, the same kill points, on every machine.
public struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

  public mutating func next() -> UInt64 {
    state ^= state >> 12
    state ^= state << 25
    state ^= state >> 27
    return state &* 0x2545_F491_4F6C_DD1D
  }
}
