import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("imgproc convert, run as a user runs it")
struct ConvertCommandTests {
  @Test("the default recipe makes five variants per image, named by hash")
  func defaultRecipe() throws {
    let folder = try TemporaryFolder()
    let jpeg = try Codecs.encode(
      Fixtures.gradient(width: 640, height: 480), .jpeg(JPEGSettings(quality: 90)))
    let png = try Codecs.encode(
      Fixtures.gradient(width: 200, height: 300, layout: .rgba), .png(PNGSettings()))
    try folder.write(jpeg, to: "in/photo.jpg")
    try folder.write(png, to: "in/logo.png")
    let result = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("out")])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try folder.files(in: "out")
    #expect(files.count == 10)
    let hash = OutputNamingProbe.hash(jpeg)
    for variant in ["compressed", "low", "thumbnail"] {
      #expect(files.contains("photo_\(variant)_\(hash).jpg"))
    }
    #expect(files.contains("photo_webp_\(hash).webp"))
    #expect(files.contains("photo_png_\(hash).png"))
    let thumb = try Codecs.decode(
      Array(Data(contentsOf: folder.url.appendingPathComponent("out/photo_thumbnail_\(hash).jpg"))))
    #expect(thumb.image.width == 300 && thumb.image.height == 225)
  }
}

/// The hash rule as documented: first 8 hex digits of the SHA-256 of the source bytes,
/// computed here with the system's `sha256sum` so the test does not trust the code under test.
enum OutputNamingProbe {
  static func hash(_ bytes: [UInt8]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    guard (try? process.run()) != nil else { return "sha256sum-missing" }
    input.fileHandleForWriting.write(Data(bytes))
    try? input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(8))
  }
}
