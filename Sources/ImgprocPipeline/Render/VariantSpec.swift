import ImgprocCodecs
import ImgprocCore

extension Variant {
  /// Parses the command-line form `NAME:FORMAT[:OPTION]...`, where an option is `WxH`
  /// (either side may be empty), `q=N`, `fit=F`, `kernel=K`, `effort=N`, `level=N`,
  /// `subsampling=S`, `progressive`, `lossless` or `enlarge` (each of the last three alone
  /// means yes, or takes `=yes/no`, `true/false`, `1/0`, `on/off`).
  /// Example: `hero:webp:q=80:1600x1600`.
  public init(spec: String) throws(PipelineError) {
    let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    func fail(_ text: String) -> PipelineError {
      PipelineError(
        .invalidConfiguration, "--variant '\(spec)': \(text)",
        hint: "expected NAME:FORMAT[:WxH][:q=N][:fit=F]…, e.g. hero:webp:q=80:1600x1600")
    }
    guard parts.count >= 2 else { throw fail("missing the format") }
    guard let format = ImageFormat(rawValue: parts[1]) else {
      throw fail(
        "unknown format '\(parts[1])' (\(ImageFormat.written.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    self.init(name: parts[0], format: format)
    var given = Set<String>()
    /// The recipe field → the key typed for it (`quality` → `q`), for messages.
    var typed: [String: String] = [:]
    for option in parts.dropFirst(2) {
      let pair = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      guard let first = pair.first, !first.isEmpty else {
        throw fail(option.isEmpty ? "an empty option (a ':' too many)" : "'\(option)' has no name")
      }
      let key = first.lowercased()
      let value = pair.count > 1 ? pair[1] : nil
      let field = Variant.specAliases[key] ?? (Variant.parseSize(option) != nil ? "size" : key)
      guard given.insert(field).inserted else { throw fail("'\(key)' is given twice") }
      typed[field == "level" ? "compressionLevel" : field] = key
      func number() throws(PipelineError) -> Int {
        guard let value, let n = Int(value) else { throw fail("'\(key)' needs a number") }
        return n
      }
      func yes() throws(PipelineError) -> Bool {
        guard let value else { return true }
        guard let answer = Variant.yesNo(value) else {
          throw fail("'\(key)' takes yes or no (true/false, yes/no, 1/0, on/off), not '\(value)'")
        }
        return answer
      }
      switch key {
      case "q", "quality": quality = try number()
      case "effort", "method": effort = try number()
      case "level": compressionLevel = try number()
      case "fit":
        guard let fit = value.flatMap(Fit.init(rawValue:)) else {
          throw fail("fit must be one of \(Fit.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.fit = fit
      case "kernel":
        guard let kernel = value.flatMap(Kernel.init(rawValue:)) else {
          throw fail(
            "kernel must be one of \(Kernel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.kernel = kernel
      case "subsampling":
        guard let s = value.flatMap(ChromaSubsampling.init(rawValue:)) else {
          throw fail("subsampling must be auto, 420, 422 or 444")
        }
        subsampling = s
      case "progressive": progressive = try yes()
      case "lossless": lossless = try yes()
      case "enlarge": enlarge = try yes()
      default:
        guard value == nil, let size = Variant.parseSize(option) else {
          throw fail("unknown option '\(option)'")
        }
        (width, height) = size
      }
    }
    do {
      try validate()
    } catch {
      // Ranges are said with the recipe's field names; say them as typed (`level`, `q`).
      var message = error.message
      for (field, key) in typed where field != key {
        message = message.replacingOccurrences(of: "expected \(field) ", with: "expected \(key) ")
      }
      throw fail(String(message.drop { $0 != ":" }.dropFirst(2)))
    }
  }

  /// A yes/no value as the command line spells it: `true/false`, `yes/no`, `1/0`, `on/off`
  /// (any case); nil for anything else.
  static func yesNo(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "true", "yes", "1", "on": return true
    case "false", "no", "0", "off": return false
    default: return nil
    }
  }

  /// Command-line option names → the field they set (so `q=80:quality=90` is a duplicate).
  static let specAliases = [
    "q": "quality", "quality": "quality", "effort": "effort", "method": "effort",
    "level": "level",
  ]

  /// `WxH`, `Wx` or `xH`: nil when malformed.
  static func parseSize(_ text: String) -> (Int?, Int?)? {
    let sides = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard sides.count == 2 else { return nil }
    let width = sides[0].isEmpty ? nil : Int(sides[0])
    let height = sides[1].isEmpty ? nil : Int(sides[1])
    if !sides[0].isEmpty && width == nil || !sides[1].isEmpty && height == nil { return nil }
    guard width != nil || height != nil else { return nil }
    return (width, height)
  }
}
