/// An opaque 8-bit sRGB colour, used as the background for alpha flattening and padding.
public struct RGBColor: Sendable, Hashable, CustomStringConvertible {
  public var red: UInt8, green: UInt8, blue: UInt8

  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  public static let white = RGBColor(red: 255, green: 255, blue: 255)
  public static let black = RGBColor(red: 0, green: 0, blue: 0)

  /// True when the colour is a shade of gray (it can fill a gray image).
  public var isGray: Bool { red == green && green == blue }

  /// Parses `white`, `black`, `#rgb`, `#rrggbb` or `r,g,b` (0–255 each).
  public init?(parsing text: String) {
    let value = text.lowercased()
    switch value {
    case "white": self = .white
    case "black": self = .black
    default:
      if value.hasPrefix("#") {
        let hex = Array(value.dropFirst())
        let digits = hex.count == 3 ? hex.flatMap { [$0, $0] } : hex
        guard digits.count == 6, let number = UInt32(String(digits), radix: 16) else { return nil }
        self.init(
          red: UInt8(truncatingIfNeeded: number >> 16),
          green: UInt8(truncatingIfNeeded: number >> 8),
          blue: UInt8(truncatingIfNeeded: number))
        return
      }
      let parts = value.split(separator: ",").map { UInt8($0.trimmingSpaces()) }
      guard parts.count == 3, let r = parts[0], let g = parts[1], let b = parts[2] else {
        return nil
      }
      self.init(red: r, green: g, blue: b)
    }
  }

  public var description: String {
    func hex(_ v: UInt8) -> String {
      let digits = Array("0123456789abcdef")
      return String([digits[Int(v >> 4)], digits[Int(v & 15)]])
    }
    return "#" + hex(red) + hex(green) + hex(blue)
  }
}

extension Substring {
  fileprivate func trimmingSpaces() -> Substring {
    drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed().reduce(
      into: Substring()
    ) { $0.append($1) }
  }
}
