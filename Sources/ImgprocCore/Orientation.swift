/// The EXIF orientation of stored pixels (TIFF tag 0x0112): how to turn them upright.
public enum Orientation: Int, Sendable, CaseIterable {
  case up = 1
  case upMirrored = 2
  case down = 3
  case downMirrored = 4
  case leftMirrored = 5
  case right = 6
  case rightMirrored = 7
  case left = 8

  /// True when making the image upright swaps width and height.
  public var swapsAxes: Bool { rawValue >= 5 }

  /// The upright size of an image stored at `size`.
  public func uprightSize(_ size: Size) -> Size {
    swapsAxes ? Size(width: size.height, height: size.width) : size
  }
}

extension Image {
  /// The image turned upright according to `orientation` (rotated and/or mirrored).
  public func applying(_ orientation: Orientation) -> Image {
    guard orientation != .up else { return self }
    let w = width
    let h = height
    // Source pixel index of output pixel (x', y') = origin + x' × stepX + y' × stepY.
    let (origin, stepX, stepY): (Int, Int, Int)
    switch orientation {
    case .up: (origin, stepX, stepY) = (0, 1, w)
    case .upMirrored: (origin, stepX, stepY) = (w - 1, -1, w)
    case .down: (origin, stepX, stepY) = ((h - 1) * w + w - 1, -1, -w)
    case .downMirrored: (origin, stepX, stepY) = ((h - 1) * w, 1, -w)
    case .leftMirrored: (origin, stepX, stepY) = (0, w, 1)
    case .right: (origin, stepX, stepY) = ((h - 1) * w, -w, 1)
    case .rightMirrored: (origin, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
    case .left: (origin, stepX, stepY) = (w - 1, w, -1)
    }
    let out = orientation.uprightSize(Size(width: w, height: h))
    return remapped(to: out) { x, y in origin + x * stepX + y * stepY }
  }

  /// A new image of `size` whose pixel (x, y) is this image's pixel number `sourceIndex(x, y)`.
  func remapped(to size: Size, sourceIndex: (Int, Int) -> Int) -> Image {
    switch bytesPerPixel {
    case 1: return remapped(to: size, as: UInt8.self, sourceIndex: sourceIndex)
    case 2: return remapped(to: size, as: UInt16.self, sourceIndex: sourceIndex)
    case 3: return remapped(to: size, as: (UInt8, UInt8, UInt8).self, sourceIndex: sourceIndex)
    case 4: return remapped(to: size, as: UInt32.self, sourceIndex: sourceIndex)
    case 6: return remapped(to: size, as: (UInt16, UInt16, UInt16).self, sourceIndex: sourceIndex)
    default: return remapped(to: size, as: UInt64.self, sourceIndex: sourceIndex)
    }
  }

  private func remapped<Pixel>(
    to size: Size, as: Pixel.Type, sourceIndex: (Int, Int) -> Int
  ) -> Image {
    withBytes { source in
      let input = source.assumingMemoryBound(to: Pixel.self)
      // The geometry is this image's, possibly transposed, so `filling` cannot fail on size.
      let made = try? Image.filling(
        width: size.width, height: size.height, layout: layout, depth: depth
      ) { raw in
        let output = raw.assumingMemoryBound(to: Pixel.self)
        for y in 0..<size.height {
          let row = y * size.width
          for x in 0..<size.width { output[row + x] = input[sourceIndex(x, y)] }
        }
      }
      return made ?? self
    }
  }
}
