/// A deliberately simple PNG writer for decoder tests, independent of libpng: any colour
/// type and bit depth, optional Adam7 interlacing, tRNS, iCCP-free; IDAT uses stored
/// (uncompressed) deflate blocks and filter type 0.
public enum TinyPNG {
  /// Colour types, as the PNG spec numbers them.
  public enum ColorType: UInt8, Sendable, CaseIterable {
    case gray = 0
    case rgb = 2
    case palette = 3
    case grayAlpha = 4
    case rgba = 6

    public var channels: Int {
      switch self {
      case .gray, .palette: return 1
      case .grayAlpha: return 2
      case .rgb: return 3
      case .rgba: return 4
      }
    }
  }

  /// Encodes `samples` (`width × height × channels` values, each < 2^bitDepth) as a PNG.
  /// - Parameters:
  ///   - palette: RGB triples for `.palette`.
  ///   - transparency: the raw tRNS chunk payload, if any.
  ///   - extraChunks: (type, payload) chunks written before IDAT (or after, for `trailing`).
  public static func encode(
    width: Int, height: Int, colorType: ColorType, bitDepth: Int, samples: [Int],
    interlaced: Bool = false, palette: [UInt8] = [], transparency: [UInt8]? = nil,
    extraChunks: [(String, [UInt8])] = [], trailingChunks: [(String, [UInt8])] = []
  ) -> [UInt8] {
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    let ihdr =
      be32(width) + be32(height) + [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
    png += chunk("IHDR", ihdr)
    for (type, payload) in extraChunks { png += chunk(type, payload) }
    if colorType == .palette { png += chunk("PLTE", palette) }
    if let transparency { png += chunk("tRNS", transparency) }
    let raw =
      interlaced
      ? adam7(
        width: width, height: height, channels: colorType.channels, bitDepth: bitDepth,
        samples: samples)
      : scanlines(width: width, height: height, channels: colorType.channels, bitDepth: bitDepth) {
        samples[$0]
      }
    png += chunk("IDAT", zlibStored(raw))
    for (type, payload) in trailingChunks { png += chunk(type, payload) }
    png += chunk("IEND", [])
    return png
  }

  /// Filter-0 scanlines of a `width × height` image whose sample n is `sample(n)`.
  static func scanlines(width: Int, height: Int, channels: Int, bitDepth: Int, sample: (Int) -> Int)
    -> [UInt8]
  {
    var out: [UInt8] = []
    for y in 0..<height {
      out.append(0)
      var bits = 0
      var acc = 0
      for x in 0..<width {
        for c in 0..<channels {
          let v = sample((y * width + x) * channels + c)
          if bitDepth == 16 {
            out += [UInt8(v >> 8), UInt8(v & 0xFF)]
          } else if bitDepth == 8 {
            out.append(UInt8(v))
          } else {
            acc = acc << bitDepth | v
            bits += bitDepth
            if bits == 8 {
              out.append(UInt8(acc))
              acc = 0
              bits = 0
            }
          }
        }
      }
      if bits > 0 { out.append(UInt8(acc << (8 - bits))) }
    }
    return out
  }

  /// The seven Adam7 passes, each as its own run of scanlines.
  static func adam7(width: Int, height: Int, channels: Int, bitDepth: Int, samples: [Int])
    -> [UInt8]
  {
    let passes = [
      (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
      (0, 1, 1, 2),
    ]
    var out: [UInt8] = []
    for (x0, y0, dx, dy) in passes {
      let pw = width > x0 ? (width - x0 + dx - 1) / dx : 0
      let ph = height > y0 ? (height - y0 + dy - 1) / dy : 0
      guard pw > 0, ph > 0 else { continue }
      out += scanlines(width: pw, height: ph, channels: channels, bitDepth: bitDepth) { n in
        let c = n % channels
        let p = n / channels
        let x = x0 + (p % pw) * dx
        let y = y0 + (p / pw) * dy
        return samples[(y * width + x) * channels + c]
      }
    }
    return out
  }

  /// A zlib stream of stored (uncompressed) deflate blocks.
  public static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
      let count = min(65_535, data.count - offset)
      let final: UInt8 = offset + count == data.count ? 1 : 0
      out += [
        final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF),
        UInt8((~count >> 8) & 0xFF),
      ]
      out += data[offset..<(offset + count)]
      offset += count
    } while offset < data.count
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in data {
      a = (a + UInt32(byte)) % 65_521
      b = (b + a) % 65_521
    }
    return out + be32(Int(b << 16 | a))
  }

  /// One chunk: length, type, payload, CRC-32.
  public static func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + payload
    return be32(payload.count) + body + be32(Int(crc32(body)))
  }

  public static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return ~crc
  }

  public static func be32(_ v: Int) -> [UInt8] {
    [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
  }
}
