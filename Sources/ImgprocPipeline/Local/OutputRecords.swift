import Foundation

/// Which source each output in a local output folder was made from: one small JSON file per
/// source under the folder's `.imgproc/sources/` (at the source's output sub-folder, named
/// by a hash of its relative path), listing the outputs made from it that are still there,
/// as paths relative to the folder. Rewritten (write-then-rename) when a conversion of the
/// source adds outputs; read to name the outputs of other settings or versions of that
/// source, and only of that source: `x.jpg` and `x.png` share a `{base}`, not a record.
///
/// Two processes converting the same source at once may each rewrite its record from what
/// it read; then an output of an earlier version can go unreported, never misreported.
struct OutputRecords: Sendable {
  /// The output folder.
  let root: String

  /// imgproc's bookkeeping folder in an output folder; dot-named, so never an input.
  static let folder = ".imgproc/sources/"

  struct Record: Codable {
    /// The source's path relative to the folder it was found in (or its key).
    var source: String
    /// Outputs made from it, relative to the output folder, sorted.
    var outputs: [String]
  }

  /// Adds `outputs` (destinations under `root`) to `item`'s record, dropping outputs that
  /// are gone; writes only when that changes the record.
  func record(_ item: SourceItem, outputs: [String]) throws(PipelineError) {
    let path = recordPath(item)
    let known = read(path)?.outputs ?? []
    let now = outputs.map(relative)
    let kept = known.filter { !now.contains($0) && FileIO.exists(root + "/" + $0) }
    let merged = (kept + now).sorted()
    guard merged != known else { return }
    try write(Record(source: item.relativeKey, outputs: merged), to: path, of: item)
  }

  private func write(_ record: Record, to path: String, of item: SourceItem)
    throws(PipelineError)
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(record) else {
      throw PipelineError(.io, "cannot encode the record of \(item.name)'s outputs")
    }
    try FileIO.writeAtomically(Array(data), to: path)
  }

  /// Drops the outputs that are gone from `item`'s record; removes the record when none is
  /// left.
  func prune(_ item: SourceItem) throws(PipelineError) {
    let path = recordPath(item)
    guard let known = read(path)?.outputs else { return }
    let kept = known.filter { FileIO.exists(root + "/" + $0) }
    if kept.isEmpty {
      try FileIO.remove(path)
    } else if kept != known {
      try write(Record(source: item.relativeKey, outputs: kept), to: path, of: item)
    }
  }

  /// The outputs (destinations under `root`) `item`'s record names that are still there.
  func outputs(of item: SourceItem) -> [String] {
    (read(recordPath(item))?.outputs ?? []).map { root + "/" + $0 }.filter(FileIO.exists)
  }

  private func read(_ path: String) -> Record? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return try? JSONDecoder().decode(Record.self, from: data)
  }

  /// `root/.imgproc/sources/OUTPUT-FOLDER/HASH.json`: the hash keeps names short and tells
  /// sources apart whatever their names hold.
  private func recordPath(_ item: SourceItem) -> String {
    let name = OutputNaming.hash(Array(item.relativeKey.utf8), digits: 16)
    return root + "/" + Self.folder + item.outputFolder + name + ".json"
  }

  private func relative(_ destination: String) -> String {
    destination.hasPrefix(root + "/") ? String(destination.dropFirst(root.count + 1)) : destination
  }
}
