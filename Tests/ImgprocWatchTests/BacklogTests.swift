import Foundation
import ImgprocJobs
import ImgprocPipeline
import ImgprocTestSupport
import Synchronization
import Testing

@testable import ImgprocWatch

/// A first run over a folder bigger than the backlog: the start scan waits for room instead
/// of handing every file on at once (which, at 100,000 files, held them all in memory).
@Suite("watch's start scan runs at most its backlog ahead of the engine")
struct BacklogTests {
  @Test("24 files, a backlog of 4: never more than 4 (+1 being decided) on hand, all converted")
  func boundedBacklog() async throws {
    let folder = try TemporaryFolder()
    let source = folder.path("in")
    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    for index in 0..<24 {
      let png = TinyPNG.encode(
        width: 8, height: 8, colorType: .gray, bitDepth: 8,
        samples: (0..<64).map { ($0 * 3 + index) % 256 })
      try Data(png).write(to: URL(fileURLWithPath: source + "/\(index).png"))
    }
    var job = WatchJob(
      folder: source, output: .folder(folder.path("out")),
      configuration: EngineConfiguration(
        settings: RenderSettings(), naming: try OutputNaming(variantCount: 5), jobs: 2))
    job.once = true
    job.settle = .milliseconds(20)
    job.backlog = 4
    job.journal = folder.path("journal.jsonl")
    let session = Mutex<WatchSession?>(nil)
    let peak = Atomic(0)
    let running = Atomic(true)
    // Looked at every millisecond, apart from the scan's own check.
    let sampler = Task.detached {
      while running.load(ordering: .relaxed) {
        if let backlog = session.withLock({ $0?.backlog }) {
          peak.max(backlog, ordering: .relaxed)
        }
        try? await Task.sleep(for: .milliseconds(1))
      }
    }
    let summary = try await job.run(
      reporter: NoReporter(), observing: { started in session.withLock { $0 = started } })
    running.store(false, ordering: .relaxed)
    await sampler.value
    #expect(summary.converted == 24)
    #expect(peak.load(ordering: .relaxed) >= 1, "the sampler saw the scan at work")
    // The one `decide` is handing to the engine may be counted twice.
    #expect(peak.load(ordering: .relaxed) <= 5)
  }
}

/// Reports nothing.
private struct NoReporter: ConvertReporter {
  func report(_ event: ConvertEvent) {}
}
