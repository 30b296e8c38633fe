/// Structural similarity (SSIM, Wang et al. 2004) of two images of one size, on luma
/// (BT.601 weights; gray images as they are; alpha ignored; 16-bit samples scaled to 8 bit):
/// the mean over 8×8 windows, every 4 pixels, with the paper's constants for 8-bit data.
/// 1 means identical; web-quality JPEGs score 0.9–0.99. What `--report` shows per lossy output.
public enum Similarity {
  /// Nil when the sizes differ or an image is empty.
  public static func ssim(_ a: Image, _ b: Image) -> Double? {
    guard a.width == b.width, a.height == b.height, a.pixelCount > 0 else { return nil }
    let x = luma(a)
    let y = luma(b)
    let width = a.width
    let height = a.height
    let window = min(8, width, height)
    let step = max(1, window / 2)
    let c1 = (0.01 * 255) * (0.01 * 255)
    let c2 = (0.03 * 255) * (0.03 * 255)
    var total = 0.0
    var windows = 0
    var top = 0
    while top + window <= height {
      var left = 0
      while left + window <= width {
        var sumX = 0.0
        var sumY = 0.0
        var sumXX = 0.0
        var sumYY = 0.0
        var sumXY = 0.0
        for row in top..<(top + window) {
          for column in left..<(left + window) {
            let p = x[row * width + column]
            let q = y[row * width + column]
            sumX += p
            sumY += q
            sumXX += p * p
            sumYY += q * q
            sumXY += p * q
          }
        }
        let n = Double(window * window)
        let meanX = sumX / n
        let meanY = sumY / n
        let varianceX = sumXX / n - meanX * meanX
        let varianceY = sumYY / n - meanY * meanY
        let covariance = sumXY / n - meanX * meanY
        total +=
          ((2 * meanX * meanY + c1) * (2 * covariance + c2))
          / ((meanX * meanX + meanY * meanY + c1) * (varianceX + varianceY + c2))
        windows += 1
        left += step
      }
      top += step
    }
    return windows > 0 ? total / Double(windows) : nil
  }

  /// Luma in 0...255 per pixel.
  private static func luma(_ image: Image) -> [Double] {
    let channels = image.layout.channels
    let scale = image.depth == .eight ? 1.0 : 255.0 / 65535.0
    var values = [Double](repeating: 0, count: image.pixelCount)
    image.withBytes { bytes in
      func sample(_ index: Int) -> Double {
        image.depth == .eight
          ? Double(bytes[index])
          : Double(bytes.load(fromByteOffset: index * 2, as: UInt16.self)) * scale
      }
      for pixel in 0..<image.pixelCount {
        let base = pixel * channels
        values[pixel] =
          channels >= 3
          ? 0.299 * sample(base) + 0.587 * sample(base + 1) + 0.114 * sample(base + 2)
          : sample(base)
      }
    }
    return values
  }
}
