/// ISO base media file format boxes (ISO/IEC 14496-12 §4.2), as far as HEIF and AVIF image
/// sequences need them: whether a file is a sequence, and how many frames it has. Pure Swift.
enum ISOBoxes {
  /// The brands that mark an image sequence: AVIF's `avis`, HEIF's `msf1` and `hevs`.
  static let sequenceBrands: Set<String> = ["avis", "msf1", "hevs"]

  /// Whether `data`'s `ftyp` box names a sequence brand, major or compatible.
  static func isSequence(_ data: [UInt8]) -> Bool {
    guard let ftyp = boxes(data, in: 0..<data.count).first, ftyp.type == "ftyp",
      ftyp.content.count >= 8
    else { return false }
    let content = ftyp.content
    var brands = [brand(data, content.lowerBound)]
    var offset = content.lowerBound + 8  // after the major brand and the minor version
    while offset + 4 <= content.upperBound {
      brands.append(brand(data, offset))
      offset += 4
    }
    return brands.contains { sequenceBrands.contains($0) }
  }

  /// The frame count of the first track (`moov/trak/mdia/minf/stbl/stsz` or `stz2`'s
  /// sample count); nil when there is no such track.
  static func frames(_ data: [UInt8]) -> Int? {
    var range = 0..<data.count
    for type in ["moov", "trak", "mdia", "minf", "stbl"] {
      guard let box = boxes(data, in: range).first(where: { $0.type == type }) else { return nil }
      range = box.content
    }
    guard let sizes = boxes(data, in: range).first(where: { ["stsz", "stz2"].contains($0.type) }),
      sizes.content.count >= 12
    else { return nil }
    return bigEndian(data, sizes.content.lowerBound + 8)
  }

  /// The boxes that fill `range`, in order, up to the first that does not fit.
  static func boxes(_ data: [UInt8], in range: Range<Int>) -> [(type: String, content: Range<Int>)]
  {
    var found: [(String, Range<Int>)] = []
    var offset = range.lowerBound
    while offset + 8 <= range.upperBound {
      var size = bigEndian(data, offset)
      var header = 8
      if size == 1 {
        guard offset + 16 <= range.upperBound else { break }
        let high = bigEndian(data, offset + 8)
        guard high == 0 else { break }  // over 4 GiB: not in a file imgproc reads
        size = bigEndian(data, offset + 12)
        header = 16
      } else if size == 0 {
        size = range.upperBound - offset
      }
      guard size >= header, size <= range.upperBound - offset else { break }
      found.append((brand(data, offset + 4), offset + header..<offset + size))
      offset += size
    }
    return found
  }

  private static func brand(_ data: [UInt8], _ at: Int) -> String {
    String(decoding: data[at..<at + 4], as: UTF8.self)
  }

  private static func bigEndian(_ bytes: [UInt8], _ at: Int) -> Int {
    (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) }
  }
}
