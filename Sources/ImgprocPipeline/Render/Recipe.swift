import Foundation
import ImgprocCodecs
import ImgprocCore

/// One output of a recipe: a format, an optional size, and the encoder options its format
/// declares (`ImageFormat.options`). Unset fields take the command's defaults (see
/// `RenderSettings`); unset options the format's.
public struct Variant: Sendable, Hashable {
  /// Names the output (`{variant}` in the file name): letters, digits, `-` and `_`.
  public var name: String
  public var format: ImageFormat
  /// The box to fit into, in pixels; without either side the image keeps its size.
  public var width: Int?
  public var height: Int?
  /// How to fit into the box (default `inside`).
  public var fit: Fit?
  /// Resampling kernel (default: the command's `--kernel`).
  public var kernel: Kernel?
  /// Allow upscaling (default false: never enlarge).
  public var enlarge: Bool?
  /// The encoder options set, by recipe key (`quality`, `compressionLevel`): each one of the
  /// format's table, checked by `validate`.
  public var options: [String: OptionValue] = [:]

  public init(
    name: String, format: ImageFormat, quality: Int? = nil, width: Int? = nil, height: Int? = nil,
    fit: Fit? = nil
  ) {
    self.name = name
    self.format = format
    self.width = width
    self.height = height
    self.fit = fit
    if let quality { options["quality"] = .integer(quality) }
  }

  /// Whether `name` may name a variant or a recipe: letters, digits, `-` and `_` (it becomes
  /// part of output names, and never a path separator, `.` or `..`).
  public static func isValidName(_ name: String) -> Bool {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    return !name.isEmpty && name.allSatisfy { allowed.contains($0) }
  }

  /// The recipe keys every variant takes, whatever its format.
  static let commonKeys: Set = ["name", "format", "width", "height", "fit", "kernel", "enlarge"]

  /// Every recipe key a variant may have: the common ones and every written format's options.
  static var recipeKeys: Set<String> {
    commonKeys.union(ImageFormat.written.flatMap(\.options).map(\.key))
  }

  /// Checks every field's range, and that each option set is one of the format's; the
  /// message names the variant and the field.
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
    for (key, value) in options.sorted(by: { $0.key < $1.key }) {
      guard let option = format.options.first(where: { $0.key == key }) else {
        throw fail("'\(key)' does not apply to \(format.rawValue)")
      }
      if let reason = option.check(value) { throw fail(reason) }
    }
    for (side, value) in [("width", width), ("height", height)] {
      if let value, !(1...65_535).contains(value) {
        throw fail("expected \(side) 1...65535 but received \(value)")
      }
    }
  }
}

extension Variant: Codable {
  /// Any key of a variant object: the common ones are fixed, the options the formats'.
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { nil }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    name = try container.decode(String.self, forKey: Key("name"))
    format = try container.decode(ImageFormat.self, forKey: Key("format"))
    width = try container.decodeIfPresent(Int.self, forKey: Key("width"))
    height = try container.decodeIfPresent(Int.self, forKey: Key("height"))
    fit = try container.decodeIfPresent(Fit.self, forKey: Key("fit"))
    kernel = try container.decodeIfPresent(Kernel.self, forKey: Key("kernel"))
    enlarge = try container.decodeIfPresent(Bool.self, forKey: Key("enlarge"))
    // An option of another format is read here and refused by `validate`, naming it; a key
    // no format has is refused by `Recipe.decode`.
    for key in container.allKeys where !Variant.commonKeys.contains(key.stringValue) {
      guard let option = ImageFormat.anyOption(key: key.stringValue) else { continue }
      switch option.values {
      case .integer:
        options[key.stringValue] = .integer(try container.decode(Int.self, forKey: key))
      case .yesNo: options[key.stringValue] = .yesNo(try container.decode(Bool.self, forKey: key))
      case .choice:
        options[key.stringValue] = .choice(try container.decode(String.self, forKey: key))
      }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(name, forKey: Key("name"))
    try container.encode(format, forKey: Key("format"))
    try container.encodeIfPresent(width, forKey: Key("width"))
    try container.encodeIfPresent(height, forKey: Key("height"))
    try container.encodeIfPresent(fit, forKey: Key("fit"))
    try container.encodeIfPresent(kernel, forKey: Key("kernel"))
    try container.encodeIfPresent(enlarge, forKey: Key("enlarge"))
    for (key, value) in options {
      switch value {
      case .integer(let number): try container.encode(number, forKey: Key(key))
      case .yesNo(let flag): try container.encode(flag, forKey: Key(key))
      case .choice(let word): try container.encode(word, forKey: Key(key))
      }
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
  let variantKeys = Variant.recipeKeys
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
