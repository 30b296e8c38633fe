/// Integer box reduction: each output pixel is the mean of a `factorX × factorY` block of
/// source pixels (fewer at the right and bottom edges when the size does not divide), with
/// alpha-weighted colour so transparent pixels do not bleed. Output size is
/// ⌈width / factorX⌉ × ⌈height / factorY⌉. It is the cheap first step of a large shrink
/// (Pillow's `reduce`, libvips' `shrink`); a kernel resample finishes the job.
enum BoxReduce {
  static func reduce(_ image: Image, factorX: Int, factorY: Int) throws(CoreError) -> Image {
    guard factorX >= 1, factorY >= 1 else {
      throw CoreError(.invalidGeometry, "box factors must be at least 1, not \(factorX)×\(factorY)")
    }
    let width = (image.width + factorX - 1) / factorX
    let height = (image.height + factorY - 1) / factorY
    do {
      return try image.withBytes { source in
        try Image.filling(width: width, height: height, layout: image.layout, depth: image.depth) {
          output in
          guard let input = source.baseAddress, let out = output.baseAddress else { return }
          switch image.depth {
          case .eight:
            reduce(
              input.assumingMemoryBound(to: UInt8.self), image, factorX, factorY,
              into: out.assumingMemoryBound(to: UInt8.self), width: width, height: height)
          case .sixteen:
            reduce(
              input.assumingMemoryBound(to: UInt16.self), image, factorX, factorY,
              into: out.assumingMemoryBound(to: UInt16.self), width: width, height: height)
          }
        }
      }
    } catch let error as CoreError {
      throw error
    } catch {
      throw CoreError(.tooLarge, "cannot allocate a \(width)×\(height) image")
    }
  }

  private static func reduce<S: FixedWidthInteger & UnsignedInteger>(
    _ input: UnsafePointer<S>, _ image: Image, _ fx: Int, _ fy: Int,
    into output: UnsafeMutablePointer<S>, width: Int, height: Int
  ) {
    let channels = image.layout.channels
    let colors = image.layout.colorChannels
    let hasAlpha = image.layout.hasAlpha
    var sums = [UInt64](repeating: 0, count: width * channels)
    var counts = [UInt64](repeating: 0, count: width)
    for oy in 0..<height {
      for i in sums.indices { sums[i] = 0 }
      for i in counts.indices { counts[i] = 0 }
      for y in (oy * fy)..<min(image.height, (oy + 1) * fy) {
        let row = input + y * image.width * channels
        for x in 0..<image.width {
          let ox = x / fx
          let pixel = row + x * channels
          let target = ox * channels
          counts[ox] += 1
          if hasAlpha {
            let alpha = UInt64(pixel[colors])
            for c in 0..<colors { sums[target + c] += UInt64(pixel[c]) * alpha }
            sums[target + colors] += alpha
          } else {
            for c in 0..<channels { sums[target + c] += UInt64(pixel[c]) }
          }
        }
      }
      let out = output + oy * width * channels
      for ox in 0..<width {
        let n = counts[ox]
        let base = ox * channels
        if hasAlpha {
          let alphaSum = sums[base + colors]
          for c in 0..<colors {
            out[base + c] =
              alphaSum == 0 ? 0 : S(truncatingIfNeeded: (sums[base + c] + alphaSum / 2) / alphaSum)
          }
          out[base + colors] = S(truncatingIfNeeded: (alphaSum + n / 2) / n)
        } else {
          for c in 0..<channels {
            out[base + c] = S(truncatingIfNeeded: (sums[base + c] + n / 2) / n)
          }
        }
      }
    }
  }
}
