import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("imgproc convert, run as a user runs it")
struct ConvertCommandTests {
  @Test("the default recipe makes five variants per image, named by what made them")
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
    func named(_ variant: String, _ ext: String) -> String? {
      files.first {
        $0.hasPrefix("photo_\(variant)_") && $0.hasSuffix(".\(ext)")
          && $0.dropFirst("photo_\(variant)_".count).dropLast(ext.count + 1).count == 8
      }
    }
    let names = [
      named("compressed", "jpg"), named("low", "jpg"), named("thumbnail", "jpg"),
      named("webp", "webp"), named("png", "png"),
    ].compactMap { $0 }
    #expect(names.count == 5, "\(files)")
    let thumbName = try #require(named("thumbnail", "jpg"))
    let thumb = try Codecs.decode(
      Array(Data(contentsOf: folder.url.appendingPathComponent("out/" + thumbName))))
    #expect(thumb.image.width == 300 && thumb.image.height == 225)
    // The hash is the identity of source and settings: the same again gives the same names…
    let again = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("again")])
    let againFiles = try folder.files(in: "again")
    #expect(again.status == 0 && againFiles == files)
    // …another source gives other names, even with the same file name.
    try folder.write(
      try Codecs.encode(
        Fixtures.gradient(width: 640, height: 480), .jpeg(JPEGSettings(quality: 89))),
      to: "other/photo.jpg")
    _ = try CLIRunner.run(["convert", folder.path("other"), "-o", folder.path("other-out")])
    let other = try folder.files(in: "other-out")
    #expect(other.count == 5 && Set(other).isDisjoint(with: files), "\(other)")
  }

  @Test("changed settings make new outputs; the old ones are reported, never 'up to date'")
  func changedSettings() throws {
    let folder = try TemporaryFolder()
    let jpeg = try Codecs.encode(
      Fixtures.gradient(width: 640, height: 480), .jpeg(JPEGSettings(quality: 90)))
    try folder.write(jpeg, to: "a.jpg")
    let first = try CLIRunner.run([
      "convert", folder.path("a.jpg"), "-o", folder.path("out"), "--variant", "t:jpeg:100x100",
    ])
    #expect(first.status == 0, "\(first.stderr)")
    let old = try #require(try folder.files(in: "out").first)
    let second = try CLIRunner.run([
      "convert", folder.path("a.jpg"), "-o", folder.path("out"), "--variant",
      "t:jpeg:50x50:q=10", "--json",
    ])
    #expect(second.status == 0, "\(second.stderr)")
    let events = CLIRunner.events(second.stdoutText)
    #expect(!events.contains { $0["event"] as? String == "up-to-date" })
    let written = try #require(events.first { $0["event"] as? String == "output" })
    #expect(written["width"] as? Int == 50 && written["height"] as? Int == 38)
    let reported = events.filter { $0["event"] as? String == "other-version" }
    #expect(reported.count == 1 && (reported.first?["path"] as? String)?.hasSuffix(old) == true)
    let both = try folder.files(in: "out")
    #expect(both.count == 2)
    // The same settings again: nothing to do.
    let third = try CLIRunner.run([
      "convert", folder.path("a.jpg"), "-o", folder.path("out"), "--variant",
      "t:jpeg:50x50:q=10", "--json",
    ])
    #expect(third.stdoutText.contains("\"up-to-date\""))
    #expect(!third.stdoutText.contains("\"output\""))
  }

  @Test("--delete deletes the other versions convert names; without it they stay")
  func deleteOtherVersions() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      try Codecs.encode(Fixtures.gradient(width: 64, height: 48), .png(PNGSettings())),
      to: "in/x.png")
    let run = { (quality: Int, extra: [String]) in
      try CLIRunner.run(
        ["convert", folder.path("in"), "-o", folder.path("out"), "--json"]
          + ["--variant", "t:jpeg:32x32:q=\(quality)"] + extra)
    }
    _ = try run(80, [])
    let kept = try run(60, [])
    #expect(kept.stdoutText.contains("\"removed\":false"), "\(kept.stdoutText)")
    #expect(try folder.files(in: "out").count == 2)
    let deleted = try run(40, ["--delete"])
    #expect(deleted.status == 0, "\(deleted.stderr)")
    #expect(deleted.stdoutText.contains("\"removed\":2"), "\(deleted.stdoutText)")
    #expect(try folder.files(in: "out").count == 1)
    let refused = try CLIRunner.run(
      ["convert", folder.path("in/x.png"), "-o", "-", "--variant", "t:jpeg:32x32", "--delete"])
    #expect(refused.status == 2 && refused.stderr.contains("--delete"), "\(refused.stderr)")
  }

  @Test("other versions are a source's own, by its record: x.png's outputs are not x.jpg's")
  func otherVersionsBySource() throws {
    let folder = try TemporaryFolder()
    let image = Fixtures.gradient(width: 64, height: 48)
    try folder.write(try Codecs.encode(image, .jpeg(JPEGSettings(quality: 90))), to: "in/x.jpg")
    try folder.write(try Codecs.encode(image, .png(PNGSettings())), to: "in/x.png")
    let variant = ["--variant", "t:jpeg:32x32", "--json"]
    let both = try CLIRunner.run(
      ["convert", folder.path("in"), "-o", folder.path("out")] + variant)
    #expect(both.status == 0, "\(both.stderr)")
    #expect(try folder.files(in: "out").count == 2)
    // x.jpg alone: x.png's output is nobody's other version.
    let alone = try CLIRunner.run(
      ["convert", folder.path("in/x.jpg"), "-o", folder.path("out")] + variant)
    #expect(alone.status == 0, "\(alone.stderr)")
    #expect(!alone.stdoutText.contains("\"other-version\""), "\(alone.stdoutText)")
    #expect(alone.stdoutText.contains("\"otherVersions\":0"))
    // x.jpg with other settings: its own earlier output is, and only it.
    let changed = try CLIRunner.run(
      [
        "convert", folder.path("in/x.jpg"), "-o", folder.path("out"), "--variant",
        "t:jpeg:32x32:q=20", "--json",
      ])
    let reported = changed.stdoutText.split(separator: "\n").filter {
      $0.contains("\"other-version\"")
    }
    #expect(reported.count == 1 && reported[0].contains("x_t_"), "\(changed.stdoutText)")
    // The one reported is x.jpg's first output, not x.png's.
    func output(of source: String, in run: CLIRunner.Result) throws -> String {
      let line = try #require(
        run.stdoutText.split(separator: "\n").first {
          $0.contains("\"event\":\"output\"") && $0.contains(source)
        })
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      return try #require(object["path"] as? String)
    }
    #expect(reported[0].contains(try output(of: "in/x.jpg", in: both)))
    #expect(!reported[0].contains(try output(of: "in/x.png", in: both)))
  }
}
