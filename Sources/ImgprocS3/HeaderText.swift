import Foundation

/// Text that must survive a trip through places that cannot carry every character:
/// metadata values in HTTP headers, and keys in XML listings.
enum HeaderText {
  /// `value` as an `x-amz-meta-*` header value that comes back exactly: printable ASCII
  /// (tabs inside included, RFC 9110 5.5) as it is; anything else — other control
  /// characters, non-ASCII, whitespace at either end (which HTTP trims), a value that
  /// itself looks encoded — as one RFC 2047 encoded word, `=?UTF-8?B?base64?=`, the form
  /// S3 itself uses for metadata that is not ASCII.
  static func encodeMetadata(_ value: String) -> String {
    let scalars = value.unicodeScalars
    let plain =
      scalars.allSatisfy { ($0.value >= 0x20 && $0.value < 0x7F) || $0 == "\t" }
      && scalars.first.map { $0 != " " && $0 != "\t" } ?? true
      && scalars.last.map { $0 != " " && $0 != "\t" } ?? true
      && !value.hasPrefix("=?")
    return plain ? value : "=?UTF-8?B?" + Data(value.utf8).base64EncodedString() + "?="
  }

  /// A metadata value as read from a header: RFC 2047 encoded words (`B` or `Q`, UTF-8 or
  /// ASCII, whitespace between adjacent words ignored) decoded; anything else as it is.
  static func decodeMetadata(_ value: String) -> String {
    let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard !words.isEmpty, value.hasPrefix("=?") else { return value }
    var bytes: [UInt8] = []
    for word in words {
      let parts = word.split(separator: "?", omittingEmptySubsequences: false)
      guard parts.count == 5, parts[0] == "=", parts[4] == "=",
        ["utf-8", "us-ascii"].contains(parts[1].lowercased())
      else { return value }
      switch parts[2].uppercased() {
      case "B":
        guard let data = Data(base64Encoded: String(parts[3])) else { return value }
        bytes += data
      case "Q":
        guard let decoded = percentDecoded(parts[3], escape: UInt8(ascii: "="), plus: false)
        else { return value }
        bytes += decoded.map { $0 == UInt8(ascii: "_") ? 0x20 : $0 }
      default:
        return value
      }
    }
    return String(validating: bytes, as: UTF8.self) ?? value
  }

  /// A key from a listing asked for with `encoding-type=url`: `+` is a space and `%XX` a
  /// byte (S3 writes a literal `+` as `%2B`); nil when it is not valid UTF-8.
  static func decodeListedKey(_ text: String) -> String? {
    percentDecoded(Substring(text), escape: UInt8(ascii: "%"), plus: true).flatMap {
      String(validating: $0, as: UTF8.self)
    }
  }

  private static func percentDecoded(_ text: Substring, escape: UInt8, plus: Bool) -> [UInt8]? {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      if byte == escape {
        guard let high = iterator.next().flatMap(hexValue),
          let low = iterator.next().flatMap(hexValue)
        else { return nil }
        bytes.append(high << 4 | low)
      } else {
        bytes.append(plus && byte == UInt8(ascii: "+") ? 0x20 : byte)
      }
    }
    return bytes
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
