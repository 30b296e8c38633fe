import Crypto
import Foundation
import ImgprocCodecs

/// Output file names from a template with `{base}`, `{variant}`, `{hash}`, `{ext}` and
/// `{recipe}`. `{hash}` identifies what made the output (`OutputIdentity`: the source's
/// bytes, the variant's settings, the output version), so the same input with the same
/// settings always gets the same names and a re-run finds its outputs, and a change never
/// leaves an old output passing for a new one. Without `{hash}`, names cannot tell, and
/// outputs are made again on every run.
public struct OutputNaming: Sendable {
  public static let defaultTemplate = "{base}_{variant}_{hash}.{ext}"

  public let template: String
  /// The template taken apart once: literal text and placeholders, in order.
  private let pieces: [Piece]

  private enum Piece: Sendable {
    case literal(String)
    case base, variant, hash, ext, recipe
  }

  /// Checks the template: known placeholders only, `{variant}` present when several
  /// variants would otherwise collide, no absolute path and no `..`.
  public init(template: String = OutputNaming.defaultTemplate, variantCount: Int)
    throws(PipelineError)
  {
    func fail(_ text: String) -> PipelineError {
      PipelineError(
        .invalidConfiguration, "--name '\(template)': \(text)",
        hint: "placeholders: {base} {variant} {hash} {ext} {recipe}")
    }
    var pieces: [Piece] = []
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
      guard let close = rest[open...].firstIndex(of: "}") else { throw fail("unclosed '{'") }
      if open > rest.startIndex { pieces.append(.literal(String(rest[..<open]))) }
      switch rest[rest.index(after: open)..<close] {
      case "base": pieces.append(.base)
      case "variant": pieces.append(.variant)
      case "hash": pieces.append(.hash)
      case "ext": pieces.append(.ext)
      case "recipe": pieces.append(.recipe)
      case let key: throw fail("unknown placeholder {\(key)}")
      }
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { pieces.append(.literal(String(rest))) }
    if variantCount > 1 && !template.contains("{variant}") {
      throw fail("needs {variant}, or every variant would get the same name")
    }
    // Placeholder values are never empty and never hold `/` (see `name`), so only literal
    // path components can leave the folder or name nothing.
    let components = template.split(separator: "/", omittingEmptySubsequences: false)
    if template.hasPrefix("/") || components.contains(where: { ["", ".", ".."].contains($0) }) {
      throw fail("must be a relative file name inside the output folder")
    }
    self.template = template
    self.pieces = pieces
  }

  /// Whether names depend on the source's content (the template has `{hash}`).
  public var usesHash: Bool { template.contains("{hash}") }

  /// The first `digits` hex digits (8 by default) of the SHA-256 of `bytes`.
  public static func hash(_ bytes: [UInt8], digits: Int = 8) -> String {
    OutputIdentity.hex(Array(SHA256.hash(data: bytes).prefix(digits / 2)))
  }

  /// What names of other versions of the same output look like: this output's name with
  /// any 8 lowercase hex digits where `{hash}` stands. Nil without `{hash}`, or when it is
  /// in a folder component.
  public func otherVersions(base: String, variant: Variant, recipe: String) -> NamePattern? {
    let sentinel: Character = "\u{1}"
    let name = self.name(base: base, variant: variant, hash: String(sentinel), recipe: recipe)
    let file = name.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    guard name.contains(sentinel), !name.dropLast(file.count).contains(sentinel) else {
      return nil
    }
    return NamePattern(
      pieces: file.split(separator: sentinel, omittingEmptySubsequences: false).map(String.init),
      folder: String(name.dropLast(file.count)))
  }

  /// The file name (relative to its output folder) of `variant` of a source.
  /// A `base` that is empty or only dots becomes `image`, and `/` in it becomes `_`.
  /// Each placeholder is replaced once, in one pass: a value holding `{…}` stays as it is.
  public func name(base: String, variant: Variant, hash: String, recipe: String) -> String {
    var safeBase =
      base.utf8.contains(UInt8(ascii: "/"))
      ? base.split(separator: "/", omittingEmptySubsequences: false).joined(separator: "_") : base
    if safeBase.utf8.allSatisfy({ $0 == UInt8(ascii: ".") }) { safeBase = "image" }
    var name = ""
    for piece in pieces {
      switch piece {
      case .literal(let text): name += text
      case .base: name += safeBase
      case .variant: name += variant.name
      case .hash: name += hash
      case .ext: name += variant.format.fileExtension
      case .recipe: name += recipe
      }
    }
    return name
  }
}

/// A file name with 8 lowercase hex digits between its literal pieces (the same digits at
/// every place).
public struct NamePattern: Sendable, Hashable {
  let pieces: [String]
  /// The folders the template puts before the file name ("" or ending in `/`).
  let folder: String

  /// What every matching name starts with.
  var literalPrefix: String { pieces.first ?? "" }

  /// Matches every name: what can be said of outputs whose `{hash}` is in a folder name.
  static let anything = NamePattern(pieces: [], folder: "")

  public func matches(_ name: String) -> Bool {
    if pieces.isEmpty { return true }
    var rest = Substring(name)
    var digits: Substring?
    for (index, piece) in pieces.enumerated() {
      guard rest.hasPrefix(piece) else { return false }
      rest = rest.dropFirst(piece.count)
      guard index < pieces.count - 1 else { break }
      let hash = rest.prefix(8)
      guard hash.count == 8, hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
        digits == nil || digits == hash
      else { return false }
      digits = hash
      rest = rest.dropFirst(8)
    }
    return rest.isEmpty
  }
}
