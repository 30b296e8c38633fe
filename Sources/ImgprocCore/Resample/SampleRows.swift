/// Conversion of stored rows to and from the resampler's `Float` rows. Colour is
/// premultiplied by alpha on the way in and divided back out on the way out, so transparent
/// pixels do not bleed their (invisible) colour into their neighbours.
struct SampleRows {
  let channels: Int
  let hasAlpha: Bool
  let depth: SampleDepth

  init(layout: PixelLayout, depth: SampleDepth) {
    self.channels = layout.channels
    self.hasAlpha = layout.hasAlpha
    self.depth = depth
  }

  /// Converts `width` stored pixels at `row` to premultiplied `Float` samples in `output`.
  func load(_ row: UnsafeRawPointer, width: Int, into output: UnsafeMutablePointer<Float>) {
    let count = width * channels
    switch depth {
    case .eight:
      let samples = row.assumingMemoryBound(to: UInt8.self)
      for i in 0..<count { output[i] = Float(samples[i]) }
    case .sixteen:
      let samples = row.assumingMemoryBound(to: UInt16.self)
      for i in 0..<count { output[i] = Float(samples[i]) }
    }
    guard hasAlpha else { return }
    let inverseMax = 1 / Float(depth.maxValue)
    let colors = channels - 1
    for x in 0..<width {
      let pixel = output + x * channels
      let alpha = pixel[colors] * inverseMax
      for c in 0..<colors { pixel[c] *= alpha }
    }
  }

  /// Rounds `width` premultiplied pixels from `input` to stored samples at `row`, clamping to
  /// the sample range. A pixel whose alpha rounds to 0 gets colour 0.
  func store(_ input: UnsafePointer<Float>, width: Int, into row: UnsafeMutableRawPointer) {
    switch depth {
    case .eight: store(input, width: width, into: row.assumingMemoryBound(to: UInt8.self))
    case .sixteen: store(input, width: width, into: row.assumingMemoryBound(to: UInt16.self))
    }
  }

  private func store<S: FixedWidthInteger>(
    _ input: UnsafePointer<Float>, width: Int, into output: UnsafeMutablePointer<S>
  ) {
    let maxValue = Float(depth.maxValue)
    @inline(__always) func quantize(_ v: Float) -> S {
      S(truncatingIfNeeded: Int32(min(max(v, 0), maxValue) + 0.5))
    }
    guard hasAlpha else {
      for i in 0..<(width * channels) { output[i] = quantize(input[i]) }
      return
    }
    let colors = channels - 1
    for x in 0..<width {
      let pixel = input + x * channels
      let out = output + x * channels
      let alpha = min(max(pixel[colors], 0), maxValue)
      let stored = quantize(alpha)
      out[colors] = stored
      if stored == 0 {
        for c in 0..<colors { out[c] = 0 }
      } else {
        let unpremultiply = maxValue / alpha
        for c in 0..<colors { out[c] = quantize(pixel[c] * unpremultiply) }
      }
    }
  }
}
