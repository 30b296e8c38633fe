import ImgprocCore

/// Encoders for files imgproc reads but never writes, so decoder tests can generate their
/// fixtures in code. Package-internal: not part of the library's API.
package enum TestEncoders {
  /// A JPEG of inverted (Adobe-style) CMYK samples, 4 per pixel, as CMYK or YCCK.
  package static func cmykJPEG(
    _ samples: [UInt8], width: Int, height: Int, ycck: Bool, icc: [UInt8]? = nil
  ) throws(CodecError) -> [UInt8] {
    try JPEGCodec.encodeCMYK(samples, width: width, height: height, ycck: ycck, icc: icc)
  }

  /// An RGB matrix/TRC ICC profile with sRGB's tone curve and the given white point and
  /// primaries (x, y chromaticities): Display P3 with P3's.
  package static func rgbProfile(
    white: (Double, Double), red: (Double, Double), green: (Double, Double),
    blue: (Double, Double)
  ) -> [UInt8] {
    ColorManagement.rgbProfile(
      white: white, red: red, green: green, blue: blue, description: "imgproc test RGB")
  }

  /// A gray ICC profile with a pure gamma curve.
  package static func grayProfile(gamma: Double) -> [UInt8] {
    ColorManagement.grayProfile(gamma: gamma)
  }

  /// A CMYK ICC profile whose colours are `toRGB(c, m, y, k)` (ink and sRGB in 0...1).
  package static func cmykProfile(
    _ toRGB: @escaping (Double, Double, Double, Double) -> (Double, Double, Double)
  ) -> [UInt8] {
    ColorManagement.cmykProfile(toRGB)
  }

  /// A JPEG with arithmetic coding and/or restart markers.
  package static func jpeg(
    _ image: Image, arithmetic: Bool, restartInterval: Int, progressive: Bool = false
  )
    throws(CodecError) -> [UInt8]
  {
    var settings = JPEGSettings(quality: 90, progressive: progressive)
    settings.arithmetic = arithmetic
    settings.restartInterval = restartInterval
    return try Codecs.encode(image, .jpeg(settings))
  }

  /// An animated, lossless WebP of `frames`.
  package static func animatedWebP(_ frames: [Image]) throws(CodecError) -> [UInt8] {
    try WebPCodec.encodeAnimation(frames)
  }

  /// `bytes` as a zlib stream (RFC 1950) at zlib's level 9: zlib bombs for decoder tests.
  package static func zlib(_ bytes: [UInt8]) throws(CodecError) -> [UInt8] {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(CodecError) in try Zlib.compress(buffer, level: 9, strategy: .standard) }
    }
    return try result.get()
  }
}
