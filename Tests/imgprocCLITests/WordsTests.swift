import Foundation
import ImgprocCodecs
import ImgprocTestSupport
import Testing

/// Every word imgproc prints matches what it does: help, error lines, warnings, the report.
@Suite("What imgproc says is what it does")
struct WordsTests {
  /// A 64×48 image made by imgproc itself in `format` (`avif`, or `heic`: the same AVIF
  /// file branded HEIC, which libheif reads through the same boxes).
  static func heifFile(_ format: String, in folder: TemporaryFolder) throws -> [UInt8] {
    try folder.write(
      try Codecs.encode(Fixtures.gradient(width: 64, height: 48), .png(PNGSettings())),
      to: "made.png")
    let made = try CLIRunner.run([
      "convert", folder.path("made.png"), "-o", "-", "--variant", "t:avif",
    ])
    var bytes = Array(made.stdout)
    if format == "heic", let brand = bytes.firstRange(of: Array("avif".utf8)) {
      bytes.replaceSubrange(brand, with: Array("heic".utf8))
    }
    return bytes
  }

  @Test("convert --help names every format it reads and writes, and how CMYK is converted")
  func convertHelp() throws {
    let help = try CLIRunner.run(["convert", "--help"]).stdoutText
    let words = help.replacingOccurrences(of: "\n", with: " ")
      .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    for format in ["JPEG", "PNG", "WebP", "HEIF/HEIC", "AVIF"] {
      #expect(words.contains(format), "\(format) missing: \(help)")
    }
    #expect(words.contains("through their embedded profile"), "\(help)")
    #expect(!words.contains("without a colour profile"), "\(help)")
    #expect(words.contains("Writes JPEG, PNG, WebP and AVIF"), "\(help)")
    #expect(words.contains("FORMAT: jpeg, png, webp, avif"), "\(help)")
    let top = try CLIRunner.run(["--help"]).stdoutText
    #expect(top.contains("JPEG, PNG, WebP and AVIF"), "\(top)")
  }

  @Test(
    "an unknown output format lists the formats imgproc writes, in a recipe as on the command line")
  func unknownFormat() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      Array(#"{"name": "r", "variants": [{"name": "a", "format": "tiff"}]}"#.utf8), to: "r.json")
    let recipe = try CLIRunner.run([
      "convert", "x.jpg", "-o", "out", "--recipe", folder.path("r.json"),
    ])
    let variant = try CLIRunner.run(["convert", "x.jpg", "-o", "out", "--variant", "a:tiff"])
    for result in [recipe, variant] {
      #expect(result.status == 2)
      #expect(result.stderr.contains("(jpeg, png, webp, avif)"), "\(result.stderr)")
    }
  }

  @Test("an APNG's default image is converted with a warning, as an animated WebP's first frame")
  func apng() throws {
    let folder = try TemporaryFolder()
    let still = try Codecs.encode(Fixtures.gradient(width: 16, height: 16), .png(PNGSettings()))
    // acTL (2 frames, looping) right after IHDR: what makes a PNG an APNG (libpng skips it).
    let animation = TinyPNG.chunk("acTL", TinyPNG.be32(2) + TinyPNG.be32(0))
    try folder.write(Array(still.prefix(33)) + animation + Array(still.dropFirst(33)), to: "a.png")
    let result = try CLIRunner.run(
      ["convert", folder.path("a.png"), "-o", folder.path("out"), "--variant", "t:png"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("APNG, 2 frames): only its default image"), "\(result.stderr)")
    let plain = try CLIRunner.run(
      ["convert", "-", "-o", folder.path("plain"), "--variant", "t:png"], input: Data(still))
    #expect(!plain.stderr.contains("APNG"), "\(plain.stderr)")
  }

  @Test("--report shows a HEIC source through its largest output and links the file")
  func reportHEIC() throws {
    let folder = try TemporaryFolder()
    try folder.write(try Self.heifFile("heic", in: folder), to: "in/phone.heic")
    let result = try CLIRunner.run(
      [
        "convert", folder.path("in"), "-o", folder.path("out"), "--variant", "big:jpeg:64x64",
        "--variant", "small:jpeg:16x16", "--report", folder.path("report.html"),
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let page = try String(contentsOfFile: folder.path("report.html"), encoding: .utf8)
    let images = page.matches(of: #/<img src="([^"]+)"/#).map { String($0.1) }
    #expect(!images.contains { $0.hasSuffix(".heic") }, "\(images)")
    #expect(images.filter { $0.contains("phone_big_") }.count == 2, "\(images)")
    #expect(page.contains("browsers do not show it") && page.contains(#"href="in/phone.heic""#))
  }
}
