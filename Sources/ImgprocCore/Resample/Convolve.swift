/// The inner loops of the resampler, over rows of `Float` samples. Callers own every buffer;
/// nothing here allocates.
enum Convolve {
  /// One output row of the horizontal pass: `channels`-sample pixels of `input` resampled to
  /// `coefficients.outSize` pixels in `output`.
  static func horizontal(
    _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, channels: Int,
    _ coefficients: Coefficients, weights: UnsafePointer<Float>
  ) {
    let window = coefficients.window
    coefficients.starts.withUnsafeBufferPointer { starts in
      coefficients.counts.withUnsafeBufferPointer { counts in
        for x in 0..<coefficients.outSize {
          let w = weights + x * window
          let source = input + starts[x] * channels
          let n = counts[x]
          let out = output + x * channels
          switch channels {
          case 4:
            var acc = SIMD4<Float>(repeating: 0)
            for k in 0..<n {
              let p = source + k * 4
              acc += w[k] * SIMD4(p[0], p[1], p[2], p[3])
            }
            out[0] = acc[0]
            out[1] = acc[1]
            out[2] = acc[2]
            out[3] = acc[3]
          case 3:
            var a0: Float = 0
            var a1: Float = 0
            var a2: Float = 0
            for k in 0..<n {
              let p = source + k * 3
              a0 += w[k] * p[0]
              a1 += w[k] * p[1]
              a2 += w[k] * p[2]
            }
            out[0] = a0
            out[1] = a1
            out[2] = a2
          default:
            for c in 0..<channels {
              var acc: Float = 0
              for k in 0..<n { acc += w[k] * source[k * channels + c] }
              out[c] = acc
            }
          }
        }
      }
    }
  }

  /// One output row of the vertical pass: `output[i] = Σ weights[k] × rows[k][i]`.
  static func vertical(
    _ rows: UnsafePointer<UnsafePointer<Float>>, weights: UnsafePointer<Float>, count: Int,
    into output: UnsafeMutablePointer<Float>, length: Int
  ) {
    let first = rows[0]
    let w0 = weights[0]
    for i in 0..<length { output[i] = w0 * first[i] }
    for k in 1..<max(count, 1) {
      let row = rows[k]
      let w = weights[k]
      for i in 0..<length { output[i] += w * row[i] }
    }
  }
}
