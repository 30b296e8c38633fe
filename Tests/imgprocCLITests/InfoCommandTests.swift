import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

/// `imgproc info`, run as the built binary on files made here.
@Suite("imgproc info: headers only, one line or one JSON object per file")
struct InfoCommandTests {
  /// A folder of fixtures, removed by the caller.
  static func folder(_ files: [String: [UInt8]]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "info-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
    return folder
  }

  static func objects(_ result: CLIRunner.Result) throws -> [String: [String: Any]] {
    var byFile: [String: [String: Any]] = [:]
    for line in result.stdoutText.split(separator: "\n") {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
      byFile[object["file"] as? String ?? ""] = object
    }
    return byFile
  }

  @Test("--json: every line parses; JPEG, PNG and WebP details are right")
  func json() throws {
    let photo = Fixtures.gradient(width: 120, height: 80)
    let profile = ColorManagement.rgbProfile(
      white: (0.3127, 0.3290), red: (0.680, 0.320), green: (0.265, 0.690), blue: (0.150, 0.060),
      description: "imgproc test RGB")
    let jpeg = try Codecs.encode(
      photo, .jpeg(JPEGSettings(quality: 73, progressive: true, subsampling: .s420)),
      metadata: ImageMetadata(icc: profile, exif: Fixtures.exif(orientation: 6)))
    let png = try Codecs.encode(
      Fixtures.gradient(width: 30, height: 20, layout: .rgba, depth: .sixteen),
      .png(PNGSettings()))
    let webp = try FixtureFiles.bytes("animated.webp")
    let folder = try Self.folder(["a.jpg": jpeg, "b.png": png, "c.webp": webp])
    defer { try? FileManager.default.removeItem(at: folder) }

    let result = try CLIRunner.run(["info", "--json", "a.jpg", "b.png", "c.webp"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let objects = try Self.objects(result)
    #expect(objects.count == 3)
    let a = try #require(objects["a.jpg"])
    #expect(a["format"] as? String == "jpeg" && a["width"] as? Int == 120)
    #expect(a["height"] as? Int == 80 && a["colorType"] as? String == "YCbCr")
    #expect(a["progressive"] as? Bool == true && a["chromaSubsampling"] as? String == "4:2:0")
    #expect(a["estimatedQuality"] as? Int == 73 && a["orientation"] as? Int == 6)
    #expect(a["iccDescription"] as? String == "imgproc test RGB")
    #expect(a["iccBytes"] as? Int == profile.count && a["fileBytes"] as? Int == jpeg.count)
    #expect(a["decodedBytes"] as? Int == 120 * 80 * 3)
    let b = try #require(objects["b.png"])
    #expect(b["bitDepth"] as? Int == 16 && b["colorType"] as? String == "RGBA")
    #expect(b["interlaced"] as? Bool == false && b["decodedBytes"] as? Int == 30 * 20 * 8)
    let c = try #require(objects["c.webp"])
    #expect(c["animated"] as? Bool == true && c["frames"] as? Int == 3)
    #expect(c["compression"] as? String == "lossless")
  }

  @Test("a line per file for people; a bad file is one line on stderr, exit 1, the rest told")
  func lines() throws {
    let png = try Codecs.encode(Fixtures.gradient(width: 40, height: 30), .png(PNGSettings()))
    let folder = try Self.folder(["good.png": png, "notes.txt": Array("hello".utf8)])
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLIRunner.run(["info", "notes.txt", "good.png", "missing.jpg"], in: folder)
    #expect(result.status == 1)
    #expect(
      result.stdoutText == "good.png: png 40×30, RGB, 8-bit, 3 channels decoded, "
        + "\(png.count) bytes file, decodes to 3.5 KiB\n")
    let errors = result.stderr.split(separator: "\n")
    #expect(errors.count == 2, "\(result.stderr)")
    #expect(errors.first?.hasPrefix("imgproc: notes.txt: not an image") == true)
    #expect(errors.last?.hasPrefix("imgproc: missing.jpg: ") == true)
  }

  @Test(
    "headers only: a 40000×40000 PNG that would take 4.8 GB decoded is described under a 1 GiB limit"
  )
  func headersOnly() throws {
    // A signature, an IHDR and the first two bytes of an IDAT: the pixels never exist.
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
      let body = Array(type.utf8) + data
      let crc = Self.crc32(body)
      return Self.bigEndian(UInt32(data.count)) + body + Self.bigEndian(crc)
    }
    let file: [UInt8] =
      [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
      + chunk("IHDR", Self.bigEndian(40_000) + Self.bigEndian(40_000) + [8, 2, 0, 0, 0])
      + chunk("IDAT", [0x78, 0x9C])
    let folder = try Self.folder(["huge.png": file])
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLIRunner.run(
      ["info", "--json", "huge.png"], in: folder, addressSpaceMiB: 1024)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try Self.objects(result)["huge.png"])
    #expect(object["width"] as? Int == 40_000 && object["decodedBytes"] as? Int == 4_800_000_000)
  }

  @Test("pipelines both ways: imgproc convert - -o - | imgproc info -")
  func pipeline() throws {
    let png = try Codecs.encode(Fixtures.gradient(width: 64, height: 48), .png(PNGSettings()))
    let result = try CLIRunner.run(
      ["-c", "\"$0\" convert - --variant w:webp:q=80 -o - | \"$0\" info --json -"],
      input: Data(png), shell: true)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try Self.objects(result)["-"])
    #expect(object["format"] as? String == "webp" && object["compression"] as? String == "lossy")
    #expect(object["width"] as? Int == 64 && object["height"] as? Int == 48)
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  @Test("info reads pipes and devices as convert does: /dev/stdin, a process substitution")
  func pipes() throws {
    let jpeg = try Codecs.encode(Fixtures.gradient(width: 40, height: 30), .jpeg(JPEGSettings()))
    let piped = try CLIRunner.run(["info", "--json", "/dev/stdin"], input: Data(jpeg))
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stdoutText.contains("\"width\":40"), "\(piped.stdoutText)")
    let folder = try TemporaryFolder()
    try folder.write(jpeg, to: "a.jpg")
    let substituted = try CLIRunner.run(
      ["-c", "bash -c '\"$0\" info <(cat a.jpg)' \"$0\""], in: folder.url, shell: true)
    #expect(
      substituted.status == 0 && substituted.stdoutText.contains("40×30"), "\(substituted.stderr)")
    let folderGiven = try CLIRunner.run(["info", folder.path("")])
    #expect(folderGiven.status == 1 && folderGiven.stderr.contains("is a directory"))
  }

  @Test("a truncated AVIF or HEIC is one error line, with no blank line after it")
  func truncatedHEIF() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      try Codecs.encode(Fixtures.gradient(width: 64, height: 48), .png(PNGSettings())),
      to: "in.png")
    for format in ["avif", "heif"] {
      let made = try CLIRunner.run([
        "convert", folder.path("in.png"), "-o", "-", "--variant",
        "t:\(format == "heif" ? "avif" : format)",
      ])
      var bytes = Array(made.stdout)
      #expect(made.status == 0 && bytes.count > 300, "\(made.stderr)")
      if format == "heif" {
        // The same file, branded HEIC: libheif reads both through the same boxes.
        guard
          let brand = bytes.indices.dropLast(4).first(where: {
            bytes[$0..<($0 + 4)].elementsEqual("avif".utf8)
          })
        else { continue }
        bytes.replaceSubrange(brand..<(brand + 4), with: Array("heic".utf8))
      }
      try folder.write(Array(bytes.prefix(300)), to: "cut.\(format)")
      let result = try CLIRunner.run(["info", folder.path("cut.\(format)")])
      #expect(result.status == 1, "\(format)")
      #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr.debugDescription)")
    }
  }
}
