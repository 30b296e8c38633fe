/// A small read-only XML tree for S3's response documents (element names as written, text
/// content, children in order).
///
/// Parsed here rather than with Foundation's `XMLParser`, which would link libxml2 (and ICU
/// and liblzma with it) into the static Lambda bootstrap for a handful of flat documents.
struct XMLElement: Sendable {
  var name: String
  var text: String
  var children: [XMLElement]

  /// The first child called `name`.
  func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

  /// Every child called `name`.
  func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

  /// The text of the first child called `name`.
  func value(_ name: String) -> String? { child(name)?.text }

  /// Parses a document; nil when it is not well-formed XML (or nests deeper than S3's
  /// documents ever do).
  static func parse(_ bytes: [UInt8]) -> XMLElement? {
    var reader = XMLReader(bytes: bytes)
    return reader.document()
  }
}

/// A recursive-descent reader of one XML document: the prolog (declaration, comments,
/// processing instructions, a DOCTYPE without an internal subset), one root element with
/// attributes (read past), text with the predefined and numeric entities, CDATA and
/// comments. No DTD, so no entity expansion.
private struct XMLReader {
  let bytes: [UInt8]
  var position = 0
  static let maximumDepth = 64

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func document() -> XMLElement? {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    guard skipMiscellany(), peek(0) == UInt8(ascii: "<"), let root = element(depth: 0),
      skipMiscellany(), position == bytes.count
    else { return nil }
    return root
  }

  private func peek(_ offset: Int) -> UInt8? {
    position + offset < bytes.count ? bytes[position + offset] : nil
  }

  private func at(_ text: String) -> Bool {
    let utf8 = Array(text.utf8)
    return position + utf8.count <= bytes.count
      && bytes[position..<position + utf8.count].elementsEqual(utf8)
  }

  /// Moves past `end`; false when it never comes.
  private mutating func skip(past end: String) -> Bool {
    while position < bytes.count {
      if at(end) {
        position += end.utf8.count
        return true
      }
      position += 1
    }
    return false
  }

  private mutating func skipSpace() {
    while let byte = peek(0), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
      position += 1
    }
  }

  /// White space, comments, processing instructions and a DOCTYPE around the root.
  private mutating func skipMiscellany() -> Bool {
    while true {
      skipSpace()
      if at("<?") {
        guard skip(past: "?>") else { return false }
      } else if at("<!--") {
        guard skip(past: "-->") else { return false }
      } else if at("<!DOCTYPE") {
        guard skip(past: ">") else { return false }
      } else {
        return true
      }
    }
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: ":"),
      UInt8(ascii: "-"), UInt8(ascii: "."), 0x80...0xFF:
      return true
    default: return false
    }
  }

  private mutating func name() -> String? {
    let start = position
    while let byte = peek(0), Self.isNameByte(byte) { position += 1 }
    guard position > start else { return nil }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  /// An element, from its `<`.
  private mutating func element(depth: Int) -> XMLElement? {
    guard depth < Self.maximumDepth else { return nil }
    position += 1
    guard let name = name() else { return nil }
    var element = XMLElement(name: name, text: "", children: [])
    // Attributes: name = "value" or 'value', read past.
    while true {
      skipSpace()
      if at("/>") {
        position += 2
        return element
      }
      if peek(0) == UInt8(ascii: ">") {
        position += 1
        break
      }
      guard self.name() != nil else { return nil }
      skipSpace()
      guard peek(0) == UInt8(ascii: "=") else { return nil }
      position += 1
      skipSpace()
      guard let quote = peek(0), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'")
      else { return nil }
      position += 1
      while let byte = peek(0), byte != quote { position += 1 }
      guard peek(0) == quote else { return nil }
      position += 1
    }
    var text: [UInt8] = []
    while let byte = peek(0) {
      if byte == UInt8(ascii: "&") {
        guard let scalar = entity() else { return nil }
        text += Array(String(scalar).utf8)
      } else if byte != UInt8(ascii: "<") {
        text.append(byte)
        position += 1
      } else if at("</") {
        position += 2
        guard self.name() == name else { return nil }
        skipSpace()
        guard peek(0) == UInt8(ascii: ">") else { return nil }
        position += 1
        element.text = String(decoding: text, as: UTF8.self)
        return element
      } else if at("<!--") {
        guard skip(past: "-->") else { return nil }
      } else if at("<![CDATA[") {
        position += 9
        let start = position
        guard skip(past: "]]>") else { return nil }
        text += bytes[start..<position - 3]
      } else if at("<?") {
        guard skip(past: "?>") else { return nil }
      } else {
        guard let child = self.element(depth: depth + 1) else { return nil }
        element.children.append(child)
      }
    }
    return nil
  }

  /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#NN;` `&#xHH;`, from the `&`.
  private mutating func entity() -> Unicode.Scalar? {
    let start = position + 1
    guard let end = bytes[start...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
      return nil
    }
    let body = String(decoding: bytes[start..<end], as: UTF8.self)
    position = end + 1
    switch body {
    case "lt": return "<"
    case "gt": return ">"
    case "amp": return "&"
    case "quot": return "\""
    case "apos": return "'"
    default:
      guard body.hasPrefix("#") else { return nil }
      let digits = body.dropFirst()
      let value =
        digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
      return value.flatMap(Unicode.Scalar.init)
    }
  }
}
