import Foundation
import ImgprocConcurrency
import ImgprocPipeline
import Synchronization

/// A value shared with the engine's tasks (tests only).
final class Shared<Value: Sendable>: Sendable {
  private let mutex: Locked<Value>

  init(_ value: Value) { mutex = Locked(value) }

  func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }

  var value: Value { withLock { $0 } }
}

/// Counts sources between their read and their commit (or failure), and the peak.
final class FlightCounter: Sendable {
  private let counts = Shared((now: 0, peak: 0))

  func enter() {
    counts.withLock {
      $0.now += 1
      $0.peak = max($0.peak, $0.now)
    }
  }

  func leave() { counts.withLock { $0.now -= 1 } }

  var peak: Int { counts.value.peak }
}

/// Sources in memory: bytes by origin, a version, optional failures and a gate that holds
/// reads back until it opens.
final class MemoryReader: SourceReader {
  let sources: [SourceOrigin: [UInt8]]
  let failing: Set<SourceOrigin>
  let flight: FlightCounter
  private let gateOpen: Shared<Bool>
  let reads = Shared<[SourceOrigin]>([])

  init(
    _ sources: [SourceOrigin: [UInt8]], failing: Set<SourceOrigin> = [],
    gated: Bool = false, flight: FlightCounter = FlightCounter()
  ) {
    self.sources = sources
    self.failing = failing
    self.flight = flight
    gateOpen = Shared(!gated)
  }

  func open() { gateOpen.withLock { $0 = true } }

  func read(_ origin: SourceOrigin, maxBytes: Int) async throws(PipelineError) -> SourceContent {
    reads.withLock { $0.append(origin) }
    flight.enter()
    while !gateOpen.value { try? await Task.sleep(nanoseconds: 1_000_000) }
    // As a network read would be, this one is cut short when its task is cancelled.
    guard !Task.isCancelled, !failing.contains(origin), let bytes = sources[origin] else {
      flight.leave()
      throw PipelineError(.io, "cannot read \(origin.name)")
    }
    return SourceContent(bytes: bytes, version: "v-\(origin.name)")
  }
}

/// Outputs in memory, in the order they were stored; writes to `failing` names fail.
final class MemoryStore: OutputStore {
  let files = Shared<[String: OutputFile]>([:])
  let order = Shared<[String]>([])
  let failing: @Sendable (String) -> Bool

  init(failing: @escaping @Sendable (String) -> Bool = { _ in false }) {
    self.failing = failing
  }

  func destination(folder: String, name: String) -> String { "mem:" + folder + name }

  func display(_ destination: String) -> String { destination }

  func exists(_ destination: String) async -> Bool { files.value[destination] != nil }

  func write(_ file: OutputFile, to destination: String) async throws(PipelineError) {
    if failing(destination) { throw PipelineError(.io, "cannot write \(destination)") }
    files.withLock { $0[destination] = file }
    order.withLock { $0.append(destination) }
  }
}

/// Records commits, with what the store held at that moment.
final class RecordingCommitLog: CommitLog {
  let store: MemoryStore
  let flight: FlightCounter
  let commits = Shared<[(record: CommitRecord, stored: Set<String>)]>([])

  init(store: MemoryStore, flight: FlightCounter) {
    self.store = store
    self.flight = flight
  }

  func commit(_ record: CommitRecord) async throws(PipelineError) {
    commits.withLock { $0.append((record, Set(store.files.value.keys))) }
    flight.leave()
  }

  var committed: [SourceOrigin] { commits.value.map(\.record.item.origin) }

  /// Done when a commit records this version and its outputs are all still in the store.
  func state(of item: SourceItem, version: String, outputs: StoredOutputs) async
    -> CommitState
  {
    guard
      let record = commits.value.last(where: {
        $0.record.item.origin == item.origin && $0.record.version == version
      })?.record
    else { return .toConvert(reason: "new: would convert") }
    let digest = stride(from: 0, to: record.digest.count, by: 2).compactMap {
      UInt8(record.digest.dropFirst($0).prefix(2), radix: 16)
    }
    guard await outputs.exist(of: item, digest: digest) else {
      return .toConvert(reason: "outputs missing: would convert")
    }
    return .done
  }
}

/// Collects failed-source events.
extension CollectingReporter {
  var failedSources: [String] { failures.map(\.source) }
}
