internal import CImgprocLCMS
import ImgprocCore

/// Colour management through Little CMS 2: the only file that calls `CImgprocLCMS`. Profiles
/// and transforms are owned by `Profile` and `Transform`, released in their `deinit`; no
/// lcms2 handle leaves this file.
///
/// Transforms use the perceptual intent with black-point compensation (libvips' and sharp's
/// defaults), into sRGB: RGB and CMYK sources become sRGB, gray sources gray with sRGB's tone
/// curve. 8-bit pixels use lcms2's optimised 8-bit paths, 16-bit ones are transformed at 16
/// bit; alpha is copied. Rows are transformed in bands on up to `threads` threads (the
/// transforms are built with `cmsFLAGS_NOCACHE`, which makes them safe to share).
package enum ColorManagement {
  /// The Little CMS imgproc runs with (encoded as 2160 for 2.16).
  static var libraryVersion: String {
    let encoded = Int(cmsGetEncodedCMMversion())
    return "\(encoded / 1000).\(encoded % 1000 / 10)"
  }

  /// The profile's description (its `desc` tag, v2 text or v4 localised, in English where
  /// there is a choice); nil when lcms2 cannot read the profile or it has none.
  static func profileDescription(_ bytes: [UInt8]) -> String? {
    guard let profile = try? Profile(bytes) else { return nil }
    let needed = cmsGetProfileInfoASCII(profile.handle, cmsInfoDescription, "en", "US", nil, 0)
    guard needed > 1, needed < 4096 else { return nil }
    var text = [CChar](repeating: 0, count: Int(needed))
    let written = text.withUnsafeMutableBufferPointer {
      cmsGetProfileInfoASCII(profile.handle, cmsInfoDescription, "en", "US", $0.baseAddress, needed)
    }
    guard written > 0 else { return nil }
    let description = String(
      decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return description.isEmpty ? nil : description
  }

  /// `image` converted from `profile` to sRGB; nil when nothing is to be done: the profile
  /// already describes sRGB (pixels would change by at most one level), or it does not fit
  /// the pixels (an RGB profile on gray pixels). Throws for a profile lcms2 cannot use.
  static func toSRGB(_ image: Image, profile bytes: [UInt8], threads: Int) throws(CodecError)
    -> Image?
  {
    let source = try Profile(bytes)
    let gray = image.layout.isGray
    guard source.space == (gray ? .gray : .rgb) else { return nil }
    let target = gray ? try Profile.sRGBGray() : try Profile.sRGB()
    guard try !Transform.isIdentity(from: source, to: target, gray: gray) else { return nil }
    let format = pixelFormat(image.layout, image.depth)
    let transform = try Transform(
      from: source, format, to: target, format, copiesAlpha: image.layout.hasAlpha)
    return try image.withBytes { pixels in
      Result { () throws(CodecError) in
        try transform.apply(
          pixels, width: image.width, height: image.height,
          inputBytesPerPixel: image.bytesPerPixel, layout: image.layout, depth: image.depth,
          threads: threads)
      }
    }.get()
  }

  /// CMYK ink amounts (4 bytes per pixel, 0 = no ink) converted with `profile` to 8-bit sRGB.
  static func cmykToSRGB(
    _ samples: [UInt8], width: Int, height: Int, profile bytes: [UInt8], threads: Int
  ) throws(CodecError) -> Image {
    let source = try Profile(bytes)
    guard source.space == .cmyk else {
      throw CodecError(.unsupported, "the CMYK image's ICC profile is not a CMYK profile")
    }
    let transform = try Transform(
      from: source, IMGPROC_TYPE_CMYK_8, to: Profile.sRGB(), IMGPROC_TYPE_RGB_8, copiesAlpha: false)
    return try samples.withUnsafeBytes { source in
      Result { () throws(CodecError) in
        try transform.apply(
          source, width: width, height: height, inputBytesPerPixel: 4, layout: .rgb,
          depth: .eight, threads: threads)
      }
    }.get()
  }

  /// A compact sRGB profile (ICC v4, lcms2's sRGB: the IEC 61966-2.1 primaries, D65 white
  /// adapted to D50, the parametric sRGB curve) to embed in outputs (`--output-profile
  /// srgb-compact`): 568 bytes where common sRGB profiles take 3 KB.
  static let compactSRGBProfile: [UInt8] = {
    guard let profile = try? Profile.sRGB(), let bytes = profile.bytes(description: "sRGB")
    else { return [] }
    return bytes
  }()

  /// A matrix/TRC RGB profile: chromaticities of the white point and primaries (x, y), with
  /// sRGB's tone curve (Display P3 is sRGB's curve with other primaries): what a HEIF's
  /// colour description becomes (`LibHeif`).
  package static func rgbProfile(
    white: (Double, Double), red: (Double, Double), green: (Double, Double),
    blue: (Double, Double), description: String
  ) -> [UInt8] {
    guard let profile = try? Profile.rgb(white: white, red: red, green: green, blue: blue)
    else { return [] }
    return profile.bytes(description: description) ?? []
  }

  private static func pixelFormat(_ layout: PixelLayout, _ depth: SampleDepth) -> UInt32 {
    switch (layout, depth) {
    case (.gray, .eight): return IMGPROC_TYPE_GRAY_8
    case (.grayAlpha, .eight): return IMGPROC_TYPE_GRAYA_8
    case (.rgb, .eight): return IMGPROC_TYPE_RGB_8
    case (.rgba, .eight): return IMGPROC_TYPE_RGBA_8
    case (.gray, .sixteen): return IMGPROC_TYPE_GRAY_16
    case (.grayAlpha, .sixteen): return IMGPROC_TYPE_GRAYA_16
    case (.rgb, .sixteen): return IMGPROC_TYPE_RGB_16
    case (.rgba, .sixteen): return IMGPROC_TYPE_RGBA_16
    }
  }
}

/// An lcms2 profile, closed when released.
private final class Profile {
  let handle: cmsHPROFILE

  enum Space { case rgb, gray, cmyk, other }

  private init(handle: cmsHPROFILE) { self.handle = handle }

  /// Takes ownership of a profile made elsewhere in this file.
  static func adopting(_ handle: cmsHPROFILE) -> Profile { Profile(handle: handle) }

  deinit { cmsCloseProfile(handle) }

  /// Opens an embedded profile.
  convenience init(_ bytes: [UInt8]) throws(CodecError) {
    let opened = bytes.withUnsafeBytes { buffer in
      cmsOpenProfileFromMem(buffer.baseAddress, cmsUInt32Number(buffer.count))
    }
    guard let opened, bytes.count <= Int(UInt32.max) else {
      throw CodecError(
        .corrupt, "the embedded ICC profile (\(bytes.count) bytes) cannot be read",
        hint: "--keep icc keeps it and the pixels as they are")
    }
    self.init(handle: opened)
  }

  var space: Space {
    switch cmsGetColorSpace(handle).rawValue {
    case cmsSigRgbData.rawValue: return .rgb
    case cmsSigGrayData.rawValue: return .gray
    case cmsSigCmykData.rawValue: return .cmyk
    default: return .other
    }
  }

  static func sRGB() throws(CodecError) -> Profile {
    guard let handle = cmsCreate_sRGBProfile() else { throw failure("the sRGB profile") }
    return Profile(handle: handle)
  }

  /// sRGB's tone curve: IEC 61966-2.1, parametric type 4.
  private static func sRGBCurve() throws(CodecError) -> OpaquePointer {
    let parameters: [Double] = [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045]
    guard
      let curve = parameters.withUnsafeBufferPointer({
        cmsBuildParametricToneCurve(nil, 4, $0.baseAddress)
      })
    else { throw failure("the sRGB tone curve") }
    return curve
  }

  /// Gray with sRGB's tone curve and a D50 white: where gray pixels go.
  static func sRGBGray() throws(CodecError) -> Profile {
    let curve = try sRGBCurve()
    defer { cmsFreeToneCurve(curve) }
    guard let handle = cmsCreateGrayProfile(cmsD50_xyY(), curve) else {
      throw failure("the sRGB gray profile")
    }
    return Profile(handle: handle)
  }

  static func rgb(
    white: (Double, Double), red: (Double, Double), green: (Double, Double),
    blue: (Double, Double)
  ) throws(CodecError) -> Profile {
    let curve = try sRGBCurve()
    defer { cmsFreeToneCurve(curve) }
    var whitePoint = cmsCIExyY(x: white.0, y: white.1, Y: 1)
    var primaries = cmsCIExyYTRIPLE(
      Red: cmsCIExyY(x: red.0, y: red.1, Y: 1), Green: cmsCIExyY(x: green.0, y: green.1, Y: 1),
      Blue: cmsCIExyY(x: blue.0, y: blue.1, Y: 1))
    let curves: [OpaquePointer?] = [curve, curve, curve]
    guard
      let handle = curves.withUnsafeBufferPointer({
        cmsCreateRGBProfile(&whitePoint, &primaries, $0.baseAddress)
      })
    else { throw failure("an RGB profile") }
    return Profile(handle: handle)
  }

  /// The profile as ICC bytes, with `description` and its MD5 profile ID.
  func bytes(description: String) -> [UInt8]? {
    guard let text = cmsMLUalloc(nil, 1) else { return nil }
    defer { cmsMLUfree(text) }
    guard cmsMLUsetASCII(text, "en", "US", description) != 0,
      cmsWriteTag(handle, cmsSigProfileDescriptionTag, UnsafeRawPointer(text)) != 0
    else { return nil }
    _ = cmsMD5computeID(handle)
    var size: cmsUInt32Number = 0
    guard cmsSaveProfileToMem(handle, nil, &size) != 0, size > 0 else { return nil }
    var bytes = [UInt8](repeating: 0, count: Int(size))
    let saved = bytes.withUnsafeMutableBytes { cmsSaveProfileToMem(handle, $0.baseAddress, &size) }
    return saved != 0 ? bytes : nil
  }

  static func failure(_ what: String) -> CodecError {
    CodecError(.outOfMemory, "lcms2 could not build \(what)")
  }
}

/// An lcms2 transform, deleted when released. Immutable and built without lcms2's one-pixel
/// cache, so bands of one image may use it from several threads at once.
private final class Transform: @unchecked Sendable {
  let handle: cmsHTRANSFORM

  /// - Parameter intent: 0 perceptual (the default), 1 relative colorimetric.
  init(
    from source: Profile, _ inputFormat: UInt32, to target: Profile, _ outputFormat: UInt32,
    copiesAlpha: Bool, intent: UInt32 = 0
  ) throws(CodecError) {
    var flags = UInt32(cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_NOCACHE)
    if copiesAlpha { flags |= UInt32(cmsFLAGS_COPY_ALPHA) }
    guard
      let handle = cmsCreateTransform(
        source.handle, inputFormat, target.handle, outputFormat, intent, flags)
    else {
      throw CodecError(
        .unsupported, "the embedded ICC profile cannot be converted to sRGB",
        hint: "--keep icc keeps it and the pixels as they are")
    }
    self.handle = handle
  }

  deinit { cmsDeleteTransform(handle) }

  /// Whether converting 8-bit colours from `source` to `target` moves none by more than one
  /// level: a profile of sRGB (there are many, byte for byte different). Checked on a
  /// 5×5×5 lattice of colours (5 levels of gray for gray profiles).
  static func isIdentity(from source: Profile, to target: Profile, gray: Bool) throws(CodecError)
    -> Bool
  {
    let levels: [UInt8] = [0, 64, 128, 192, 255]
    var colors: [UInt8] = []
    if gray {
      colors = levels
    } else {
      for r in levels { for g in levels { for b in levels { colors += [r, g, b] } } }
    }
    let format = gray ? IMGPROC_TYPE_GRAY_8 : IMGPROC_TYPE_RGB_8
    let probe = try Transform(from: source, format, to: target, format, copiesAlpha: false)
    var converted = [UInt8](repeating: 0, count: colors.count)
    colors.withUnsafeBytes { input in
      converted.withUnsafeMutableBytes { output in
        cmsDoTransform(
          probe.handle, input.baseAddress, output.baseAddress,
          cmsUInt32Number(colors.count / (gray ? 1 : 3)))
      }
    }
    return zip(colors, converted).allSatisfy { abs(Int($0) - Int($1)) <= 1 }
  }

  /// Transforms `height` rows of `width` pixels (`inputBytesPerPixel` bytes each, rows
  /// packed) into a new image of `layout` and `depth`, in row bands on up to `threads`
  /// threads.
  func apply(
    _ source: UnsafeRawBufferPointer, width: Int, height: Int, inputBytesPerPixel: Int,
    layout: PixelLayout, depth: SampleDepth, threads: Int
  ) throws(CodecError) -> Image {
    guard let input = source.baseAddress, source.count >= width * height * inputBytesPerPixel
    else { throw CodecError(.corrupt, "pixel buffer smaller than the image") }
    let pixels = SendableRawPointer(input)
    let inputRowBytes = width * inputBytesPerPixel
    let outputRowBytes = width * layout.channels * depth.bytes
    do {
      return try Image.filling(width: width, height: height, layout: layout, depth: depth) {
        output in
        guard let base = output.baseAddress else { return }
        let destination = SendablePointer(base)
        RowBands.run(rows: height, width: width, threads: threads) { rows in
          cmsDoTransformLineStride(
            self.handle, pixels.pointer + rows.lowerBound * inputRowBytes,
            destination.pointer + rows.lowerBound * outputRowBytes, cmsUInt32Number(width),
            cmsUInt32Number(rows.count), cmsUInt32Number(inputRowBytes),
            cmsUInt32Number(outputRowBytes), 0, 0)
        }
      }
    } catch {
      throw CodecError(.outOfMemory, "cannot allocate a \(width)×\(height) image")
    }
  }
}
