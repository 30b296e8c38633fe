import Foundation

/// The tiny files in `Tests/ImgprocTestSupport/Fixtures/`: images made by encoders imgproc
/// does not ship (CMYK and YCCK JPEG, arithmetic coding and restart markers, animated WebP)
/// and ICC profiles it never writes. `Fixtures/README.md` says how each was made.
public enum FixtureFiles {
  /// The folder, found from this source file (the tests run from the checkout).
  public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// The bytes of the fixture `name` (`cmyk-flat.jpg`).
  public static func bytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: folder.appendingPathComponent(name)))
  }
}

/// Streams made in code where no encoder of imgproc's would make them.
public enum Streams {
  /// `count` zero bytes as a zlib stream (RFC 1950), one fixed-Huffman deflate block of
  /// 258-byte copies at distance 1 (RFC 1951, 3.2.6): about 1/1000 of its size, as zlib's
  /// level 9 makes it. A zlib bomb for decoder tests.
  public static func zlibOfZeros(_ count: Int) -> [UInt8] {
    var bits = BitWriter()
    bits.write(1, count: 1)  // BFINAL
    bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
    var left = count
    if left > 0 {
      bits.writeCode(0b0011_0000, length: 8)  // the literal 0
      left -= 1
    }
    while left >= 3 {
      let length = min(left, 258)
      left -= length
      bits.writeLength(length)
      bits.writeCode(0, length: 5)  // distance code 0: distance 1
    }
    for _ in 0..<left { bits.writeCode(0b0011_0000, length: 8) }
    bits.writeCode(0, length: 7)  // end of block (256)
    // Adler-32 of zeros: a stays 1, b adds it once per byte.
    let check = UInt32(count % 65521) << 16 | 1
    return [0x78, 0xDA] + bits.bytes
      + (0..<4).map { UInt8(truncatingIfNeeded: check >> (24 - 8 * $0)) }
  }
}

/// Deflate's bit order: values least significant bit first, Huffman codes most significant
/// bit first.
private struct BitWriter {
  var bytes: [UInt8] = []
  private var used = 8

  mutating func write(_ value: Int, count: Int) {
    for bit in 0..<count { append((value >> bit) & 1) }
  }

  mutating func writeCode(_ code: Int, length: Int) {
    for bit in (0..<length).reversed() { append((code >> bit) & 1) }
  }

  /// A match length of 3…258 with the fixed code of its length symbol and its extra bits.
  mutating func writeLength(_ length: Int) {
    let bases = [
      3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
      131, 163, 195, 227, 258,
    ]
    let extras = [
      0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    let index = (bases.lastIndex { $0 <= length }) ?? 0
    let symbol = 257 + index
    // Symbols 256…279 are 7-bit codes from 0; 280…287 are 8-bit codes from 0b11000000.
    if symbol <= 279 {
      writeCode(symbol - 256, length: 7)
    } else {
      writeCode(0b1100_0000 + symbol - 280, length: 8)
    }
    write(length - bases[index], count: extras[index])
  }

  private mutating func append(_ bit: Int) {
    if used == 8 {
      bytes.append(0)
      used = 0
    }
    bytes[bytes.count - 1] |= UInt8(bit) << used
    used += 1
  }
}
