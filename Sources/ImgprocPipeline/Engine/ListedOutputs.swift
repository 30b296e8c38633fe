/// A store's destinations as one listing gave them (an S3 prefix's keys), sorted by their
/// UTF-8 bytes so that the keys starting with a prefix are one run. It answers "are this
/// source's outputs still there?" before the source is read, when its `{hash}` is unknown.
public struct ListedOutputs: Sendable {
  private let keys: [String]

  public init(_ destinations: some Sequence<String>) {
    keys = destinations.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// The listed destinations that start with `prefix`.
  func starting(with prefix: String) -> ArraySlice<String> {
    var low = 0
    var high = keys.count
    while low < high {
      let middle = (low + high) / 2
      if keys[middle].utf8.lexicographicallyPrecedes(prefix.utf8) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    var end = low
    while end < keys.count && keys[end].utf8.starts(with: prefix.utf8) { end += 1 }
    return keys[low..<end]
  }
}

extension EngineConfiguration {
  /// Whether `listed` holds an output of every variant of `item` in `store`, of some version
  /// (any `{hash}`): what s3-sync asks before trusting a manifest, so that an output deleted
  /// since is made again. Names without `{hash}` are looked up as they are; with `{hash}` in a
  /// folder component, anything in the source's output folder counts.
  public func hasOutputs(
    of item: SourceItem, in store: any OutputStore, listed: ListedOutputs
  ) -> Bool {
    outputPrefixes(of: item, in: store).allSatisfy { prefix, pattern in
      guard let pattern else { return listed.starting(with: prefix).first == prefix }
      let folder = store.destination(folder: item.outputFolder, name: pattern.folder)
      return listed.starting(with: prefix).contains { key in
        pattern.matches(String(key.utf8.dropFirst(folder.utf8.count)) ?? "")
      }
    }
  }

  /// What every output of `item` in `store` starts with, of any version: the prefix one LIST
  /// asks for to answer `hasOutputs` for this source alone.
  public func outputsPrefix(of item: SourceItem, in store: any OutputStore) -> String {
    let prefixes = outputPrefixes(of: item, in: store).map(\.prefix)
    guard var common = prefixes.first.map({ Array($0.utf8) }) else { return "" }
    for prefix in prefixes.dropFirst() {
      common = Array(zip(common, prefix.utf8).prefix { $0 == $1 }.map(\.0))
    }
    // A common prefix cut inside a character lists a little more; never less.
    while !common.isEmpty, String(validating: common, as: UTF8.self) == nil {
      common.removeLast()
    }
    return String(decoding: common, as: UTF8.self)
  }

  /// Per variant, what its outputs start with and the pattern of their names: the whole
  /// destination and no pattern for names without `{hash}`; the folder for a template with
  /// `{hash}` in a folder component, with a pattern that any name there matches.
  private func outputPrefixes(of item: SourceItem, in store: any OutputStore)
    -> [(prefix: String, pattern: NamePattern?)]
  {
    let recipe = settings.recipe.name
    return settings.recipe.variants.map { variant in
      guard naming.usesHash else {
        let name = naming.name(base: item.base, variant: variant, hash: "", recipe: recipe)
        return (store.destination(folder: item.outputFolder, name: name), nil)
      }
      guard let pattern = naming.otherVersions(base: item.base, variant: variant, recipe: recipe)
      else { return (store.destination(folder: item.outputFolder, name: ""), .anything) }
      let folder = store.destination(folder: item.outputFolder, name: pattern.folder)
      return (folder + pattern.literalPrefix, pattern)
    }
  }
}
