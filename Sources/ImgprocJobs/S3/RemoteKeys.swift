import Foundation
import ImgprocCodecs
import ImgprocPipeline
import ImgprocS3

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
  public static func looksLikeImage(_ key: String) -> Bool { ImageFormat.hasImageExtension(key) }

  /// imgproc's bookkeeping folder under a prefix it writes to: manifests (s3-sync) and the
  /// output marker (convert). A prefix holding one is never read as input.
  public static let bookkeeping = ".imgproc/"

  /// Where manifests live, under the destination prefix.
  public static let manifestFolder = bookkeeping + "manifests/"

  /// The key `convert` writes under a prefix it puts outputs in.
  public static func outputMarker(prefix: String) -> String { prefix + bookkeeping + "output" }

  /// The prefixes ("" or ending in `/`) of `keys` that hold imgproc's bookkeeping folder
  /// (where imgproc writes: nothing under them is an input), in the order first met.
  public static func outputPrefixes(_ keys: [String]) -> [String] {
    let needle = Array(bookkeeping.utf8)
    guard let head = needle.first else { return [] }
    var found: [String] = []
    var seen = Set<String>()
    for key in keys {
      let bytes = key.utf8
      // The first component-aligned occurrence: at the start, or just after a `/`.
      var index = bytes.startIndex
      while let start = bytes[index...].firstIndex(of: head) {
        if (start == bytes.startIndex || bytes[bytes.index(before: start)] == UInt8(ascii: "/"))
          && bytes[start...].starts(with: needle)
        {
          let prefix = String(key.utf8[..<start]) ?? ""
          if seen.insert(prefix).inserted { found.append(prefix) }
          break
        }
        index = bytes.index(after: start)
      }
    }
    return found
  }

  /// The source a destination is fed from, as one key component: `s3://bucket/prefix/`
  /// with every character but letters and digits percent-encoded.
  public static func sourceComponent(_ source: S3Location) -> String {
    let url = "s3://\(source.bucket)/\(source.folderPrefix)"
    return url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
  }

  /// The source a manifest folder's name stands for (`sourceComponent` read back), nil for
  /// other names (folders of manifests of earlier versions of imgproc, which had none).
  static func source(ofManifestFolder component: String) -> String? {
    guard component.hasPrefix("s3%3A%2F%2F") else { return nil }
    return component.removingPercentEncoding
  }

  /// The manifest key of a source: the source it comes from, its relative key, its ETag and
  /// the fingerprint of the settings that made its outputs are in the name, so one LIST of
  /// the manifest folder tells what is done, and from where, without reading anything.
  public static func manifestKey(
    destination: String, source: S3Location, relative: String, etag: String, settings: String
  ) -> String {
    destination + manifestFolder + sourceComponent(source) + "/" + relative + "@" + etag + "+"
      + settings + ".json"
  }

  /// A manifest key under `destination`, taken apart; nil for other keys. Manifests of earlier
  /// versions of imgproc have no source and no settings.
  public static func parseManifestKey(_ key: String, destination: String) -> ManifestName? {
    let prefix = destination + manifestFolder
    guard key.hasPrefix(prefix), key.hasSuffix(".json") else { return nil }
    var body = key.dropFirst(prefix.count).dropLast(".json".count)
    var source: String?
    if let slash = body.firstIndex(of: "/"),
      let named = self.source(ofManifestFolder: String(body[..<slash]))
    {
      source = named
      body = body[body.index(after: slash)...]
    }
    guard let at = body.lastIndex(of: "@") else { return nil }
    let version = body[body.index(after: at)...]
    let plus = version.lastIndex(of: "+")
    return ManifestName(
      key: key, source: source, relative: String(body[..<at]),
      etag: String(version[..<(plus ?? version.endIndex)]),
      settings: plus.map { String(version[version.index(after: $0)...]) })
  }
}

/// What a manifest's key says.
public struct ManifestName: Sendable, Equatable {
  public var key: String
  /// `s3://bucket/prefix/` of the source, nil in manifests of earlier versions.
  public var source: String?
  public var relative: String
  public var etag: String
  /// The settings fingerprint, nil in manifests of earlier versions.
  public var settings: String?
}
