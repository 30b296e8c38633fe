import Foundation
import ImgprocCodecs
import ImgprocConcurrency
import ImgprocPipeline
import Synchronization

/// One run of a `WatchJob`: the tasks that carry a path from the watcher to the engine.
///
///     watcher / poller ──signals──▶ Settler ──ready──▶ decide ──feed──▶ Engine.run
///
/// `decide` skips what the journal, the engine's commit log, says is done (`Engine.state`:
/// also a touched file with the same content, while its outputs are there), what is not an
/// image, and a path already in flight (it is looked at again when
/// that conversion ends). Once a changed source is converted, the outputs of its earlier
/// version are deleted (as s3-sync replaces them); the outputs of a source that is gone
/// (deleted, renamed away, or missing at start though the journal has it) are reported, and
/// deleted with `--delete`.
final class WatchSession: Sendable {
  let job: WatchJob
  let scanner: TreeScanner
  let journal: WatchJournal
  let settler: Settler
  let reporter: any ConvertReporter
  let engine: Engine
  /// Paths being converted (with the digest of the version converted before, if any), those
  /// that changed meanwhile, and those an `--on-success`/`--on-failure` move takes away
  /// (their going is not a source gone) (guarded by its mutex).
  let flight = Locked(
    (
      converting: [String: WatchJournal.Digest?](), changed: Set<String>(),
      movedAway: Set<String>()
    ))
  /// Outputs of earlier versions or gone sources: reported and left, deleted (guarded by its
  /// mutex).
  let retired = Locked((orphans: 0, removed: 0))
  /// Set once the files there at the start have been looked at (`scanAtStart`).
  let scanned = Atomic(false)
  /// How many paths out of the settler `decide` has handled.
  let decided = Atomic(0)
  /// Why the watch ended early: the watched folder was moved, deleted or replaced (guarded by
  /// its mutex).
  private let lost = Locked<String?>(nil)
  /// The watched folder's device and inode when the watch began.
  private let identity: FileIO.Identity?

  init(
    job: WatchJob, scanner: TreeScanner, journal: WatchJournal, settler: Settler,
    reporter: any ConvertReporter, engine: Engine
  ) {
    self.engine = engine
    self.job = job
    self.scanner = scanner
    self.journal = journal
    self.settler = settler
    self.reporter = reporter
    identity = FileIO.identity(scanner.root)
  }

  func run() async throws(PipelineError) -> ConvertSummary {
    let watcher: FolderWatcher?
    if job.poll == nil && !job.once {
      do throws(WatchError) {
        watcher = try FolderWatcher(scanner: scanner)
      } catch {
        throw PipelineError(.io, error.message, hint: error.hint, underlying: error)
      }
    } else {
      watcher = nil
    }
    let (feed, events) = AsyncStream<SourceEvent>.makeStream()
    var seen: [String: String] = [:]
    if watcher == nil && !job.once { await scan(&seen, offer: job.initial, into: events) }
    let baseline = seen
    // With --once nothing is written any more: a failure counts at once.
    let holding: (@Sendable (SourceItem, PipelineError) -> Bool)? =
      job.once ? nil : { @Sendable item, error in self.holds(item, error) }
    let summary = await withTaskGroup(of: Void.self) { group -> ConvertSummary in
      if let watcher {
        // Watching from now on: what happens is handled while the files already there are
        // looked at.
        watcher.start()
        reporter.report(.watching(folder: job.folder, files: watcher.filesAtStart))
        group.addTask {
          for await signal in watcher.signals { await self.route(signal, into: events) }
        }
        group.addTask { await self.scanAtStart(offer: self.job.initial, into: events) }
      } else if job.once {
        group.addTask { await self.scanAtStart(offer: self.job.initial, into: events) }
      } else if let poll = job.poll, !job.once {
        reporter.report(.watching(folder: job.folder, files: baseline.count))
        group.addTask {
          var seen = baseline
          while !Task.isCancelled {
            try? await Task.sleep(for: poll)
            await self.scan(&seen, offer: true, into: events)
          }
        }
      }
      group.addTask { await self.retireSourcesGoneSinceLastRun() }
      group.addTask { await self.tick() }
      group.addTask {
        for await path in self.settler.ready {
          await self.decide(path, into: events)
          self.decided.wrappingAdd(1, ordering: .relaxed)
        }
        events.finish()
      }
      let summary = await engine.run(
        feed, holding: holding,
        finished: { item, outcome in await self.finished(item, outcome) })
      group.cancelAll()
      return summary
    }
    watcher?.stop()
    var totals = summary
    retired.withLock { retired in
      totals.orphans += retired.orphans
      totals.removed += retired.removed
    }
    if let reason = lost.withLock({ $0 }) {
      throw PipelineError(
        .io, "\(job.folder): \(reason); the watch stops",
        hint: "start it again where the folder now is; a service manager restarts it on this exit")
    }
    return totals
  }

  /// Ends the run: the files in flight finish, nothing more is taken.
  private func stop(lost reason: String) {
    let first = lost.withLock { state -> Bool in
      guard state == nil else { return false }
      state = reason
      return true
    }
    if first { settler.finish() }
  }

  /// Offers every file that is new or changed since `seen` (a scan: `--once`, `--poll`).
  private func scan(
    _ seen: inout [String: String], offer: Bool, into events: AsyncStream<SourceEvent>.Continuation
  ) async {
    let found = scanner.walk(scanner.root)
    let present = Set(found.files.map(\.path))
    for file in seen.keys where !present.contains(file) {
      seen[file] = nil
      await sourceGone(file)
    }
    for file in found.files {
      let version = file.version
      guard seen[file.path] != version else { continue }
      seen[file.path] = version
      if offer { settler.offer(.appeared(file.path)) }
    }
    if seen.isEmpty || offer {
      for event in found.unused { events.yield(event) }
    }
  }

  /// Looks at the files already there, one folder at a time; then `scanned` is set. With
  /// `offer`, a file the journal says is done in its present version (size and modification
  /// time; its outputs there) is up to date at once, without reading it or waiting for it to
  /// settle; any other goes to the settler, as a new file does.
  private func scanAtStart(offer: Bool, into events: AsyncStream<SourceEvent>.Continuation)
    async
  {
    var tree = scanner.folders(under: scanner.root)
    while let found = tree.next() {
      // With a watcher, what a walk leaves out was reported when the folders were watched.
      if job.once {
        for event in found.unused { events.yield(event) }
      }
      guard offer else { continue }
      var done: [String] = []
      for file in found.files {
        if await isDone(file.path, version: file.version) {
          done.append(file.path)
        } else {
          await waitForRoom()
          settler.offer(.appeared(file.path))
        }
      }
      // A folder's at once: the engine wakes once for them, not once each.
      for path in done { events.yield(.upToDate(name: path)) }
      // The scan blocks on the file system: between folders, the tasks of new files run.
      await Task.yield()
    }
    scanned.store(true, ordering: .releasing)
  }

  /// Waits while `job.backlog` files or more are settling or on their way through the
  /// engine (`converting`): the start scan runs that far ahead of the engine, no further.
  /// The watch stopping ends the wait.
  private func waitForRoom() async {
    while backlog >= job.backlog, !Task.isCancelled, lost.withLock({ $0 == nil }) {
      try? await Task.sleep(for: .milliseconds(10))
    }
  }

  /// Files settling, complete and not yet decided, or on their way through the engine (one
  /// being decided may count twice, never not at all).
  var backlog: Int {
    let converting = flight.withLock { $0.converting.count }
    return settler.pendingCount + (settler.readiedCount - decided.load(ordering: .relaxed))
      + converting
  }

  /// Whether the journal says `path`, found by a walk (which applied the symlink rules) at
  /// `version`, is done in that version (and its outputs are there), and it is not being
  /// converted.
  private func isDone(_ path: String, version: String) async -> Bool {
    guard flight.withLock({ $0.converting[path] == nil }) else { return false }
    return (try? await engine.state(of: sourceItem(path), version: version)) == .done
  }

  /// A watcher signal: what a walk left out is reported, the rest goes to the settler.
  private func route(_ signal: WatchSignal, into events: AsyncStream<SourceEvent>.Continuation)
    async
  {
    switch signal {
    case .unused(let event): events.yield(event)
    case .lost: stop(lost: "the watched folder was moved or deleted")
    case .gone(let path):
      settler.offer(signal)
      await sourceGone(path)
    default: settler.offer(signal)
    }
  }

  /// The source at `path`, below the watched folder.
  func sourceItem(_ path: String) -> SourceItem {
    SourceItem(origin: .file(path), relativeKey: scanner.relative(path))
  }

  /// Lets the settler check what is due; with `--once`, ends the run once everything found
  /// at the start is decided.
  private func tick() async {
    let interval = min(job.settle / 4, .milliseconds(50))
    var checked = ContinuousClock.now
    while !Task.isCancelled {
      // A folder replaced, or moved with its parent, sends no event: its identity tells.
      if !job.once, ContinuousClock.now - checked >= .milliseconds(500) {
        checked = .now
        if FileIO.identity(scanner.root) != identity {
          stop(lost: "the watched folder is gone (moved, deleted or replaced)")
        }
      }
      let pending = settler.tick()
      if job.once && pending == 0 && scanned.load(ordering: .acquiring) {
        settler.finish()
        return
      }
      try? await Task.sleep(for: max(interval, .milliseconds(5)))
    }
  }

  /// Sends a complete file to the engine unless nothing is to be done with it.
  private func decide(_ path: String, into events: AsyncStream<SourceEvent>.Continuation) async {
    guard let version = FileIO.version(atPath: path) else { return }
    guard scanner.allows(path) else {
      events.yield(.skipped(name: path, reason: .symlinkOutOfFolder))
      return
    }
    let busy = flight.withLock { state in
      if state.converting[path] != nil {
        state.changed.insert(path)
        return true
      }
      return false
    }
    if busy { return }
    let item = sourceItem(path)
    let name = URL(fileURLWithPath: path).lastPathComponent
    if (try? await engine.state(of: item, version: version)) == .done {
      events.yield(.upToDate(name: path))
      return
    }
    let head = FileIO.head(path, count: ImageFormat.sniffLength)
    // An upload that is not an image imgproc reads but claims to be an image (by its name or
    // its first bytes) fails, with its real format named, and takes --on-failure.
    let claimsImage =
      ImageFormat.unsupportedKind(head) != nil || ImageFormat.hasImageExtension(name)
    guard ImageFormat.isSource(head: head, name: name) || claimsImage else {
      journal.record(path, version: version, digest: nil, status: .ignored)
      events.yield(.skipped(name: path, reason: .notAnImage))
      return
    }
    let earlier = journal.settled(path).flatMap { $0.status == .done ? $0.digest : nil }
    flight.withLock { $0.converting[path] = .some(earlier) }
    events.yield(.source(item))
  }

  /// Whether a failure is held: one that looks like a file still being written (truncated,
  /// corrupt, not yet recognisable) of a file modified less than `settle` ago. A writer may
  /// close a file and reopen it to append (`curl -C -`); the file is looked at again once it
  /// has been quiet for `settle`, and only then does such a failure count.
  private func holds(_ item: SourceItem, _ error: PipelineError) -> Bool {
    guard error.looksIncomplete, case .file(let path) = item.origin,
      let modified = FileIO.modificationTime(atPath: path)
    else { return false }
    let settle =
      Double(job.settle.components.seconds) + Double(job.settle.components.attoseconds) / 1e18
    // A modification time in the future (a clock set back, `touch -d`) holds nothing: the
    // file would be held for ever.
    let age = Date().timeIntervalSince(modified)
    return age > -1 && age < settle
  }

  /// A conversion ended: the file's action, then a second look if it changed meanwhile (or
  /// once it settles, when its failure was held).
  private func finished(_ item: SourceItem, _ outcome: SourceOutcome) async {
    guard case .file(let path) = item.origin else { return }
    if outcome.held {
      settler.offer(.modified(path))
      flight.withLock { state in
        state.converting[path] = nil
        state.changed.remove(path)
      }
      return
    }
    if !outcome.failed { await replaceEarlierOutputs(of: item) }
    if let action = outcome.failed ? job.onFailure : job.onSuccess {
      flight.withLock { _ = $0.movedAway.insert(path) }
      do throws(PipelineError) {
        try action.apply(to: path, relative: item.relativeKey)
        journal.forget(path)
      } catch {
        flight.withLock { _ = $0.movedAway.remove(path) }
        reporter.report(.warning(source: item.name, message: error.description))
      }
    }
    let changed = flight.withLock { state in
      state.converting[path] = nil
      return state.changed.remove(path) != nil
    }
    if changed { settler.offer(.appeared(path)) }
  }
}
