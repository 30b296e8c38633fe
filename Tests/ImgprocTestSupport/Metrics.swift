import Foundation
import ImgprocCore

/// Image comparisons for assertions.
public enum Metrics {
  /// All samples of `image` as integers, in memory order.
  public static func samples(_ image: Image) -> [Int] {
    image.withBytes { raw in
      switch image.depth {
      case .eight: return raw.map(Int.init)
      case .sixteen: return raw.withMemoryRebound(to: UInt16.self) { $0.map(Int.init) }
      }
    }
  }

  /// The largest absolute difference between corresponding samples (Int.max when the
  /// geometry differs).
  public static func maxDifference(_ a: Image, _ b: Image) -> Int {
    guard a.width == b.width, a.height == b.height, a.layout == b.layout, a.depth == b.depth else {
      return Int.max
    }
    return zip(samples(a), samples(b)).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }

  /// Peak signal-to-noise ratio in dB over all samples (99 when identical, 0 when the
  /// geometry differs).
  public static func psnr(_ a: Image, _ b: Image) -> Double {
    guard a.width == b.width, a.height == b.height, a.layout.channels == b.layout.channels else {
      return 0
    }
    let total = zip(samples(a), samples(b)).reduce(0.0) { sum, pair in
      let d = Double(pair.0 - pair.1)
      return sum + d * d
    }
    guard total > 0 else { return 99 }
    let peak = Double(a.depth.maxValue)
    return 10 * log10(peak * peak / (total / Double(a.pixelCount * a.layout.channels)))
  }

  /// Mean of one channel over the image.
  public static func mean(_ image: Image, channel: Int) -> Double {
    let all = samples(image)
    let channels = image.layout.channels
    var total = 0.0
    for i in stride(from: channel, to: all.count, by: channels) { total += Double(all[i]) }
    return total / Double(image.pixelCount)
  }
}
