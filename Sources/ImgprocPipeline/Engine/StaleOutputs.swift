/// Outputs that no longer match their source: made from other settings or another version of
/// a source (`otherVersion`), or of a source that is gone (`orphan`). Which source made an
/// output is what the store's records say (`OutputStore.otherVersions`) and, for a front end
/// that keeps its own record of what it made (watch's journal), what that record names;
/// never a guess from names.
extension Engine {
  /// After a run: the outputs the records of `sources` name but `keeping` does not, reported
  /// or deleted as `configuration.otherVersions` says; returns how many.
  func settleOtherVersions(of sources: [SourceItem], keeping: Set<String>) async -> (
    reported: Int, removed: Int
  ) {
    var counts = (reported: 0, removed: 0)
    for item in sources {
      let paths = await store.otherVersions(of: [item], keeping: keeping)
      guard !paths.isEmpty else { continue }
      var removed = false
      if configuration.otherVersions == .delete { removed = await remove(paths, of: item) }
      if removed { counts.removed += paths.count } else { counts.reported += paths.count }
      for path in paths {
        reporter.report(.otherVersion(path: store.display(path), removed: removed))
      }
    }
    return counts
  }

  /// Replaces a source's earlier outputs once its current ones are committed (`watch`, as
  /// s3-sync does): deletes what its record names beside `current`, and `earlier` (the
  /// outputs of the version converted before, when the front end knows it). Returns how
  /// many were deleted.
  public func replaceOtherVersions(
    of item: SourceItem, current: [String], earlier: [String] = []
  ) async -> Int {
    let recorded = await store.otherVersions(of: [item], keeping: Set(current))
    var paths = Set(recorded)
    for path in earlier where !current.contains(path) {
      if await store.exists(path) { paths.insert(path) }
    }
    let sorted = paths.sorted()
    guard !sorted.isEmpty, await remove(sorted, of: item) else { return 0 }
    for path in sorted { reporter.report(.otherVersion(path: store.display(path), removed: true)) }
    return sorted.count
  }

  /// The outputs of `item`, a source that is gone, still in the store: what its record names
  /// and `known` (what the front end recorded it made). Reported, and deleted when `delete`;
  /// returns how many.
  public func retireOutputs(of item: SourceItem, known: [String], delete: Bool) async -> Int {
    var paths = Set(await store.otherVersions(of: [item], keeping: []))
    for path in known {
      if await store.exists(path) { paths.insert(path) }
    }
    let sorted = paths.sorted()
    guard !sorted.isEmpty else { return 0 }
    var removed = false
    if delete { removed = await remove(sorted, of: item) }
    for path in sorted {
      reporter.report(.orphan(path: store.display(path), source: item.name, removed: removed))
    }
    return sorted.count
  }

  /// The outputs `item` would have had from content of SHA-256 `digest` with this engine's
  /// settings (what watch's journal vouches for).
  public func outputs(of item: SourceItem, digest: [UInt8]) -> [String] {
    configuration.plannedOutputs(of: item, digest: digest, in: store).map(\.destination)
  }

  /// Deletes `paths`; a failure is a warning naming the source, and false.
  private func remove(_ paths: [String], of item: SourceItem) async -> Bool {
    do throws(PipelineError) {
      try await store.remove(paths, of: item)
      return true
    } catch {
      reporter.report(.warning(source: item.name, message: error.description))
      return false
    }
  }
}
