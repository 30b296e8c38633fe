import Crypto
import ImgprocCodecs

/// What makes an output: the source's bytes, the variant's effective settings and the
/// version of imgproc's output. `{hash}` in output names is derived from all three, so a
/// name says exactly what made the file: the same source with the same settings always gets
/// the same name (a re-run finds it and does nothing), and any change — a new version of the
/// source, another quality, size, fit, kernel, metadata policy, background… or an encoder
/// change that bumps `version` — gets a new one.
public enum OutputIdentity {
  /// The version of what imgproc's pipeline and encoders make for given settings. Bump it
  /// whenever their bytes change for the same settings, so that every output is made again;
  /// a change to one encoder alone bumps that encoder's revision in its `identityFields`
  /// (PNG's `writer=`), so only its outputs are.
  public static let version = 1

  /// The canonical text of everything that decides `variant`'s bytes under `settings`, with
  /// every default filled in (`q=80` given or implied are the same).
  public static func settingsKey(_ variant: Variant, _ settings: RenderSettings) -> String {
    var fields = ["imgproc-output/\(version)", "format=\(variant.format.rawValue)"]
    fields += settings.encodeSettings(for: variant).options.identityFields
    fields += [
      "width=\(variant.width.map(String.init) ?? "-")",
      "height=\(variant.height.map(String.init) ?? "-")",
      "fit=\((variant.fit ?? .inside).rawValue)", "enlarge=\(variant.enlarge ?? false)",
      "kernel=\((variant.kernel ?? settings.kernel).rawValue)",
      "cap=\(settings.maxSize):\(settings.kernel.rawValue)",
      "gap=\(settings.reducingGap.map { String($0) } ?? "exact")",
      "orient=\(settings.autoOrient)", "keep=\(settings.keep.rawValue)",
      "color=\(settings.keep.keepsProfile ? "stored" : "srgb/\(settings.profile.rawValue)")",
      "background=\(settings.background.description)", "fail-on=\(settings.decode.failOn.rawValue)",
    ]
    return fields.joined(separator: " ")
  }

  /// The SHA-256 of a source's bytes, computed once for all its variants.
  public static func digest(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

  /// Bytes in lower-case hex.
  public static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
  }

  /// `{hash}`: the first 8 hex digits of SHA-256(source digest ‖ settings key).
  public static func hash(sourceDigest: [UInt8], settingsKey: String) -> String {
    OutputNaming.hash(sourceDigest + Array(settingsKey.utf8))
  }

  /// A recipe run's fingerprint (16 hex digits): the settings keys of all its variants, in
  /// order, and the name template. s3-sync records it in each manifest's key, so a changed
  /// recipe or template converts again.
  public static func recipeFingerprint(_ settings: RenderSettings, naming: OutputNaming)
    -> String
  {
    let keys = settings.recipe.variants.map { $0.name + "=" + settingsKey($0, settings) }
    let text = (keys + ["name=" + naming.template]).joined(separator: "\n")
    return OutputNaming.hash(Array(text.utf8), digits: 16)
  }
}
