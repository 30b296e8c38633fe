import Foundation
import ImgprocConcurrency
import ImgprocPipeline

/// Outputs that no longer match a source: a changed source's earlier outputs are
/// replaced, as s3-sync replaces them; a source deleted or renamed away (also while no watch
/// ran) has its outputs named, and deleted with `--delete`. Which outputs a source had is
/// what the output folder's records and the journal say, never a guess from names.
extension WatchSession {
  /// A file went away (deleted, renamed away): unless it is back, in flight, or moved by an
  /// action, the outputs it had are reported, and deleted with `--delete`.
  func sourceGone(_ path: String) async {
    let ours = flight.withLock { state in
      state.movedAway.remove(path) != nil || state.converting[path] != nil
    }
    guard !ours, !FileIO.exists(path) else { return }
    let item = sourceItem(path)
    let known = journal.settled(path).flatMap { settled in
      settled.status == .done ? settled.digest : nil
    }
    let count = await engine.retireOutputs(
      of: item, known: known.map { engine.outputs(of: item, digest: $0.bytes) } ?? [],
      delete: job.deletes)
    if job.deletes { journal.forget(path) }
    retired.withLock { retired in
      if job.deletes { retired.removed += count } else { retired.orphans += count }
    }
  }

  /// The sources the journal has converted that are gone since the last run: a watch that
  /// was not running saw no event for them.
  func retireSourcesGoneSinceLastRun() async {
    let journal = journal
    for relative in await BlockingIO.run({ journal.takeGoneSinceLastRun() }) {
      await sourceGone(scanner.root + "/" + relative)
    }
  }

  /// A source converted (or found up to date): the outputs of the version converted before
  /// and of other settings go, as s3-sync replaces them.
  func replaceEarlierOutputs(of item: SourceItem) async {
    guard case .file(let path) = item.origin,
      let current = journal.settled(path)?.digest
    else { return }
    let earlier = flight.withLock { $0.converting[path] ?? nil }
    let count = await engine.replaceOtherVersions(
      of: item, current: engine.outputs(of: item, digest: current.bytes),
      earlier: earlier.map { engine.outputs(of: item, digest: $0.bytes) } ?? [])
    retired.withLock { $0.removed += count }
  }
}
