import Foundation

/// The commit record of one processed source, written after every variant: its presence
/// (found by key, see `RemoteKeys.manifestKey`) means "done for this ETag, with these
/// settings".
public struct Manifest: Codable, Sendable, Equatable {
  public var sourceBucket: String?
  public var sourceKey: String
  public var sourceETag: String
  public var recipe: String
  /// The fingerprint of the settings that made the outputs (`OutputIdentity`).
  public var settings: String?
  /// Output keys, one per variant, in recipe order.
  public var outputs: [String]
  public var tool: String

  public init(
    sourceBucket: String, sourceKey: String, sourceETag: String, recipe: String,
    settings: String, outputs: [String]
  ) {
    self.sourceBucket = sourceBucket
    self.sourceKey = sourceKey
    self.sourceETag = sourceETag
    self.recipe = recipe
    self.settings = settings
    self.outputs = outputs
    self.tool = "imgproc"
  }

  public func json() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(self)) ?? Data())
  }
}
