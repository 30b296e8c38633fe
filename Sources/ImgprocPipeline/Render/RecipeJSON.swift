import Foundation
import ImgprocCodecs

/// What `JSONDecoder` does not say of a recipe document: a key given twice in one object
/// (which the decoder resolves silently, where jq, Python and JavaScript take the last), and
/// a value of the wrong type named by its key ("quality" must be a whole number, not 80.5).
enum RecipeJSON {
  /// What each key takes, for the type checks: the fixed keys and every written format's
  /// options (the kinds of one key agree across formats).
  private struct Kinds {
    var wholeNumbers: Set<String> = ["maxSize", "width", "height"]
    var booleans: Set<String> = ["enlarge"]
    /// Options that take a word, and their words.
    var words: [String: [String]] = [:]

    init() {
      for option in ImageFormat.written.flatMap(\.options) {
        switch option.values {
        case .integer: wholeNumbers.insert(option.key)
        case .yesNo: booleans.insert(option.key)
        case .choice(let choices): words[option.key] = choices
        }
      }
    }
  }

  /// The first key given twice in one object, with where (`variants[0].quality`); nil when
  /// there is none or the text is not JSON (the decoder says so).
  static func duplicateKey(_ data: Data) -> String? {
    var scanner = Scanner(bytes: Array(data))
    return scanner.value(path: "")
  }

  /// The first field whose value has the wrong type, as a message naming it.
  static func typeError(_ data: Data) -> String? {
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      return nil
    }
    let kinds = Kinds()
    var objects: [(path: String, object: [String: Any])] = [("", root)]
    for (index, variant) in ((root["variants"] as? [Any]) ?? []).enumerated() {
      if let variant = variant as? [String: Any] {
        objects.append(("variants[\(index)].", variant))
      }
    }
    for (path, object) in objects {
      for (key, value) in object.sorted(by: { $0.key < $1.key }) {
        let number = value as? NSNumber
        // JSONSerialization gives true and false as NSNumbers of C type `c`.
        let isBoolean = number.map { String(cString: $0.objCType) == "c" } ?? false
        let isWhole =
          number.map { !isBoolean && $0.doubleValue.rounded() == $0.doubleValue } ?? false
        if kinds.wholeNumbers.contains(key), !isWhole {
          return "'\(path)\(key)' must be a whole number, not \(render(value))"
        }
        if kinds.booleans.contains(key), !isBoolean {
          return "'\(path)\(key)' must be true or false, not \(render(value))"
        }
        if let choices = kinds.words[key], !(value is String) {
          return
            "'\(path)\(key)' must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")) (a string), not \(render(value))"
        }
      }
    }
    return nil
  }

  private static func render(_ value: Any) -> String {
    if value is String { return "a string" }
    if value is [Any] { return "a list" }
    if value is [String: Any] { return "an object" }
    return "\(value)"
  }

  /// A JSON reader that only follows objects' keys (RFC 8259 §2–7).
  private struct Scanner {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
      while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
    }

    /// Reads one value; returns the first duplicate key found in it.
    mutating func value(path: String) -> String? {
      skipSpace()
      guard offset < bytes.count else { return nil }
      switch bytes[offset] {
      case UInt8(ascii: "{"):
        offset += 1
        var keys = Set<String>()
        while true {
          skipSpace()
          guard offset < bytes.count else { return nil }
          if bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return nil
          }
          if bytes[offset] == UInt8(ascii: ",") {
            offset += 1
            continue
          }
          guard let key = string() else { return nil }
          if !keys.insert(key).inserted { return path + key }
          skipSpace()
          guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return nil }
          offset += 1
          if let found = value(path: path + key + ".") { return found }
        }
      case UInt8(ascii: "["):
        offset += 1
        var index = 0
        while true {
          skipSpace()
          guard offset < bytes.count else { return nil }
          if bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return nil
          }
          if bytes[offset] == UInt8(ascii: ",") {
            offset += 1
            index += 1
            continue
          }
          let itemPath = String(path.dropLast()) + "[\(index)]."
          if let found = value(path: itemPath) { return found }
        }
      case UInt8(ascii: "\""):
        _ = string()
        return nil
      default:
        // A number, true, false or null: up to the next delimiter. Nothing read is text
        // that is not JSON: the scan stops (the decoder reports it).
        let begin = offset
        while offset < bytes.count, !",]} \t\r\n".utf8.contains(bytes[offset]) { offset += 1 }
        if offset == begin { offset = bytes.count }
        return nil
      }
    }

    /// Reads a string (escapes decoded as far as keys need); nil when it does not end.
    mutating func string() -> String? {
      guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
      let start = offset
      offset += 1
      while offset < bytes.count {
        if bytes[offset] == UInt8(ascii: "\\") {
          offset += 2
          continue
        }
        if bytes[offset] == UInt8(ascii: "\"") {
          offset += 1
          let literal = Data(bytes[start..<offset])
          return (try? JSONSerialization.jsonObject(with: literal, options: .fragmentsAllowed))
            as? String
        }
        offset += 1
      }
      return nil
    }
  }
}
