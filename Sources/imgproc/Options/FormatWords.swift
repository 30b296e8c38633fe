import ImgprocCodecs

/// What help text says about formats, from the codec registry: a build without HEIF (the
/// Lambda package) says what it reads and writes, not what the default build does.
enum FormatWords {
  /// What each format reads, in registry order.
  private static let readDetails = [
    "jpeg": "JPEG (baseline, progressive, arithmetic, gray; CMYK and YCCK converted through "
      + "their embedded profile, naively when they have none)",
    "png": "PNG (every type and depth; APNG gives its default image, with a warning)",
    "webp": "WebP (lossy, lossless, alpha; an animation gives its first frame, with a warning)",
    "heif": "HEIF/HEIC (the primary image)",
    "avif": "AVIF",
  ]

  /// Each written format's options for `--variant`, from its table: "jpeg: q=1...100 (80),
  /// progressive (--progressive), …; webp: …".
  static var variantOptions: String {
    ImageFormat.written.map { format in
      let options = format.options.map { option in
        let name = option.names.min { $0.count < $1.count } ?? option.key
        let form = option.values == .yesNo ? name : "\(name)=\(option.syntax)"
        return "\(form) (\(option.defaultText))"
      }
      return "\(format.rawValue): " + (options.isEmpty ? "none" : options.joined(separator: ", "))
    }.joined(separator: "; ")
  }

  /// "JPEG (…), PNG (…), WebP (…), HEIF/HEIC (…) and AVIF".
  static var reads: String {
    list(ImageFormat.allCases.map { readDetails[$0.rawValue] ?? $0.rawValue.uppercased() })
  }

  /// The formats variants can be written in, by their recipe names: "jpeg, png, webp, avif".
  static var writtenNames: String {
    ImageFormat.written.map(\.rawValue).joined(separator: ", ")
  }

  /// "JPEG, PNG, WebP and AVIF".
  static var writes: String {
    let display = ["jpeg": "JPEG", "png": "PNG", "webp": "WebP", "heif": "HEIF", "avif": "AVIF"]
    return list(ImageFormat.written.map { display[$0.rawValue] ?? $0.rawValue.uppercased() })
  }

  private static func list(_ items: [String]) -> String {
    guard items.count > 1, let last = items.last else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + last
  }
}
