/// The precomputed weights of one resampling axis (the design of Pillow's `precompute_coeffs`).
///
/// Output sample `i` is `Σ weights[i × window + k] × input[starts[i] + k]` for
/// `k < counts[i]`. Samples sit at pixel centres: output pixel `i` is centred at source
/// coordinate `in0 + (i + 0.5) × scale`. When shrinking, the kernel is widened by the scale
/// (anti-aliasing). Taps outside the source are dropped and the rest renormalised to sum 1.
struct Coefficients: Sendable {
  /// Number of output samples.
  let outSize: Int
  /// Stride of `weights` per output sample (the largest tap count).
  let window: Int
  /// First source index read by each output sample.
  let starts: [Int]
  /// Number of source samples read by each output sample (≤ `window`).
  let counts: [Int]
  /// `outSize × window` weights; unused taps are zero.
  let weights: [Float]

  /// Plans resampling source samples `[in0, in1)` (fractional edges allowed) of an axis of
  /// `inSize` samples to `outSize` samples.
  init(inSize: Int, outSize: Int, in0: Double, in1: Double, kernel: Kernel) throws(CoreError) {
    guard inSize > 0, outSize > 0, in0 >= 0, in1 <= Double(inSize), in1 > in0 else {
      throw CoreError(
        .invalidGeometry,
        "cannot resample [\(in0), \(in1)) of \(inSize) source pixels to \(outSize)")
    }
    let scale = (in1 - in0) / Double(outSize)
    let filterScale = kernel.widensWhenShrinking ? max(scale, 1) : 1
    let support = kernel.support * filterScale
    let window = Int(support.rounded(.up)) * 2 + 1
    guard window <= 1 << 20, outSize <= (Int.max / window) else {
      throw CoreError(.tooLarge, "resampling \(inSize) to \(outSize) pixels needs too many taps")
    }
    var starts = [Int](repeating: 0, count: outSize)
    var counts = [Int](repeating: 0, count: outSize)
    var weights = [Float](repeating: 0, count: outSize * window)
    var taps = [Double](repeating: 0, count: window)
    for i in 0..<outSize {
      let center = in0 + (Double(i) + 0.5) * scale
      let first = max(0, Int(center - support + 0.5))
      let end = min(inSize, Int(center + support + 0.5))
      let count = min(window, max(0, end - first))
      var total = 0.0
      for k in 0..<count {
        let w = kernel.weight((Double(first + k) - center + 0.5) / filterScale)
        taps[k] = w
        total += w
      }
      starts[i] = first
      counts[i] = count
      for k in 0..<count {
        weights[i * window + k] = Float(total != 0 ? taps[k] / total : taps[k])
      }
    }
    self.outSize = outSize
    self.window = window
    self.starts = starts
    self.counts = counts
    self.weights = weights
  }

  /// The largest number of taps any output sample reads.
  var maxCount: Int { counts.max() ?? 0 }
}
