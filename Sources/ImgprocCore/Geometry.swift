/// A size in whole pixels.
public struct Size: Sendable, Hashable, CustomStringConvertible {
  public var width: Int
  public var height: Int

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  public var description: String { "\(width)×\(height)" }
}

/// A rectangle in source pixel coordinates (edges, not centres): x0 ≤ x < x1.
/// Fractional edges are allowed; they are what `cover` crops to before resampling.
public struct SourceBox: Sendable, Hashable {
  public var x0: Double, y0: Double, x1: Double, y1: Double

  public init(x0: Double, y0: Double, x1: Double, y1: Double) {
    self.x0 = x0
    self.y0 = y0
    self.x1 = x1
    self.y1 = y1
  }

  /// The whole of an image of `size`.
  public init(covering size: Size) {
    self.init(x0: 0, y0: 0, x1: Double(size.width), y1: Double(size.height))
  }

  public var width: Double { x1 - x0 }
  public var height: Double { y1 - y0 }
}

/// How an image is fitted into a target box, with sharp's (CSS object-fit) names.
public enum Fit: String, Sendable, CaseIterable, Codable {
  /// Keep the aspect ratio; the whole image lies inside the box (the default).
  case inside
  /// Keep the aspect ratio; the image covers the box and the excess is cropped from the centre.
  case cover
  /// Keep the aspect ratio; the image lies inside the box, padded with the background to fill it.
  case contain
  /// Ignore the aspect ratio; stretch to the box.
  case fill
  /// Keep the aspect ratio; the image covers the box and nothing is cropped.
  case outside
}

/// What a fit resolves to for one source size: which part of the source to resample, to what
/// size, and the canvas it is placed on (larger than the resampled size only for `contain`).
public struct FitPlan: Sendable, Hashable {
  /// The part of the source that is resampled (the whole source except for `cover`).
  public var sourceBox: SourceBox
  /// The size the source box is resampled to.
  public var resampledSize: Size
  /// The final size; equals `resampledSize` except for `contain`, which pads.
  public var canvasSize: Size
  /// Where the resampled image's top-left corner lies on the canvas.
  public var offsetX: Int, offsetY: Int

  /// True when the plan leaves the image exactly as it is.
  public func isIdentity(for source: Size) -> Bool {
    resampledSize == source && canvasSize == source && sourceBox == SourceBox(covering: source)
  }

  /// Plans fitting `source` into a box of `width` × `height` (either may be nil: the other side
  /// is then derived from the aspect ratio). Without `allowEnlargement` the scale never exceeds 1
  /// (the canvas of `contain` is still the full box). Every side of the result is at least 1 px.
  public static func make(
    source: Size, width: Int?, height: Int?, fit: Fit, allowEnlargement: Bool
  ) -> FitPlan {
    let whole = SourceBox(covering: source)
    let w = Double(source.width)
    let h = Double(source.height)
    func scaled(_ length: Double, _ scale: Double) -> Int {
      max(1, Int((length * scale).rounded()))
    }
    func limit(_ scale: Double) -> Double { allowEnlargement ? scale : min(scale, 1) }
    func plain(_ size: Size) -> FitPlan {
      FitPlan(sourceBox: whole, resampledSize: size, canvasSize: size, offsetX: 0, offsetY: 0)
    }

    guard let boxWidth = width, let boxHeight = height else {
      if let boxWidth = width {
        let s = limit(Double(boxWidth) / w)
        return plain(Size(width: scaled(w, s), height: scaled(h, s)))
      }
      if let boxHeight = height {
        let s = limit(Double(boxHeight) / h)
        return plain(Size(width: scaled(w, s), height: scaled(h, s)))
      }
      return plain(source)
    }
    let sx = Double(boxWidth) / w
    let sy = Double(boxHeight) / h
    switch fit {
    case .fill:
      return plain(Size(width: scaled(w, limit(sx)), height: scaled(h, limit(sy))))
    case .inside, .contain:
      let s = limit(min(sx, sy))
      // w × (boxWidth / w) rounds back to boxWidth exactly, so the limiting side lands on the box.
      let size = Size(width: scaled(w, s), height: scaled(h, s))
      guard fit == .contain else { return plain(size) }
      let canvas = Size(width: max(boxWidth, size.width), height: max(boxHeight, size.height))
      return FitPlan(
        sourceBox: whole, resampledSize: size, canvasSize: canvas,
        offsetX: (canvas.width - size.width) / 2, offsetY: (canvas.height - size.height) / 2)
    case .outside:
      let s = limit(max(sx, sy))
      return plain(Size(width: scaled(w, s), height: scaled(h, s)))
    case .cover:
      let s = limit(max(sx, sy))
      let output = Size(
        width: min(boxWidth, scaled(w, s)), height: min(boxHeight, scaled(h, s)))
      // The source region that maps onto the output, centred.
      let cropWidth = min(w, Double(output.width) / s)
      let cropHeight = min(h, Double(output.height) / s)
      let box = SourceBox(
        x0: (w - cropWidth) / 2, y0: (h - cropHeight) / 2,
        x1: (w + cropWidth) / 2, y1: (h + cropHeight) / 2)
      return FitPlan(
        sourceBox: box, resampledSize: output, canvasSize: output, offsetX: 0, offsetY: 0)
    }
  }
}
