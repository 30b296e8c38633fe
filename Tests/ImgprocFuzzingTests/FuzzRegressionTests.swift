import Foundation
import ImgprocCodecs
import ImgprocFuzzing
import ImgprocTestSupport
import Testing

/// Every fuzz target on its seeds, on damaged copies of them, and on every input a fuzzing
/// run found (Findings/TARGET/*, saved by scripts/fuzz.sh): each must return, whatever it
/// is given. A crash here is a regression.
@Suite("fuzz targets replay their seeds and findings")
struct FuzzRegressionTests {
  static let findings = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Findings")

  @Test("every target has seeds, and returns on each of them", arguments: FuzzTarget.allCases)
  func seeds(target: FuzzTarget) {
    let seeds = FuzzSeeds.seeds(for: target)
    #if HEIF
    #expect(!seeds.isEmpty)
    #else
    #expect(!seeds.isEmpty || target == .heif)
    #endif
    for seed in seeds { target.run(seed.bytes) }
  }

  @Test("the image seeds decode: the fuzzer starts from valid files")
  func seedsAreValid() throws {
    for seed in FuzzSeeds.seeds(for: .info) {
      #expect(throws: Never.self, "\(seed.name)") { _ = try Codecs.decode(seed.bytes) }
    }
  }

  @Test("damaged seeds: truncated at every 1/16, bit flips", arguments: FuzzTarget.allCases)
  func damagedSeeds(target: FuzzTarget) {
    var generator = SeededGenerator(seed: 13)
    for seed in FuzzSeeds.seeds(for: target) {
      for sixteenth in 1..<16 {
        target.run(Array(seed.bytes.prefix(seed.bytes.count * sixteenth / 16)))
      }
      for _ in 0..<8 {
        var flipped = seed.bytes
        for _ in 0..<4 {
          let index = Int.random(in: 0..<flipped.count, using: &generator)
          flipped[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
        }
        target.run(flipped)
      }
    }
  }

  @Test("every saved finding returns")
  func findings() throws {
    // The folder is committed with its findings: a missing or empty one would replay nothing.
    let folders = try FileManager.default.contentsOfDirectory(atPath: Self.findings.path)
    var replayed = 0
    for folder in folders where !folder.hasPrefix(".") {
      let target = try #require(FuzzTarget(rawValue: folder), "Findings/\(folder) names a target")
      let folderURL = Self.findings.appendingPathComponent(folder)
      for name in try FileManager.default.contentsOfDirectory(atPath: folderURL.path) {
        let data = try Data(contentsOf: folderURL.appendingPathComponent(name))
        target.run(Array(data))
        replayed += 1
      }
    }
    #expect(replayed > 0, "Findings/ holds the saved findings")
  }
}
