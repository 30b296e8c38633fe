/// Sizes as people write them: `512MiB`, `1GiB`, `64k`, `2MB`, `1000000`.
public enum ByteCount {
  /// Parses a size: a whole number of bytes, optionally followed by `K`/`KiB`, `M`/`MiB`,
  /// `G`/`GiB` (powers of 1024, any case) or `KB`, `MB`, `GB` (powers of 1000). Nil when
  /// malformed, negative or too large.
  public static func parse(_ text: String) -> Int? {
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, let value = Int(digits) else { return nil }
    let unit = text.dropFirst(digits.count).lowercased()
    let factors: [String: Int] = [
      "": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30,
      "gib": 1 << 30, "kb": 1000, "mb": 1_000_000, "gb": 1_000_000_000,
    ]
    guard let factor = factors[unit] else { return nil }
    let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
    return overflow ? nil : bytes
  }

  /// `536870912` → `512 MiB`; exact multiples of 1024 use binary units, the rest bytes.
  public static func describe(_ bytes: Int) -> String {
    for (unit, factor) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
    where bytes >= factor && bytes % factor == 0 {
      return "\(bytes / factor) \(unit)"
    }
    return "\(bytes) bytes"
  }

  /// Sizes for people: `1 byte`, `980 bytes`, `23.8 MiB` (binary units, one decimal).
  public static func human(_ bytes: Int) -> String {
    if bytes < 1024 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
    var value = Double(bytes) / 1024
    var unit = "KiB"
    for next in ["MiB", "GiB", "TiB"] where value >= 1024 {
      value /= 1024
      unit = next
    }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(unit)"
  }
}
