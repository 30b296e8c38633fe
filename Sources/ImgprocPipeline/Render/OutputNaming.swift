import Crypto
import Foundation
import ImgprocCodecs

/// Output file names from a template with `{base}`, `{variant}`, `{hash}`, `{ext}` and
/// `{recipe}`. `{hash}` is the first 8 hex digits of the SHA-256 of the source bytes, so the
/// same input always gets the same names and a re-run finds its outputs.
public struct OutputNaming: Sendable {
  public static let defaultTemplate = "{base}_{variant}_{hash}.{ext}"

  public let template: String

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
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
      guard let close = rest[open...].firstIndex(of: "}") else { throw fail("unclosed '{'") }
      let key = rest[rest.index(after: open)..<close]
      guard ["base", "variant", "hash", "ext", "recipe"].contains(key) else {
        throw fail("unknown placeholder {\(key)}")
      }
      rest = rest[rest.index(after: close)...]
    }
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
  }

  /// Whether names depend on the source's content (the template has `{hash}`).
  public var usesHash: Bool { template.contains("{hash}") }

  /// The first 8 hex digits of the SHA-256 of `bytes`.
  public static func hash(_ bytes: [UInt8]) -> String {
    let digest = SHA256.hash(data: bytes)
    return digest.prefix(4).map { byte in
      let digits = Array("0123456789abcdef")
      return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }.joined()
  }

  /// The file name (relative to its output folder) of `variant` of a source.
  /// A `base` that is empty or only dots becomes `image`, and `/` in it becomes `_`.
  public func name(base: String, variant: Variant, hash: String, recipe: String) -> String {
    var safeBase = base.replacingOccurrences(of: "/", with: "_")
    if safeBase.allSatisfy({ $0 == "." }) { safeBase = "image" }
    return
      template
      .replacingOccurrences(of: "{base}", with: safeBase)
      .replacingOccurrences(of: "{variant}", with: variant.name)
      .replacingOccurrences(of: "{hash}", with: hash)
      .replacingOccurrences(of: "{ext}", with: variant.format.fileExtension)
      .replacingOccurrences(of: "{recipe}", with: recipe)
  }
}
