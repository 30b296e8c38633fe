import Foundation
import ImgprocCodecs
import ImgprocCore

/// One output of a recipe: a format, its settings and an optional size.
/// Unset fields take the command's defaults (see `RenderSettings`).
public struct Variant: Codable, Sendable, Hashable {
  /// Names the output (`{variant}` in the file name): letters, digits, `-` and `_`.
  public var name: String
  public var format: ImageFormat
  /// JPEG/WebP quality 1...100 (default 80).
  public var quality: Int?
  /// The box to fit into, in pixels; without either side the image keeps its size.
  public var width: Int?
  public var height: Int?
  /// How to fit into the box (default `inside`).
  public var fit: Fit?
  /// Resampling kernel (default: the command's `--kernel`).
  public var kernel: Kernel?
  /// Allow upscaling (default false: never enlarge).
  public var enlarge: Bool?
  /// JPEG only: progressive scans (default: the command's `--progressive`).
  public var progressive: Bool?
  /// JPEG only: chroma subsampling (default: the command's `--subsampling`).
  public var subsampling: ChromaSubsampling?
  /// WebP only: method 0...6 (default 4).
  public var effort: Int?
  /// WebP only: lossless (default false).
  public var lossless: Bool?
  /// PNG only: DEFLATE effort 0...12 (default: automatic, see `PNGSettings`).
  public var compressionLevel: Int?

  public init(
    name: String, format: ImageFormat, quality: Int? = nil, width: Int? = nil, height: Int? = nil,
    fit: Fit? = nil
  ) {
    self.name = name
    self.format = format
    self.quality = quality
    self.width = width
    self.height = height
    self.fit = fit
  }

  /// Whether `name` may name a variant or a recipe: letters, digits, `-` and `_` (it becomes
  /// part of output names, and never a path separator, `.` or `..`).
  public static func isValidName(_ name: String) -> Bool {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    return !name.isEmpty && name.allSatisfy { allowed.contains($0) }
  }

  /// The fields each format uses; any other set field is refused (it would be ignored).
  static func appliesTo(_ format: ImageFormat) -> Set<String> {
    let common: Set = ["name", "format", "width", "height", "fit", "kernel", "enlarge"]
    return common.union(format.encoderOptions)
  }

  /// The fields that are set, by their recipe (JSON) names.
  var setFields: Set<String> {
    let fields: [(String, Bool)] = [
      ("quality", quality != nil), ("width", width != nil), ("height", height != nil),
      ("fit", fit != nil), ("kernel", kernel != nil), ("enlarge", enlarge != nil),
      ("progressive", progressive != nil), ("subsampling", subsampling != nil),
      ("effort", effort != nil), ("lossless", lossless != nil),
      ("compressionLevel", compressionLevel != nil),
    ]
    return Set(fields.filter(\.1).map(\.0))
  }

  /// Checks every field's range, and that each set field applies to the format; the message
  /// names the variant and the field.
  public func validate() throws(PipelineError) {
    func fail(_ text: String) -> PipelineError {
      PipelineError(.invalidConfiguration, "variant '\(name)': \(text)")
    }
    guard Variant.isValidName(name) else {
      throw fail("the name may only use letters, digits, '-' and '_'")
    }
    guard format.capabilities.contains(.encode) else {
      let writable = ImageFormat.allCases.filter { $0.capabilities.contains(.encode) }
      throw fail(
        "imgproc reads \(format.rawValue) but does not write it (\(writable.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    if let unused = setFields.subtracting(Variant.appliesTo(format)).sorted().first {
      throw fail("'\(unused)' does not apply to \(format.rawValue)")
    }
    if let quality, !(1...100).contains(quality) {
      throw fail("expected quality 1...100 but received \(quality)")
    }
    for (side, value) in [("width", width), ("height", height)] {
      if let value, !(1...65_535).contains(value) {
        throw fail("expected \(side) 1...65535 but received \(value)")
      }
    }
    if let effort, !format.effortRange.contains(effort) {
      throw fail(
        "expected effort \(format.effortRange.lowerBound)...\(format.effortRange.upperBound) but received \(effort)"
      )
    }
    if let compressionLevel, !(0...12).contains(compressionLevel) {
      throw fail("expected compressionLevel 0...12 but received \(compressionLevel)")
    }
  }
}

/// A named list of variants, as stored in `Resources/recipes/*.json`.
public struct Recipe: Codable, Sendable, Hashable {
  public var name: String
  /// Images larger than this on a side are first fitted into `maxSize × maxSize`
  /// (0: no cap). The command's `--max-size` overrides it.
  public var maxSize: Int?
  public var variants: [Variant]

  public init(name: String, maxSize: Int? = nil, variants: [Variant]) {
    self.name = name
    self.maxSize = maxSize
    self.variants = variants
  }

  /// The five variants of the S3 → Lambda → Pillow pipeline.
  public static let standard = Recipe(
    name: "default", maxSize: 4096,
    variants: [
      Variant(name: "compressed", format: .jpeg, quality: 85),
      Variant(name: "low", format: .jpeg, quality: 60),
      Variant(name: "webp", format: .webp, quality: 85),
      Variant(name: "png", format: .png),
      Variant(name: "thumbnail", format: .jpeg, quality: 80, width: 300, height: 300, fit: .inside),
    ])

  /// Reads and validates a recipe file.
  public static func load(path: String) throws(PipelineError) -> Recipe {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw PipelineError(.io, "\(path): cannot read the recipe file", hint: "check --recipe")
    }
    return try decode(data, origin: path)
  }

  /// Reads and validates a recipe document; messages start with `origin` (a path, a
  /// variable's name).
  public static func decode(_ data: Data, origin: String) throws(PipelineError) -> Recipe {
    let recipe: Recipe
    if let key = RecipeJSON.duplicateKey(data) {
      throw PipelineError(
        .invalidConfiguration, "\(origin): '\(key)' is given twice",
        hint: "give each key once")
    }
    do {
      recipe = try JSONDecoder().decode(Recipe.self, from: data)
    } catch {
      throw PipelineError(
        .invalidConfiguration,
        "\(origin): not a valid recipe: \(RecipeJSON.typeError(data) ?? describe(error))",
        hint: "see the recipe format in docs/usage.md")
    }
    if let unknown = unknownKeys(data).first {
      throw PipelineError(
        .invalidConfiguration, "\(origin): unknown key '\(unknown)'",
        hint: "see the recipe format in docs/usage.md")
    }
    do {
      try recipe.validate()
    } catch {
      throw PipelineError(.invalidConfiguration, "\(origin): \(error.message)", hint: error.hint)
    }
    return recipe
  }

  /// Checks the name (as a variant's: it may become part of a path through `{recipe}`), every
  /// variant, that names are unique and that there is at least one.
  public func validate() throws(PipelineError) {
    guard Variant.isValidName(name) else {
      throw PipelineError(
        .invalidConfiguration,
        "recipe name '\(name)': only letters, digits, '-' and '_' are allowed")
    }
    guard !variants.isEmpty else {
      throw PipelineError(.invalidConfiguration, "recipe '\(name)' has no variants")
    }
    var seen = Set<String>()
    for variant in variants {
      try variant.validate()
      guard seen.insert(variant.name).inserted else {
        throw PipelineError(
          .invalidConfiguration, "recipe '\(name)' names variant '\(variant.name)' twice")
      }
    }
    if let maxSize, maxSize < 0 {
      throw PipelineError(.invalidConfiguration, "expected maxSize ≥ 0 but received \(maxSize)")
    }
  }

  /// Pretty JSON, as written to `Resources/recipes/`.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// Keys of a recipe document that `Recipe` and `Variant` do not have (`"qualty"`), with their
/// path (`variants[1].qualty`); a typo would otherwise be ignored silently.
private func unknownKeys(_ data: Data) -> [String] {
  guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
    return []
  }
  let variantKeys: Set = [
    "name", "format", "quality", "width", "height", "fit", "kernel", "enlarge", "progressive",
    "subsampling", "effort", "lossless", "compressionLevel",
  ]
  var unknown = root.keys.filter { !["name", "maxSize", "variants"].contains($0) }.sorted()
  for (index, variant) in ((root["variants"] as? [[String: Any]]) ?? []).enumerated() {
    unknown += variant.keys.filter { !variantKeys.contains($0) }.sorted().map {
      "variants[\(index)].\($0)"
    }
  }
  return unknown
}

/// A short reason for a JSON decoding failure, with the field path.
private func describe(_ error: Error) -> String {
  guard let decoding = error as? DecodingError else { return "malformed JSON" }
  func path(_ context: DecodingError.Context) -> String {
    let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
    return keys.isEmpty ? "" : " at " + keys.joined(separator: ".")
  }
  switch decoding {
  case .keyNotFound(let key, let context): return "missing '\(key.stringValue)'\(path(context))"
  case .typeMismatch(_, let context), .valueNotFound(_, let context):
    return "\(context.debugDescription)\(path(context))"
  case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
  @unknown default: return "malformed JSON"
  }
}
