import Foundation

/// A resampling filter, with sharp's names: a weight function and the half-width (support,
/// in source pixels at scale 1) outside which it is zero.
public enum Kernel: String, Sendable, CaseIterable, Codable {
  /// Nearest neighbour: each output pixel copies the source pixel under its centre.
  case nearest
  /// Bilinear (triangle), support 1.
  case linear
  /// Catmull-Rom cubic (B = 0, C = ½), support 2.
  case cubic
  /// Mitchell-Netravali cubic (B = C = ⅓), support 2.
  case mitchell
  /// Lanczos with a = 2.
  case lanczos2
  /// Lanczos with a = 3: the default.
  case lanczos3

  /// Half-width of the kernel in source pixels before widening for downscaling.
  public var support: Double {
    switch self {
    case .nearest: return 0.5
    case .linear: return 1
    case .cubic, .mitchell, .lanczos2: return 2
    case .lanczos3: return 3
    }
  }

  /// Whether the kernel is stretched by the scale factor when shrinking (the anti-aliasing).
  /// Nearest neighbour never is: it always picks one pixel.
  public var widensWhenShrinking: Bool { self != .nearest }

  /// The weight at distance `x` (in kernel units) from the sample centre.
  public func weight(_ x: Double) -> Double {
    switch self {
    case .nearest: return x > -0.5 && x <= 0.5 ? 1 : 0
    case .linear: return max(0, 1 - abs(x))
    case .cubic: return Kernel.bicubic(x, b: 0, c: 0.5)
    case .mitchell: return Kernel.bicubic(x, b: 1.0 / 3, c: 1.0 / 3)
    case .lanczos2: return Kernel.lanczos(x, a: 2)
    case .lanczos3: return Kernel.lanczos(x, a: 3)
    }
  }

  /// The Mitchell–Netravali family of cubics (https://doi.org/10.1145/378456.378514).
  static func bicubic(_ x: Double, b: Double, c: Double) -> Double {
    let x = abs(x)
    if x < 1 {
      return ((12 - 9 * b - 6 * c) * x * x * x + (-18 + 12 * b + 6 * c) * x * x + (6 - 2 * b)) / 6
    }
    if x < 2 {
      return
        ((-b - 6 * c) * x * x * x + (6 * b + 30 * c) * x * x + (-12 * b - 48 * c) * x
        + (8 * b + 24 * c)) / 6
    }
    return 0
  }

  static func lanczos(_ x: Double, a: Double) -> Double {
    guard abs(x) < a else { return 0 }
    return sinc(x) * sinc(x / a)
  }

  static func sinc(_ x: Double) -> Double {
    guard x != 0 else { return 1 }
    let px = Double.pi * x
    return sin(px) / px
  }
}
