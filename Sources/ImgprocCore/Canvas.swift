extension Image {
  /// The image placed with its top-left corner at (`x`, `y`) on a `canvas`-sized image.
  /// The rest is `background` (opaque) or, when the image has alpha, fully transparent.
  /// A gray image on a colourful background becomes RGB.
  public func placed(on canvas: Size, x: Int, y: Int, background: RGBColor) throws(CoreError)
    -> Image
  {
    guard x >= 0, y >= 0, x + width <= canvas.width, y + height <= canvas.height else {
      throw CoreError(
        .invalidGeometry, "a \(width)×\(height) image does not fit \(canvas) at \(x),\(y)")
    }
    if canvas == Size(width: width, height: height) { return self }
    if layout.isGray && !background.isGray && !layout.hasAlpha {
      return try converted(to: .rgb).placed(on: canvas, x: x, y: y, background: background)
    }
    let pixel = backgroundPixel(background)
    let bpp = bytesPerPixel
    let sourceRowBytes = rowBytes
    do {
      return try withBytes { source in
        try Image.filling(
          width: canvas.width, height: canvas.height, layout: layout, depth: depth
        ) { output in
          let rowBytes = canvas.width * bpp
          for row in 0..<canvas.height {
            let line = output.baseAddress.map { $0 + row * rowBytes }
            guard let line else { return }
            for column in 0..<canvas.width {
              (line + column * bpp).copyMemory(from: pixel, byteCount: bpp)
            }
            if row >= y && row < y + height, let base = source.baseAddress {
              (line + x * bpp).copyMemory(
                from: base + (row - y) * sourceRowBytes, byteCount: sourceRowBytes)
            }
          }
        }
      }
    } catch let error as CoreError {
      throw error
    } catch {
      throw CoreError(.tooLarge, "cannot allocate a \(canvas) canvas")
    }
  }

  /// The bytes of one background pixel in this image's layout and depth.
  private func backgroundPixel(_ color: RGBColor) -> [UInt8] {
    let max = depth.maxValue
    let components =
      layout.isGray ? [Int(color.red)] : [color.red, color.green, color.blue].map(Int.init)
    var samples = components.map { $0 * max / 255 }
    if layout.hasAlpha { samples = samples.map { _ in 0 } + [0] }
    switch depth {
    case .eight: return samples.map { UInt8(truncatingIfNeeded: $0) }
    case .sixteen:
      return samples.flatMap { value in
        withUnsafeBytes(of: UInt16(truncatingIfNeeded: value)) { Array($0) }
      }
    }
  }
}
