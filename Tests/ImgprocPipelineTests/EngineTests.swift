import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline
import ImgprocTestSupport
import Testing

@Suite("The engine, with in-memory sources, stores and commit log")
struct EngineTests {
  /// A JPEG that differs per seed.
  static func photo(_ seed: Int, width: Int = 96, height: Int = 64) -> [UInt8] {
    let image = Fixtures.noise(width: width, height: height, layout: .rgb, seed: UInt64(seed + 1))
    return (try? Codecs.encode(image, .jpeg(JPEGSettings(quality: 85)))) ?? []
  }

  static func item(_ name: String, size: Int = 0) -> SourceItem {
    SourceItem(origin: .file(name), base: name, byteCount: size)
  }

  static func engine(
    _ reader: some SourceReader, _ store: some OutputStore, log: some CommitLog = NoCommitLog(),
    jobs: Int = 2, waitingSources: Int = 2, recipe: Recipe = .standard, dryRun: Bool = false,
    reporter: some ConvertReporter = CollectingReporter()
  ) throws -> Engine {
    var configuration = EngineConfiguration(
      settings: RenderSettings(recipe: recipe),
      naming: try OutputNaming(variantCount: recipe.variants.count), jobs: jobs, dryRun: dryRun)
    configuration.waitingSources = waitingSources
    return Engine(
      configuration: configuration, reader: reader, store: store, commitLog: log,
      reporter: reporter)
  }

  /// An engine over one source in memory, its store and its recording commit log.
  static func recordingEngine(_ origin: SourceOrigin, _ bytes: [UInt8]) throws -> (
    Engine, MemoryStore, RecordingCommitLog
  ) {
    let flight = FlightCounter()
    let store = MemoryStore()
    let log = RecordingCommitLog(store: store, flight: flight)
    let engine = try engine(MemoryReader([origin: bytes], flight: flight), store, log: log)
    return (engine, store, log)
  }

  @Test("a source is committed once, after all its outputs; never when one failed")
  func commitAfterOutputs() async throws {
    let names = ["a", "b", "broken", "unwritable"]
    var sources = Dictionary(
      uniqueKeysWithValues: names.map { (SourceOrigin.file($0), Self.photo($0.count)) })
    sources[.file("broken")] = Damage.truncated(Self.photo(9), keeping: 0.3)
    let flight = FlightCounter()
    let reader = MemoryReader(sources, flight: flight)
    let store = MemoryStore { $0.hasPrefix("mem:unwritable_png_") }
    let log = RecordingCommitLog(store: store, flight: flight)
    let reporter = CollectingReporter()
    let summary = try await Self.engine(reader, store, log: log, reporter: reporter)
      .run(names.map { .source(Self.item($0)) })
    #expect(Set(log.committed) == [.file("a"), .file("b")])
    for (record, stored) in log.commits.value {
      #expect(record.outputs.count == 5)
      #expect(record.outputs.allSatisfy { stored.contains($0) }, "every output before the commit")
      #expect(record.version == "v-\(record.item.name)" && record.recipe == "default")
    }
    #expect(summary.converted == 2 && summary.failed == 2 && summary.sources == 4)
    #expect(Set(reporter.failedSources) == ["broken", "unwritable"], "one line per failed source")
    // The unwritable source's other variants were still stored; nothing of the broken one.
    #expect(store.files.value.keys.filter { $0.hasPrefix("mem:unwritable_") }.count == 4)
    #expect(!store.files.value.keys.contains { $0.hasPrefix("mem:broken_") })
    #expect(summary.outputsWritten == 14)
  }

  @Test("the commit log answers whether a version is done, while its outputs are all stored")
  func commitLogVouchesWhileOutputsExist() async throws {
    let (engine, store, log) = try Self.recordingEngine(.file("a"), Self.photo(1))
    let item = Self.item("a")
    #expect(
      try await engine.state(of: item, version: "v-a") == .toConvert(reason: "new: would convert"))
    #expect(await engine.process(item).failure == nil)
    #expect(try await engine.state(of: item, version: "v-a") == .done)
    #expect(try await engine.state(of: item, version: "v-b") != .done, "another version")
    let output = try #require(log.commits.value.first?.record.outputs.last)
    store.files.withLock { $0[output] = nil }
    #expect(
      try await engine.state(of: item, version: "v-a")
        == .toConvert(reason: "outputs missing: would convert"))
  }

  @Test("one failing source never stops the others, however many fail")
  func failuresAreIsolated() async throws {
    let names = (0..<9).map { "p\($0)" }
    let sources = Dictionary(
      uniqueKeysWithValues: names.enumerated().map { (SourceOrigin.file($1), Self.photo($0)) })
    let failing: Set<SourceOrigin> = [.file("p0"), .file("p4"), .file("p8")]
    let store = MemoryStore()
    let reporter = CollectingReporter()
    let summary = try await Self.engine(
      MemoryReader(sources, failing: failing), store, jobs: 3, reporter: reporter
    ).run(
      names.map { .source(Self.item($0)) } + [
        .failed(name: "gone", error: PipelineError(.io, "no such file"))
      ])
    #expect(summary.converted == 6 && summary.failed == 4 && summary.sources == 10)
    #expect(Set(summary.failedSources) == ["p0", "p4", "p8", "gone"])
    #expect(store.files.value.count == 30)
    #expect(reporter.failures.count == 4)
  }

  @Test("with one thread, a source's encodes run costliest first")
  func costliestFirst() async throws {
    let store = MemoryStore()
    let reader = MemoryReader([.file("big"): Self.photo(1, width: 900, height: 600)])
    _ = try await Self.engine(reader, store, jobs: 1).run([.source(Self.item("big"))])
    let variants = store.order.value.map { String($0.split(separator: "_")[1]) }
    // WebP and PNG cost ~10x JPEG per pixel: with one thread both are encoded (and stored)
    // before any JPEG. (Stores run as their own tasks, so only orders separated by a whole
    // encode are asserted.)
    #expect(Set(variants.prefix(2)) == ["webp", "png"], "\(variants)")
    #expect(Set(variants.suffix(3)) == ["compressed", "low", "thumbnail"], "\(variants)")
  }

  @Test(
    "sources in flight stay bounded: jobs + waitingSources from read to commit",
    arguments: [(1, 2), (2, 2), (1, 8)])
  func boundedInFlight(jobs: Int, waiting: Int) async throws {
    let names = (0..<16).map { "s\($0)" }
    let sources = Dictionary(
      uniqueKeysWithValues: names.enumerated().map { (SourceOrigin.file($1), Self.photo($0)) })
    let flight = FlightCounter()
    let store = MemoryStore()
    let log = RecordingCommitLog(store: store, flight: flight)
    let (feed, continuation) = AsyncStream<SourceEvent>.makeStream()
    for name in names { continuation.yield(.source(Self.item(name))) }
    continuation.finish()
    // Reads wait at a gate, as slow downloads do: sources pile up to the bound, no further.
    let reader = MemoryReader(sources, gated: true, flight: flight)
    let run = Task {
      try await Self.engine(reader, store, log: log, jobs: jobs, waitingSources: waiting).run(feed)
    }
    for _ in 0..<500 where flight.peak < jobs + waiting {
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    try await Task.sleep(nanoseconds: 50_000_000)
    #expect(flight.peak == jobs + waiting, "peak \(flight.peak)")
    reader.open()
    let summary = try await run.value
    #expect(summary.converted == 16)
    #expect(flight.peak == jobs + waiting, "peak \(flight.peak)")
  }

  @Test("cancelling a run starts no new source and finishes the one in progress")
  func cancellation() async throws {
    let sources: [SourceOrigin: [UInt8]] = [
      .file("first"): Self.photo(1), .file("second"): Self.photo(2),
    ]
    let flight = FlightCounter()
    let reader = MemoryReader(sources, gated: true, flight: flight)
    let store = MemoryStore()
    let log = RecordingCommitLog(store: store, flight: flight)
    let engine = try Self.engine(reader, store, log: log)
    let (feed, continuation) = AsyncStream<SourceEvent>.makeStream()
    let run = Task { await engine.run(feed) }
    continuation.yield(.source(Self.item("first")))
    for _ in 0..<2000 where reader.reads.value.isEmpty {
      try await Task.sleep(nanoseconds: 1_000_000)
    }
    run.cancel()
    continuation.yield(.source(Self.item("second")))
    continuation.finish()
    reader.open()
    let summary = await run.value
    #expect(reader.reads.value == [.file("first")])
    #expect(log.committed == [.file("first")])
    #expect(store.files.value.count == 5)
    #expect(summary.converted == 1)
  }

  @Test("a dry run reports every source and reads and writes nothing")
  func dryRun() async throws {
    let reader = MemoryReader([.file("a"): Self.photo(1)])
    let store = MemoryStore()
    let reporter = CollectingReporter()
    let summary = try await Self.engine(reader, store, dryRun: true, reporter: reporter).run([
      .source(Self.item("a")), .upToDate(name: "b"),
      .skipped(name: "notes.txt", reason: .notAnImage),
    ])
    #expect(reader.reads.value.isEmpty && store.files.value.isEmpty)
    #expect(summary.sources == 2 && summary.upToDate == 1 && summary.ignored == 1)
    let planned = reporter.events.compactMap {
      if case .planned(let source, let action) = $0 { "\(source): \(action)" } else { nil }
    }
    #expect(planned == ["a: would convert", "b: up to date"])
  }

  @Test("process converts one source now, skips it when its outputs exist, and commits")
  func perItemEntryPoint() async throws {
    let (engine, _, log) = try Self.recordingEngine(.file("one"), Self.photo(3))
    let first = await engine.process(Self.item("one"))
    #expect(first.outputsWritten == 5 && !first.failed && !first.upToDate)
    #expect(log.committed == [.file("one")])
    let again = await engine.process(Self.item("one"))
    #expect(again.upToDate && again.outputsWritten == 0)
    let missing = await engine.process(Self.item("missing"))
    // The outcome carries the failure the reporter was told of, so a front end that handles
    // one source (Lambda) answers with it.
    #expect(missing.failure?.code == .io && missing.failure?.message.contains("missing") == true)
  }
}
