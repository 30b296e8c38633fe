import Foundation
import ImgprocCodecs
import ImgprocTestSupport
import Testing

/// PNGs that Chrome, Pillow and libvips show, though damaged where no pixel is lost, are
/// converted with one warning; damage that loses pixels still fails by default.
@Suite("Damaged PNGs that browsers show")
struct TolerantPNGTests {
  static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// A 4×4 PNG of `colorType` (2: RGB, 3: palette) with `before` chunks ahead of its image
  /// data, `idatTail` bytes after the zlib stream inside IDAT, and `end` in place of IEND.
  static func png(
    colorType: UInt8 = 2, before: [[UInt8]] = [], idatTail: [UInt8] = [],
    end: [UInt8] = TinyPNG.chunk("IEND", [])
  ) -> [UInt8] {
    var rows: [UInt8] = []
    for y in 0..<4 {
      rows.append(0)
      for x in 0..<4 {
        if colorType == 3 {
          rows.append(UInt8((x + y) % 2))
        } else {
          rows += [UInt8(x * 60), UInt8(y * 60), 100]
        }
      }
    }
    var header: [UInt8] = TinyPNG.be32(4) + TinyPNG.be32(4)
    header += [8, colorType, 0, 0, 0]
    var file = signature + TinyPNG.chunk("IHDR", header)
    if colorType == 3 { file += TinyPNG.chunk("PLTE", [0, 0, 0, 255, 255, 255]) }
    for chunk in before { file += chunk }
    file += TinyPNG.chunk("IDAT", TinyPNG.zlibStored(rows) + idatTail)
    return file + end
  }

  /// A chunk whose CRC is wrong.
  static func badCRC(_ type: String, _ payload: [UInt8]) -> [UInt8] {
    var chunk = TinyPNG.chunk(type, payload)
    chunk[chunk.count - 1] ^= 1
    return chunk
  }

  static let iccName = Array("icc".utf8) + [0, 0]

  static let cases: [(name: String, bytes: [UInt8], says: String)] = [
    (
      "iccp-crc.png", png(before: [badCRC("iCCP", iccName + TinyPNG.zlibStored([1, 2, 3]))]),
      "ICC profile"
    ),
    (
      "iccp-zlib.png", png(before: [TinyPNG.chunk("iCCP", iccName + Array("not zlib".utf8))]),
      "ICC profile"
    ),
    (
      "trns-range.png", png(before: [TinyPNG.chunk("tRNS", [1, 44, 0, 2, 0, 3])]),
      "tRNS"
    ),
    (
      "trns-palette.png",
      png(colorType: 3, before: [TinyPNG.chunk("tRNS", [0, 128, 255, 255, 255])]),
      "tRNS"
    ),
    ("idat-extra.png", png(idatTail: Array("extra".utf8)), "Extra compressed data"),
    ("iend-crc.png", png(end: badCRC("IEND", [])), "after the complete image"),
    ("no-iend.png", png(end: []), "after the complete image"),
  ]

  @Test("converted by default, with one warning line naming the damage", arguments: cases.indices)
  func converted(index: Int) throws {
    let (name, bytes, says) = Self.cases[index]
    let folder = try TemporaryFolder()
    try folder.write(bytes, to: name)
    let result = try CLIRunner.run(
      ["convert", folder.path(name), "-o", folder.path("out"), "--variant", "t:png:4x4"])
    #expect(result.status == 0, "\(name): \(result.stderr)")
    let lines = result.stderr.split(separator: "\n").filter { $0.contains("warning") }
    #expect(lines.count == 1 && lines[0].contains(says), "\(name): \(result.stderr)")
    #expect(try folder.files(in: "out").count == 1)
    let json = try CLIRunner.run(
      ["convert", folder.path(name), "-o", folder.path("json"), "--variant", "t:png:4x4", "--json"])
    #expect(json.stdoutText.contains("\"event\":\"warning\""), "\(name): \(json.stdoutText)")
  }

  @Test("a bad ICC profile is dropped: the output carries none")
  func profileDropped() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.cases[0].bytes, to: "in.png")
    let result = try CLIRunner.run(
      [
        "convert", folder.path("in.png"), "-o", folder.path("out"), "--variant", "t:png:4x4",
        "--keep", "icc",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let output = try #require(try folder.files(in: "out").first)
    let bytes = Array(try Data(contentsOf: folder.url.appendingPathComponent("out/" + output)))
    let header = try Codecs.probe(bytes)
    #expect(header.metadata.icc == nil)
  }

  @Test("image data cut short still fails by default, and decodes with --fail-on error")
  func pixelsLost() throws {
    let folder = try TemporaryFolder()
    let whole = Self.png()
    // Cut inside the image data: IEND (12 bytes), IDAT's CRC (4) and 30 bytes of rows go.
    try folder.write(Array(whole.prefix(whole.count - 12 - 4 - 30)), to: "cut.png")
    let strict = try CLIRunner.run(["convert", folder.path("cut.png"), "-o", folder.path("out")])
    #expect(strict.status == 1 && strict.stderr.contains("--fail-on error"), "\(strict.stderr)")
    let tolerant = try CLIRunner.run(
      ["convert", folder.path("cut.png"), "-o", folder.path("out"), "--fail-on", "error"])
    #expect(tolerant.status == 0 && tolerant.stderr.contains("warning"), "\(tolerant.stderr)")
  }
}
