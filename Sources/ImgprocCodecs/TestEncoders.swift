import ImgprocCore

/// Encoders for files imgproc reads but never writes, so decoder tests can generate their
/// fixtures in code. Package-internal: not part of the library's API.
package enum TestEncoders {
  /// A JPEG of inverted (Adobe-style) CMYK samples, 4 per pixel, as CMYK or YCCK.
  package static func cmykJPEG(_ samples: [UInt8], width: Int, height: Int, ycck: Bool)
    throws(CodecError) -> [UInt8]
  {
    try JPEGCodec.encodeCMYK(samples, width: width, height: height, ycck: ycck)
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
}
