import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@testable import ImgprocPipeline

/// The time budget of one source: the estimate from its header, and what is refused before
/// anything is decoded.
@Suite("A source's time budget")
struct TimeBudgetTests {
  static func budget(left: Duration, whole: Duration, cpuShare: Double = 1) -> TimeBudget {
    TimeBudget(
      deadline: .now + left, whole: whole, decodeMillisecondsPerMegapixel: 30,
      encodeMillisecondsPerMegapixel: 10, cpuShare: cpuShare)
  }

  @Test("the estimate: decoded megapixels, encoded megapixels by format cost, the core's share")
  func estimate() {
    let budget = Self.budget(left: .seconds(10), whole: .seconds(10), cpuShare: 0.5)
    // 30 ms for 1 MP decoded; 10 ms for 1 MP of JPEG, 100 ms for 1 MP of PNG; at half a core.
    #expect(
      budget.estimate(sourcePixels: 1e6, outputs: [(1e6, .jpeg), (1e6, .png)])
        == .milliseconds(280))
  }

  @Test("work that fits starts; what a whole budget holds is a transient refusal; else permanent")
  func check() throws {
    let budget = Self.budget(left: .seconds(2), whole: .seconds(10))
    try budget.check(.seconds(1))
    #expect {
      try budget.check(.seconds(5))
    } throws: { error in
      (error as? PipelineError)?.code == .notEnoughTime(transient: true)
        && (error as? PipelineError)?.isTransient == true
    }
    #expect {
      try budget.check(.seconds(20))
    } throws: { error in
      (error as? PipelineError)?.code == .notEnoughTime(transient: false)
        && (error as? PipelineError)?.hint?.contains("timeout or memory_size") == true
    }
  }

  @Test("a source over its budget is refused from its header, before anything is decoded")
  func refusedBeforeDecoding() throws {
    let jpeg = try Codecs.encode(
      Fixtures.noise(width: 1200, height: 800), .jpeg(JPEGSettings(quality: 85)))
    // The header and a little data: a decode would fail as damaged.
    let truncated = Array(jpeg.prefix(jpeg.count / 4))
    var settings = RenderSettings()
    settings.timeBudget = Self.budget(left: .milliseconds(1), whole: .seconds(60))
    #expect {
      _ = try ImageRenderer.prepare(
        truncated, variants: Recipe.standard.variants, settings: settings)
    } throws: { error in
      (error as? PipelineError)?.code == .notEnoughTime(transient: true)
    }
    settings.timeBudget = Self.budget(left: .seconds(60), whole: .seconds(60))
    #expect(
      try ImageRenderer.render(jpeg, variants: Recipe.standard.variants, settings: settings)
        .outputs.count == 5)
  }
}
