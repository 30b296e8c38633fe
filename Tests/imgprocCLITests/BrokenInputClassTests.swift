import Foundation
import ImgprocTestSupport
import Testing

/// Every class of broken or hostile file (`BrokenInputs`) through the built binary, a class
/// per run (`--jobs 1`): no crash, no hang, one error line per file at most (exactly one
/// where the class must fail), no partial or temporary file left, and a peak RSS within
///
///     peak RSS ≤ 64 MiB + 12 × P × 4 bytes
///
/// (the binary's own high-water mark, `--json`'s `peakMemory`), where P is the most pixels a file of the class declares and passes the pixel limit (the
/// decoder allocates them before it can find the damage), 4 bytes the widest 8-bit pixel,
/// and 12 what one source in flight may hold: the decoded image, the resize's
/// intermediate rows and a downscale per variant, the encoders' buffers, the file's bytes.
/// 64 MiB covers the binary's own footprint with its libraries and thread stacks (the
/// debug build starts near 27 MiB). Prints a table: class, files, failed,
/// peak RSS, bound, seconds.
@Suite("Broken and hostile inputs, class by class", .serialized)
struct BrokenInputClassTests {
  static let constantKiB = 64 * 1024
  static let factor = 12

  @Test("each class: bounded in time and memory, one clear line per refused file")
  func classes() throws {
    let folder = try TemporaryFolder()
    var table = ["class | files | refused | peak RSS | bound | seconds", "---|---|---|---|---|---"]
    for inputClass in try BrokenInputs.classes() {
      let slug = inputClass.name.filter { $0.isLetter || $0.isNumber }
      for file in inputClass.files { try folder.write(file.bytes, to: "\(slug)/\(file.name)") }
      let run = try CLIRunner.runBounded(
        ["convert", folder.path(slug), "-o", folder.path("out-\(slug)"), "--jobs", "1", "--json"],
        timeout: 120)
      #expect(!run.timedOut, "\(inputClass.name): no hang")
      #expect(
        run.status == 0 || run.status == 1, "\(inputClass.name): exit \(run.status)\n\(run.stderr)")
      let summary = CLIRunner.events(run.stdout).last
      let peakKiB = try #require(summary?["peakMemory"] as? Int, "\(inputClass.name)") / 1024
      let lines = run.stderr.split(separator: "\n")
      var refused = 0
      for file in inputClass.files {
        let naming = lines.filter { $0.contains("/\(slug)/\(file.name):") }
        #expect(naming.count <= 1, "\(inputClass.name)/\(file.name): \(naming)")
        if naming.count == 1 { refused += 1 }
        if inputClass.mustFail && !inputClass.mayDecode.contains(file.name) {
          #expect(naming.count == 1, "\(inputClass.name)/\(file.name) is refused: \(run.stderr)")
        }
      }
      let outputs = try folder.files(in: "out-\(slug)")
      #expect(outputs.allSatisfy { !$0.contains(".tmp") }, "\(inputClass.name): \(outputs)")
      let boundKiB = Self.constantKiB + Self.factor * inputClass.declaredPixels * 4 / 1024
      // AddressSanitizer's shadow memory and quarantine are not imgproc's: no bound there.
      #expect(
        CLIRunner.sanitized || peakKiB <= boundKiB,
        "\(inputClass.name): \(peakKiB) KiB > \(boundKiB) KiB")
      table.append(
        "\(inputClass.name) | \(inputClass.files.count) | \(refused) | \(peakKiB / 1024) MiB | \(boundKiB / 1024) MiB | \(String(format: "%.1f", run.seconds))"
      )
    }
    print(table.joined(separator: "\n"))
  }
}
