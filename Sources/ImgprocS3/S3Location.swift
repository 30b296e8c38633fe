/// A bucket and a key or key prefix, written `s3://bucket/key`.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
  public var bucket: String
  /// The key (or prefix); "" for the whole bucket. Never starts with `/`.
  public var key: String

  public init(bucket: String, key: String) {
    self.bucket = bucket
    self.key = key
  }

  /// Parses `s3://bucket[/key]`. Everything after the first `/` is the key, verbatim
  /// (spaces, `+`, `%`, `//`, `..` and Unicode included).
  public init?(url: String) {
    guard url.hasPrefix("s3://") else { return nil }
    let rest = url.dropFirst(5)
    let slash = rest.firstIndex(of: "/")
    let bucket = String(rest[..<(slash ?? rest.endIndex)])
    guard S3Location.isValidBucket(bucket) else { return nil }
    self.bucket = bucket
    self.key = slash.map { String(rest[rest.index(after: $0)...]) } ?? ""
  }

  /// S3's bucket naming rules (3–63 characters: lower-case letters, digits, `.` and `-`,
  /// starting and ending with a letter or digit).
  public static func isValidBucket(_ name: String) -> Bool {
    let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
    guard (3...63).contains(name.count), name.allSatisfy({ allowed.contains($0) }),
      let first = name.first, let last = name.last,
      first != "." && first != "-", last != "." && last != "-"
    else { return false }
    return true
  }

  /// The prefix as a folder: "" or ending with `/`.
  public var folderPrefix: String {
    key.isEmpty || key.hasSuffix("/") ? key : key + "/"
  }

  /// Whether the object `key` of `bucket` lies under this location taken as a folder.
  public func contains(bucket: String, key: String) -> Bool {
    bucket == self.bucket && key.hasPrefix(folderPrefix)
  }

  public var description: String { "s3://\(bucket)/\(key)" }
}
