import Foundation

/// The encodings SigV4 needs, written out so that what is signed is exactly what is sent.
public enum SigV4Encoding {
  /// RFC 3986 percent-encoding of UTF-8 bytes: everything but `A-Z a-z 0-9 - _ . ~` (and `/`
  /// when `keepSlash`) becomes `%XY` with upper-case hex.
  public static func uriEncode(_ text: String, keepSlash: Bool) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "."), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      case UInt8(ascii: "/") where keepSlash:
        out.append("/")
      default:
        out += "%" + hexDigit(byte >> 4) + hexDigit(byte & 0xF)
      }
    }
    return out
  }

  /// Lower-case hex of bytes.
  public static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    var out = ""
    for byte in bytes {
      out += hexDigit(byte >> 4).lowercased() + hexDigit(byte & 0xF).lowercased()
    }
    return out
  }

  private static func hexDigit(_ nibble: UInt8) -> String {
    String(UnicodeScalar(nibble < 10 ? 48 + nibble : 55 + nibble))
  }

  /// `20150830T123600Z` and `20150830` for a point in time, from UTC calendar fields
  /// computed by hand (no DateFormatter, no locale).
  public static func timestamp(_ date: Date) -> (dateTime: String, day: String) {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = civil(fromDays: days)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let dayString = "\(year)" + two(month) + two(day)
    let time = two(secondOfDay / 3600) + two(secondOfDay / 60 % 60) + two(secondOfDay % 60)
    return (dayString + "T" + time + "Z", dayString)
  }

  /// Year, month, day of a count of days since 1970-01-01 (proleptic Gregorian calendar;
  /// Howard Hinnant's `civil_from_days`).
  static func civil(fromDays days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
