import ImgprocCore

/// A lossless palette for an 8-bit RGB or RGBA image with at most 256 distinct colours.
/// Photos give up after the 257th colour, usually within the first rows.
struct Palette {
  /// RGBA entries, 4 bytes each; translucent entries first, so tRNS stays short.
  let rgba: [UInt8]
  /// One 8-bit gray-layout "image" of indices into the entries.
  let indices: Image

  init?(_ image: Image) {
    guard image.depth == .eight, image.layout == .rgb || image.layout == .rgba else { return nil }
    let channels = image.layout.channels
    let count = image.pixelCount
    let hasAlpha = image.layout.hasAlpha
    @inline(__always) func key(_ p: UnsafePointer<UInt8>) -> UInt32 {
      UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | (hasAlpha ? UInt32(p[3]) : 255)
    }
    var seen: [UInt32: Int] = [:]
    var colors: [UInt32] = []
    let fits: Bool = image.withBytes { raw in
      guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
      var last: UInt32 = 0
      for i in 0..<count {
        let k = key(base + i * channels)
        if i > 0 && k == last { continue }
        last = k
        if seen[k] == nil {
          guard colors.count < 256 else { return false }
          seen[k] = colors.count
          colors.append(k)
        }
      }
      return true
    }
    guard fits else { return nil }
    let ordered = colors.filter { $0 & 0xFF != 0xFF } + colors.filter { $0 & 0xFF == 0xFF }
    var slot: [UInt32: UInt8] = [:]
    for (index, color) in ordered.enumerated() { slot[color] = UInt8(index) }
    rgba = ordered.flatMap { c in
      [
        UInt8(c >> 24), UInt8(truncatingIfNeeded: c >> 16), UInt8(truncatingIfNeeded: c >> 8),
        UInt8(truncatingIfNeeded: c),
      ]
    }
    let made = image.withBytes { raw -> Image? in
      guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
      return try? Image.filling(width: image.width, height: image.height, layout: .gray) { out in
        let output = out.assumingMemoryBound(to: UInt8.self)
        // Start from the first pixel's own colour: no sentinel can stand for "none yet", as
        // every 32-bit key is a colour (UInt32.max is opaque white).
        var lastKey = key(base)
        var lastIndex = slot[lastKey] ?? 0
        for i in 0..<count {
          let k = key(base + i * channels)
          if k != lastKey {
            lastKey = k
            lastIndex = slot[k] ?? 0
          }
          output[i] = lastIndex
        }
      }
    }
    guard let made else { return nil }
    indices = made
  }

  var count: Int { rgba.count / 4 }

  /// The smallest PNG bit depth that holds every index: 1, 2, 4 or 8.
  var bitDepth: Int {
    switch count {
    case ...2: return 1
    case ...4: return 2
    case ...16: return 4
    default: return 8
    }
  }

  /// PLTE payload: RGB triples.
  var rgbEntries: [UInt8] {
    var entries: [UInt8] = []
    for index in 0..<count { entries += rgba[(4 * index)..<(4 * index + 3)] }
    return entries
  }

  /// tRNS payload: alphas up to the last translucent entry; nil when all are opaque.
  var transparency: [UInt8]? {
    let alphas = (0..<count).map { rgba[4 * $0 + 3] }
    guard let last = alphas.lastIndex(where: { $0 != 255 }) else { return nil }
    return Array(alphas[...last])
  }
}
