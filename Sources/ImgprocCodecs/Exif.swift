import ImgprocCore

/// Just enough of EXIF (a TIFF structure) to read and neutralise the orientation tag.
public enum Exif {
  /// The orientation tag of IFD0 and the byte offset of its value, or nil when the data is
  /// not TIFF or has no valid orientation. Every read is bounds-checked.
  public static func orientation(in tiff: [UInt8]) -> (orientation: Orientation, valueOffset: Int)?
  {
    guard tiff.count >= 8 else { return nil }
    let little: Bool
    switch (tiff[0], tiff[1]) {
    case (0x49, 0x49): little = true
    case (0x4D, 0x4D): little = false
    default: return nil
    }
    func u16(_ at: Int) -> Int? {
      guard at >= 0, at + 2 <= tiff.count else { return nil }
      let a = Int(tiff[at])
      let b = Int(tiff[at + 1])
      return little ? a | b << 8 : a << 8 | b
    }
    func u32(_ at: Int) -> Int? {
      guard let low = u16(little ? at : at + 2), let high = u16(little ? at + 2 : at) else {
        return nil
      }
      return high << 16 | low
    }
    guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
    for index in 0..<entries {
      let entry = ifd + 2 + index * 12
      guard let tag = u16(entry) else { return nil }
      guard tag == 0x0112 else { continue }
      guard u16(entry + 2) == 3, let value = u16(entry + 8),
        let orientation = Orientation(rawValue: value)
      else { return nil }
      return (orientation, entry + 8)
    }
    return nil
  }

  /// `tiff` with its orientation tag set to 1 (upright), for outputs whose pixels were
  /// already turned upright. Data without the tag is returned unchanged.
  public static func resettingOrientation(_ tiff: [UInt8]) -> [UInt8] {
    guard let (_, offset) = orientation(in: tiff) else { return tiff }
    var copy = tiff
    let littleEndian = tiff[0] == 0x49
    copy[offset] = littleEndian ? 1 : 0
    copy[offset + 1] = littleEndian ? 0 : 1
    return copy
  }
}
