import ImgprocCodecs
import ImgprocCore

/// One encoded output of a source.
public struct RenderedVariant: Sendable {
  public var variant: Variant
  public var bytes: [UInt8]
  public var size: Size
  /// SSIM of the encoded output against the pixels it was encoded from, when asked for and
  /// the encoding is lossy (`Similarity`).
  public var ssim: Double?
  /// How long the encode took, in milliseconds (the similarity check not included).
  public var encodeMilliseconds = 0
}

/// What rendering one source produced.
public struct RenderResult: Sendable {
  public var outputs: [RenderedVariant]
  /// Decoder notes worth telling the user (damaged data accepted, animation reduced to a frame).
  public var warnings: [String]
}

/// One variant of a prepared source, ready to encode: its pixels are final.
public struct EncodeTask: Sendable {
  public let variant: Variant
  let image: Image
  let settings: EncodeSettings
  let metadata: ImageMetadata

  /// Rough CPU cost, for scheduling the biggest work first: pixels weighted by how slow
  /// the format's encoder is (PNG and WebP are ~10× JPEG per pixel).
  public var estimatedCost: Double {
    Double(image.pixelCount) * variant.format.relativeEncodeCost
  }

  /// Encodes the variant; with `measuringSimilarity`, a lossy output is decoded again and
  /// compared with the pixels it was made from.
  public func run(measuringSimilarity: Bool = false) throws(PipelineError) -> RenderedVariant {
    let bytes: [UInt8]
    let start = ContinuousClock.now
    do {
      bytes = try Codecs.encode(image, settings, metadata: metadata)
    } catch {
      throw PipelineError(encoding: error, variant: variant.name)
    }
    let elapsed = start.duration(to: .now).components
    var rendered = RenderedVariant(
      variant: variant, bytes: bytes, size: Size(width: image.width, height: image.height))
    rendered.encodeMilliseconds = Int(
      elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
    if measuringSimilarity && !variant.format.isLossless(with: variant.options),
      let decoded = try? Codecs.decode(bytes)
    {
      rendered.ssim = Similarity.ssim(decoded.image, image)
    }
    return rendered
  }
}

/// A decoded source turned into encode tasks, one per variant.
public struct PreparedSource: Sendable {
  public let tasks: [EncodeTask]
  /// Decoder notes worth telling the user (damaged data accepted, animation reduced to a frame).
  public let warnings: [String]
}

/// Turns the bytes of one source into encoded variants: decode once, turn upright, cap the
/// size, then resize each variant from that shared image. No I/O.
///
/// Variants are planned on the full-resolution upright image (`plan`): one without a size is
/// fitted into the cap (`--max-size`), a sized one is made as without a cap, its box bounded by
/// it. Shrink-on-load: when every variant is small (a thumbnail recipe), a JPEG or WebP is
/// decoded at 1/2, 1/4 or 1/8 of its size, as long as at least 2× is left for the resampling
/// kernel (libvips' rule); sizes do not depend on whether the decoder shrank.
public enum ImageRenderer {
  /// Decodes and prepares every variant's pixels; the encoding is left to the tasks.
  public static func prepare(
    _ data: [UInt8], variants: [Variant], settings: RenderSettings
  ) throws(PipelineError) -> PreparedSource {
    let (source, metadata, warnings) = try decodeUpright(
      data, variants: variants, settings: settings)
    var images = VariantImages(source: source, settings: settings)
    var tasks: [EncodeTask] = []
    for variant in variants {
      tasks.append(
        EncodeTask(
          variant: variant, image: try images.image(for: variant),
          settings: settings.encodeSettings(for: variant), metadata: metadata))
    }
    return PreparedSource(tasks: tasks, warnings: warnings)
  }

  /// Prepares and encodes every variant, one after the other.
  public static func render(
    _ data: [UInt8], variants: [Variant], settings: RenderSettings
  ) throws(PipelineError) -> RenderResult {
    let prepared = try prepare(data, variants: variants, settings: settings)
    var outputs: [RenderedVariant] = []
    for task in prepared.tasks { outputs.append(try task.run()) }
    return RenderResult(outputs: outputs, warnings: prepared.warnings)
  }

  /// The decoded image, turned upright (decoded smaller, or resampled to the cap once, when
  /// every variant can be made from that), with the metadata its outputs carry. The
  /// full-size decode is released before returning.
  static func decodeUpright(_ data: [UInt8], variants: [Variant], settings: RenderSettings)
    throws(PipelineError) -> (SourceImage, ImageMetadata, [String])
  {
    var decoded: DecodedImage
    let shrunk: Bool
    let header: ImageHeader
    do {
      header = try Codecs.probe(data)
      try Codecs.checkPixelLimit(header, settings.decode.maxPixels)
    } catch {
      throw PipelineError(decoding: error)
    }
    let headerOrientation = settings.autoOrient ? header.metadata.orientation : .up
    var upright = headerOrientation.uprightSize(Size(width: header.width, height: header.height))
    try checkOutputSizes(upright, variants, settings)
    if let budget = settings.timeBudget {
      try budget.check(estimate(budget, header: header, upright: upright, variants, settings))
    }
    do {
      var options = settings.decode
      options.color = settings.keep.keepsProfile ? .asStored : .sRGB
      options.threads = settings.threads
      options.scaleDenominator = shrinkOnLoad(header, upright: upright, variants, settings)
      shrunk = options.scaleDenominator > 1
      decoded = try Codecs.decode(data, header: header, options: options)
    } catch {
      throw PipelineError(decoding: error)
    }
    let orientation = settings.autoOrient ? decoded.metadata.orientation : .up
    var metadata = settings.keep.filter(decoded.metadata, rotated: orientation != .up)
    if !settings.keep.keepsProfile && settings.profile == .srgbCompact {
      metadata.icc = Codecs.compactSRGBProfile
    }
    var image = decoded.image
    decoded.image = Image.empty  // drop the decoder's reference: `image` is now unique
    image = image.applying(orientation)
    let size = Size(width: image.width, height: image.height)
    // Without shrink-on-load the pixels are the truth (a PNG may carry its EXIF orientation
    // after the image data, unseen by the header).
    if !shrunk { upright = size }
    // Larger than the cap, and no variant needs more than the cap's resolution: resample to
    // the cap once, for every variant.
    let cap = capped(upright, settings.maxSize)
    if size.width > cap.width || size.height > cap.height,
      neededResolution(upright, variants, settings) <= Double(cap.width) / Double(upright.width)
    {
      let plan = FitPlan.make(
        source: size, width: cap.width, height: cap.height, fit: .fill, allowEnlargement: false)
      image = try resample(image, plan, kernel: settings.kernel, settings: settings)
    }
    return (SourceImage(pixels: image, logicalSize: upright), metadata, decoded.warnings)
  }

  /// What `variant` is made of `upright`: a variant without a size is the image fitted into
  /// the cap (`--max-size`); a sized one is planned on the whole image, as without a cap,
  /// its requested box bounded by the cap.
  static func plan(_ variant: Variant, upright: Size, settings: RenderSettings) -> FitPlan {
    guard variant.width != nil || variant.height != nil else {
      let cap = capped(upright, settings.maxSize)
      return FitPlan.make(
        source: upright, width: cap.width, height: cap.height, fit: .fill, allowEnlargement: false)
    }
    let bound = { (side: Int?) in
      settings.maxSize > 0 ? side.map { min($0, settings.maxSize) } : side
    }
    return FitPlan.make(
      source: upright, width: bound(variant.width), height: bound(variant.height),
      fit: variant.fit ?? .inside, allowEnlargement: variant.enlarge ?? false)
  }

  /// The largest fraction of `upright`'s resolution a variant uses (1: full resolution).
  static func neededResolution(_ upright: Size, _ variants: [Variant], _ settings: RenderSettings)
    -> Double
  {
    variants.map { variant in
      let plan = plan(variant, upright: upright, settings: settings)
      return max(
        Double(plan.resampledSize.width) / plan.sourceBox.width,
        Double(plan.resampledSize.height) / plan.sourceBox.height)
    }.max() ?? 1
  }

  /// Refuses, before anything is decoded or allocated, a variant whose output would have
  /// more pixels than `--max-pixels` or more per side than its format stores.
  static func checkOutputSizes(_ upright: Size, _ variants: [Variant], _ settings: RenderSettings)
    throws(PipelineError)
  {
    for variant in variants {
      let canvas = plan(variant, upright: upright, settings: settings).canvasSize
      let size = "\(canvas.width)×\(canvas.height)"
      let limit = variant.format.maxDimension
      if max(canvas.width, canvas.height) > limit {
        throw PipelineError(
          .imageOperation,
          "variant '\(variant.name)' would be \(size): \(variant.format) stores at most \(limit) px per side",
          hint: "give variant '\(variant.name)' a size within \(limit)×\(limit)")
      }
      let (pixels, overflow) = canvas.width.multipliedReportingOverflow(by: canvas.height)
      if overflow || pixels > settings.decode.maxPixels {
        throw PipelineError(
          .imageOperation,
          "variant '\(variant.name)' would be \(size), more pixels than --max-pixels (\(settings.decode.maxPixels))",
          hint: "give variant '\(variant.name)' a smaller size, or raise --max-pixels")
      }
    }
  }

  /// How long decoding `header` and making every variant of `upright` would take.
  static func estimate(
    _ budget: TimeBudget, header: ImageHeader, upright: Size, _ variants: [Variant],
    _ settings: RenderSettings
  ) -> Duration {
    let outputs = variants.map { variant in
      let canvas = plan(variant, upright: upright, settings: settings).canvasSize
      return (pixels: Double(canvas.width) * Double(canvas.height), format: variant.format)
    }
    return budget.estimate(
      sourcePixels: Double(header.width) * Double(header.height), outputs: outputs)
  }

  /// `upright` fitted into `maxSize × maxSize` when larger (0: no cap).
  static func capped(_ upright: Size, _ maxSize: Int) -> Size {
    guard maxSize > 0, max(upright.width, upright.height) > maxSize else { return upright }
    return FitPlan.make(
      source: upright, width: maxSize, height: maxSize, fit: .inside, allowEnlargement: false
    ).resampledSize
  }

  /// The largest decoder shrink (8, 4, 2 or 1) that leaves every variant at least 2× of
  /// resolution to resample from.
  static func shrinkOnLoad(
    _ header: ImageHeader, upright: Size, _ variants: [Variant], _ settings: RenderSettings
  ) -> Int {
    guard header.format.supportsShrinkOnLoad, !header.isAnimated else { return 1 }
    let needed = neededResolution(upright, variants, settings)
    return [8, 4, 2].first { Double($0) * 2 * needed <= 1 } ?? 1
  }

  /// `image` resampled (and, for `contain`, padded) as `plan` says.
  static func resample(_ image: Image, _ plan: FitPlan, kernel: Kernel, settings: RenderSettings)
    throws(PipelineError) -> Image
  {
    let source = Size(width: image.width, height: image.height)
    guard !plan.isIdentity(for: source) else { return image }
    do {
      let resized = try Resizer.resize(
        image, to: plan.resampledSize, from: plan.sourceBox, kernel: kernel,
        reducingGap: kernel == .nearest ? nil : settings.reducingGap, threads: settings.threads)
      guard plan.canvasSize != plan.resampledSize else { return resized }
      return try resized.placed(
        on: plan.canvasSize, x: plan.offsetX, y: plan.offsetY, background: settings.background)
    } catch {
      throw PipelineError(error)
    }
  }
}
