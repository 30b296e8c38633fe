import ImgprocCodecs
import ImgprocCore

extension Variant {
  /// Parses the command-line form `NAME:FORMAT[:OPTION]...`, where an option is `WxH`
  /// (either side may be empty), `fit=F`, `kernel=K`, `enlarge`, or one of the format's own
  /// options by its key or alias (`q=N`, `effort=N`, `level=N`, `progressive`…; a yes/no
  /// option alone means yes, or takes `=yes/no`, `true/false`, `1/0`, `on/off`).
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
    // A format imgproc only reads: said before its options, which it has none of.
    if !format.capabilities.contains(.encode) {
      do {
        try validate()
      } catch {
        throw fail(String(error.message.drop { $0 != ":" }.dropFirst(2)))
      }
    }
    var given = Set<String>()
    /// The recipe key → the name typed for it (`compressionLevel` → `level`), for messages.
    var typed: [String: String] = [:]
    for option in parts.dropFirst(2) {
      let pair = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      guard let first = pair.first, !first.isEmpty else {
        throw fail(option.isEmpty ? "an empty option (a ':' too many)" : "'\(option)' has no name")
      }
      let key = first.lowercased()
      let value = pair.count > 1 ? pair[1] : nil
      let encoderOption = format.option(named: key)
      let field =
        encoderOption?.key ?? (Variant.parseSize(option) != nil && value == nil ? "size" : key)
      guard given.insert(field).inserted else { throw fail("'\(key)' is given twice") }
      typed[field] = key
      if let encoderOption {
        guard let parsed = encoderOption.parse(value) else {
          if case .integer = encoderOption.values { throw fail("'\(key)' needs a number") }
          throw fail("'\(key)' takes \(encoderOption.expected), not '\(value ?? "")'")
        }
        options[encoderOption.key] = parsed
        continue
      }
      switch key {
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
      case "enlarge":
        guard let answer = value.map(EncoderOption.yesNo) ?? true else {
          throw fail(
            "'\(key)' takes yes or no (true/false, yes/no, 1/0, on/off), not '\(value ?? "")'")
        }
        enlarge = answer
      default:
        if let size = Variant.parseSize(option), value == nil {
          (width, height) = size
        } else if let other = ImageFormat.written.lazy.compactMap({ $0.option(named: key) }).first {
          let named = other.key == key ? "'\(key)'" : "'\(key)' (\(other.key))"
          throw fail("\(named) does not apply to \(format.rawValue)")
        } else {
          throw fail("unknown option '\(option)'")
        }
      }
    }
    do {
      try validate()
    } catch {
      // Ranges are said with the recipe's keys; say them as typed (`level`, `q`).
      var message = error.message
      for (field, key) in typed where field != key {
        message = message.replacingOccurrences(of: "expected \(field) ", with: "expected \(key) ")
      }
      throw fail(String(message.drop { $0 != ":" }.dropFirst(2)))
    }
  }

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
