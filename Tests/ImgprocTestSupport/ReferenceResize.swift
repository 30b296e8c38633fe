import Foundation
import ImgprocCore

/// A double-precision reference of the resampler, written independently of it: weights
/// from the kernel formulas, straight loops, no fixed window, no bands, no rounding until
/// the end. Same conventions: pixel centres, kernel widened by the scale when shrinking
/// (not for nearest), taps outside the source dropped and the rest renormalised,
/// premultiplied alpha, alpha rounding to 0 giving colour 0.
public enum ReferenceResize {
  public static func resize(
    _ image: Image, width: Int, height: Int, box: SourceBox? = nil, kernel: Kernel
  ) -> Image {
    let box = box ?? SourceBox(covering: Size(width: image.width, height: image.height))
    let channels = image.layout.channels
    let maxValue = Double(image.depth.maxValue)
    let samples = Metrics.samples(image).map(Double.init)
    // Premultiply.
    var data = samples
    if image.layout.hasAlpha {
      for p in 0..<image.pixelCount {
        let a = data[p * channels + channels - 1] / maxValue
        for c in 0..<(channels - 1) { data[p * channels + c] *= a }
      }
    }
    let wx = weights(inSize: image.width, outSize: width, in0: box.x0, in1: box.x1, kernel: kernel)
    let wy = weights(
      inSize: image.height, outSize: height, in0: box.y0, in1: box.y1, kernel: kernel)
    let skipX = width == image.width && box.x0 == 0 && box.x1 == Double(image.width)
    let skipY = height == image.height && box.y0 == 0 && box.y1 == Double(image.height)
    // Horizontal.
    var mid = [Double](repeating: 0, count: width * image.height * channels)
    for y in 0..<image.height {
      for x in 0..<width {
        for c in 0..<channels {
          if skipX {
            mid[(y * width + x) * channels + c] = data[(y * image.width + x) * channels + c]
            continue
          }
          var sum = 0.0
          for (i, w) in wx[x] { sum += w * data[(y * image.width + i) * channels + c] }
          mid[(y * width + x) * channels + c] = sum
        }
      }
    }
    // Vertical and unpremultiply.
    var out = [Double](repeating: 0, count: width * height * channels)
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          if skipY {
            out[(y * width + x) * channels + c] = mid[(y * width + x) * channels + c]
            continue
          }
          var sum = 0.0
          for (j, w) in wy[y] { sum += w * mid[(j * width + x) * channels + c] }
          out[(y * width + x) * channels + c] = sum
        }
      }
    }
    return Fixtures.make(width: width, height: height, layout: image.layout, depth: image.depth) {
      x, y, c in
      let pixel = (y * width + x) * channels
      func quantize(_ v: Double) -> Double { (min(max(v, 0), maxValue) + 0.5).rounded(.down) }
      guard image.layout.hasAlpha else { return quantize(out[pixel + c]) / maxValue }
      let alpha = min(max(out[pixel + channels - 1], 0), maxValue)
      if c == channels - 1 { return quantize(alpha) / maxValue }
      guard quantize(alpha) > 0 else { return 0 }
      return quantize(out[pixel + c] * maxValue / alpha) / maxValue
    }
  }

  /// For each output index, the (source index, normalised weight) pairs.
  static func weights(inSize: Int, outSize: Int, in0: Double, in1: Double, kernel: Kernel)
    -> [[(Int, Double)]]
  {
    let scale = (in1 - in0) / Double(outSize)
    let stretch = kernel == .nearest ? 1 : max(scale, 1)
    return (0..<outSize).map { o in
      let center = in0 + (Double(o) + 0.5) * scale
      var taps: [(Int, Double)] = []
      for i in 0..<inSize {
        let w = weight(kernel, (Double(i) + 0.5 - center) / stretch)
        if w != 0 { taps.append((i, w)) }
      }
      let total = taps.reduce(0) { $0 + $1.1 }
      return total == 0 ? taps : taps.map { ($0.0, $0.1 / total) }
    }
  }

  static func weight(_ kernel: Kernel, _ x: Double) -> Double {
    func sinc(_ t: Double) -> Double { t == 0 ? 1 : sin(.pi * t) / (.pi * t) }
    func cubic(_ t: Double, _ b: Double, _ c: Double) -> Double {
      let t = abs(t)
      if t < 1 {
        return ((12 - 9 * b - 6 * c) * t * t * t + (-18 + 12 * b + 6 * c) * t * t + 6 - 2 * b) / 6
      }
      if t < 2 {
        return
          ((-b - 6 * c) * t * t * t + (6 * b + 30 * c) * t * t + (-12 * b - 48 * c) * t + 8 * b + 24
          * c) / 6
      }
      return 0
    }
    switch kernel {
    case .nearest: return x > -0.5 && x <= 0.5 ? 1 : 0
    case .linear: return max(0, 1 - abs(x))
    case .cubic: return cubic(x, 0, 0.5)
    case .mitchell: return cubic(x, 1.0 / 3, 1.0 / 3)
    case .lanczos2: return abs(x) < 2 ? sinc(x) * sinc(x / 2) : 0
    case .lanczos3: return abs(x) < 3 ? sinc(x) * sinc(x / 3) : 0
    }
  }
}
