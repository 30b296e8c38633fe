import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("SSIM")
struct SimilarityTests {
  @Test("identical images score 1; more damage scores lower; other sizes have none")
  func ordering() throws {
    let image = Fixtures.gradient(width: 64, height: 48)
    #expect(Similarity.ssim(image, image) == 1)
    let noise = Fixtures.noise(width: 64, height: 48, seed: 4)
    let light = Fixtures.make(width: 64, height: 48, layout: .rgb, depth: .eight) { x, y, c in
      Double(image.sample(x: x, y: y, channel: c)) / 255
        + (Double(noise.sample(x: x, y: y, channel: c)) / 255 - 0.5) * 0.04
    }
    let heavy = Fixtures.make(width: 64, height: 48, layout: .rgb, depth: .eight) { x, y, c in
      Double(image.sample(x: x, y: y, channel: c)) / 255
        + (Double(noise.sample(x: x, y: y, channel: c)) / 255 - 0.5) * 0.4
    }
    let slight = try #require(Similarity.ssim(image, light))
    let strong = try #require(Similarity.ssim(image, heavy))
    #expect(slight < 1 && strong < slight && strong > -1, "\(slight) \(strong)")
    #expect(Similarity.ssim(image, Fixtures.gradient(width: 63, height: 48)) == nil)
    let gray16 = Fixtures.gradient(width: 20, height: 20, layout: .gray, depth: .sixteen)
    #expect(Similarity.ssim(gray16, gray16) == 1)
  }
}
