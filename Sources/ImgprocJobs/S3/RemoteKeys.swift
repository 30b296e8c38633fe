import ImgprocPipeline

/// Rules for turning S3 keys into names, paths and manifest keys.
public enum RemoteKeys {
  /// `key` relative to `prefix` (a folder prefix: "" or ending in `/`).
  public static func relative(_ key: String, to prefix: String) -> String {
    key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key
  }

  /// Splits a relative key into its folder part ("" or ending in `/`) and file name.
  public static func split(_ relative: String) -> (folder: String, name: String) {
    guard let slash = relative.lastIndex(of: "/") else { return ("", relative) }
    return (String(relative[...slash]), String(relative[relative.index(after: slash)...]))
  }

  /// A relative key as a relative local path that can never leave its folder: empty
  /// components (`//`) dropped, `.` and `..` components spelled `%2E` and `%2E%2E`, NUL
  /// as `%00`.
  public static func localPath(_ relative: String) -> String {
    relative.split(separator: "/", omittingEmptySubsequences: true).map { component in
      var part = component.replacingOccurrences(of: "\u{0}", with: "%00")
      if part.allSatisfy({ $0 == "." }) { part = String(repeating: "%2E", count: part.count) }
      return part
    }.joined(separator: "/")
  }

  /// Whether a key names an image imgproc reads (by extension: a listing has no content).
  public static func looksLikeImage(_ key: String) -> Bool {
    let lower = key.lowercased()
    return [".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp"].contains { lower.hasSuffix($0) }
  }

  /// Whether a key looks like an output imgproc wrote with the default names
  /// (`{base}_{variant}_{8 hex}.{ext}`) or is imgproc's own bookkeeping (`.imgproc/`).
  public static func looksLikeOwnOutput(_ key: String, variants: [String]) -> Bool {
    if key.hasPrefix(manifestFolder) || key.contains("/" + manifestFolder) { return true }
    let name = SourceItem.base(ofFileName: split(key).name)
    let parts = name.split(separator: "_")
    guard parts.count >= 3, let hash = parts.last, hash.count == 8,
      hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
    else { return false }
    return variants.contains(String(parts[parts.count - 2]))
  }

  /// Where manifests live, under the destination prefix.
  public static let manifestFolder = ".imgproc/manifests/"

  /// The manifest key of a source: its relative key and ETag are in the name, so one LIST of
  /// the manifest folder tells what is done without reading any manifest or image.
  public static func manifestKey(destination: String, relative: String, etag: String) -> String {
    destination + manifestFolder + relative + "@" + etag + ".json"
  }

  /// (relative key, ETag) from a manifest key under `destination`, nil for other keys.
  public static func parseManifestKey(_ key: String, destination: String) -> (
    relative: String, etag: String
  )? {
    let prefix = destination + manifestFolder
    guard key.hasPrefix(prefix), key.hasSuffix(".json") else { return nil }
    let body = key.dropFirst(prefix.count).dropLast(".json".count)
    guard let at = body.lastIndex(of: "@") else { return nil }
    return (String(body[..<at]), String(body[body.index(after: at)...]))
  }
}
