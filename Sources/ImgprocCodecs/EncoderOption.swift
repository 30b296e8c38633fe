/// One option of a format's encoder, declared with the format (as libvips declares each
/// saver's arguments with the saver): its recipe key, the other names `--variant` takes, the
/// values it takes, its default and its help. The `--variant` parser, recipe keys, their
/// checks and `--help` all read these tables (`ImageFormat.options`); the format's
/// `encodeSettings` reads the values set (`EncodeRequest`).
public struct EncoderOption: Sendable {
  /// What values an option takes.
  public enum Values: Sendable, Equatable {
    /// A whole number in the range (JSON: a number).
    case integer(ClosedRange<Int>)
    /// Yes or no (JSON: `true`/`false`; `--variant`: the name alone, or `=yes/no`,
    /// `true/false`, `1/0`, `on/off`).
    case yesNo
    /// One of these words (JSON: a string).
    case choice([String])
  }

  /// The recipe (JSON) key: `quality`, `compressionLevel`.
  public let key: String
  /// Other names `--variant` takes for it: `q`, `level`, `method`.
  public let aliases: [String]
  public let values: Values
  /// Its value when unset, when the format fixes one (nil: decided elsewhere, said by
  /// `defaultText`).
  public let defaultValue: OptionValue?
  /// Its default as help says it.
  public let defaultText: String
  /// What it does, for `--help` and the docs.
  public let help: String

  public init(
    key: String, aliases: [String] = [], values: Values, default defaultValue: OptionValue?,
    defaultText: String? = nil, help: String
  ) {
    self.key = key
    self.aliases = aliases
    self.values = values
    self.defaultValue = defaultValue
    self.defaultText = defaultText ?? defaultValue?.description ?? "automatic"
    self.help = help
  }

  /// The names `--variant` takes: the key, then its aliases.
  public var names: [String] { [key] + aliases }

  /// The values as help writes them: `1...100`, `yes|no`, `auto|420|422|444`.
  public var syntax: String {
    switch values {
    case .integer(let range): return "\(range.lowerBound)...\(range.upperBound)"
    case .yesNo: return "yes|no"
    case .choice(let words): return words.joined(separator: "|")
    }
  }

  /// The value `text` gives it on the command line (nil for a name alone), or nil when
  /// `text` is not one of its values; ranges are checked by `check`.
  public func parse(_ text: String?) -> OptionValue? {
    switch values {
    case .integer: return text.flatMap(Int.init).map(OptionValue.integer)
    case .yesNo:
      guard let text else { return .yesNo(true) }
      return Self.yesNo(text).map(OptionValue.yesNo)
    case .choice(let words):
      return text.flatMap { word in words.contains(word) ? .choice(word) : nil }
    }
  }

  /// Why `value` is not one this option takes, naming it `name` (as typed); nil when it is.
  public func check(_ value: OptionValue, as name: String? = nil) -> String? {
    let name = name ?? key
    switch (values, value) {
    case (.integer(let range), .integer(let number)):
      guard !range.contains(number) else { return nil }
      return "expected \(name) \(syntax) but received \(number)"
    case (.yesNo, .yesNo): return nil
    case (.choice(let words), .choice(let word)):
      return words.contains(word) ? nil : "\(name) must be one of \(words.joined(separator: ", "))"
    default: return "'\(name)' takes \(expected)"
    }
  }

  /// What its values are, in words: `a whole number 1...100`, `yes or no`, `one of …`.
  public var expected: String {
    switch values {
    case .integer: return "a whole number \(syntax)"
    case .yesNo: return "yes or no (true/false, yes/no, 1/0, on/off)"
    case .choice(let words): return "one of \(words.joined(separator: ", "))"
    }
  }

  /// A yes/no word as the command line spells it: `true/false`, `yes/no`, `1/0`, `on/off`
  /// (any case); nil for anything else.
  public static func yesNo(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "true", "yes", "1", "on": return true
    case "false", "no", "0", "off": return false
    default: return nil
    }
  }

  // MARK: - Options several formats declare

  /// Lossy quality 1...100.
  static func quality(default value: Int) -> EncoderOption {
    EncoderOption(
      key: "quality", aliases: ["q"], values: .integer(1...100), default: .integer(value),
      help: "lossy quality: higher is larger and closer to the source")
  }

  /// Encoder effort over `range` (slower for smaller files), `method` being libwebp's name.
  static func effort(_ range: ClosedRange<Int>, default value: Int) -> EncoderOption {
    EncoderOption(
      key: "effort", aliases: ["method"], values: .integer(range), default: .integer(value),
      help: "CPU spent for smaller files: higher is slower and smaller")
  }

  /// Lossless compression instead of lossy.
  static let lossless = EncoderOption(
    key: "lossless", values: .yesNo, default: .yesNo(false),
    help: "lossless compression (quality then only trades speed for size)")
}

/// A value of an `EncoderOption`.
public enum OptionValue: Sendable, Hashable, CustomStringConvertible {
  case integer(Int)
  case yesNo(Bool)
  case choice(String)

  public var integer: Int? {
    if case .integer(let value) = self { return value }
    return nil
  }

  public var yesNo: Bool? {
    if case .yesNo(let value) = self { return value }
    return nil
  }

  public var choice: String? {
    if case .choice(let value) = self { return value }
    return nil
  }

  public var description: String {
    switch self {
    case .integer(let value): return String(value)
    case .yesNo(let value): return value ? "yes" : "no"
    case .choice(let value): return value
    }
  }
}
