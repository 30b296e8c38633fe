/// Conversions between layouts and depths. All return new images; the receiver is unchanged.
extension Image {
  /// The image with its alpha composited over `background`, without an alpha channel.
  /// A gray image stays gray when the background is a gray shade; otherwise it becomes RGB.
  public func flattened(onto background: RGBColor) -> Image {
    guard layout.hasAlpha else { return self }
    let target: PixelLayout = layout == .grayAlpha && background.isGray ? .gray : .rgb
    switch depth {
    case .eight: return flattened(UInt8.self, to: target, background)
    case .sixteen: return flattened(UInt16.self, to: target, background)
    }
  }

  private func flattened<S: FixedWidthInteger & UnsignedInteger>(
    _: S.Type, to target: PixelLayout, _ background: RGBColor
  ) -> Image {
    let maxValue = UInt64(depth.maxValue)
    let scale = UInt64(depth == .eight ? 1 : 257)
    let bg = [background.red, background.green, background.blue].map { UInt64($0) * scale }
    let inChannels = layout.channels
    let outChannels = target.channels
    let colors = layout.colorChannels
    return converted(to: target) {
      (input: UnsafePointer<S>, output: UnsafeMutablePointer<S>, count: Int) in
      for i in 0..<count {
        let a = UInt64(input[i * inChannels + colors])
        for c in 0..<outChannels {
          let v = UInt64(input[i * inChannels + min(c, colors - 1)])
          let mixed = (v * a + bg[c] * (maxValue - a) + maxValue / 2) / maxValue
          output[i * outChannels + c] = S(truncatingIfNeeded: mixed)
        }
      }
    }
  }

  /// The image with 8-bit samples (16-bit samples are rounded: v × 255 / 65535).
  public func to8Bit() -> Image {
    guard depth == .sixteen else { return self }
    let count = pixelCount * layout.channels
    return derived(layout: layout, depth: .eight) { input, output in
      let samples = input.assumingMemoryBound(to: UInt16.self)
      let bytes = output.assumingMemoryBound(to: UInt8.self)
      for i in 0..<count {
        bytes[i] = UInt8(truncatingIfNeeded: (UInt32(samples[i]) * 255 + 32767) / 65535)
      }
    }
  }

  /// The image in `target` layout: gray is replicated into RGB, RGB is reduced to gray by
  /// Rec. 601 luma, a missing alpha channel is added opaque, an unwanted one is dropped
  /// (use `flattened(onto:)` to composite instead).
  public func converted(to target: PixelLayout) -> Image {
    guard target != layout else { return self }
    switch depth {
    case .eight: return convertedLayout(UInt8.self, to: target)
    case .sixteen: return convertedLayout(UInt16.self, to: target)
    }
  }

  private func convertedLayout<S: FixedWidthInteger & UnsignedInteger>(
    _: S.Type, to target: PixelLayout
  ) -> Image {
    let inChannels = layout.channels
    let outChannels = target.channels
    let opaque = S(truncatingIfNeeded: depth.maxValue)
    return converted(to: target) {
      (input: UnsafePointer<S>, output: UnsafeMutablePointer<S>, count: Int) in
      for i in 0..<count {
        let pixel = input + i * inChannels
        let out = output + i * outChannels
        if layout.isGray == target.isGray {
          for c in 0..<target.colorChannels { out[c] = pixel[c] }
        } else if layout.isGray {
          out[0] = pixel[0]
          out[1] = pixel[0]
          out[2] = pixel[0]
        } else {
          let luma =
            (299 * UInt64(pixel[0]) + 587 * UInt64(pixel[1]) + 114 * UInt64(pixel[2]) + 500) / 1000
          out[0] = S(truncatingIfNeeded: luma)
        }
        if target.hasAlpha {
          out[outChannels - 1] = layout.hasAlpha ? pixel[inChannels - 1] : opaque
        }
      }
    }
  }

  /// Runs `body(input, output, pixelCount)` over typed sample pointers to build an image of
  /// the same size and depth in `target` layout.
  private func converted<S>(
    to target: PixelLayout,
    _ body: (UnsafePointer<S>, UnsafeMutablePointer<S>, Int) -> Void
  ) -> Image {
    let count = pixelCount
    return derived(layout: target, depth: depth) { input, output in
      body(input.assumingMemoryBound(to: S.self), output.assumingMemoryBound(to: S.self), count)
    }
  }

  /// A new image with this image's width and height, filled by `fill(input, output)` from
  /// this image's bytes. The geometry is that of an existing image, so allocation cannot fail
  /// on size; should it anyway, the receiver is returned unchanged.
  func derived(
    layout target: PixelLayout, depth targetDepth: SampleDepth,
    _ fill: (UnsafeRawPointer, UnsafeMutableRawPointer) -> Void
  ) -> Image {
    withBytes { source in
      guard let input = source.baseAddress else { return self }
      let made = try? Image.filling(
        width: width, height: height, layout: target, depth: targetDepth
      ) { output in
        if let base = output.baseAddress { fill(input, base) }
      }
      return made ?? self
    }
  }
}
