import ImgprocCodecs
import ImgprocCore

/// One encoded output of a source.
public struct RenderedVariant: Sendable {
  public var variant: Variant
  public var bytes: [UInt8]
  public var size: Size
}

/// What rendering one source produced.
public struct RenderResult: Sendable {
  public var outputs: [RenderedVariant]
  /// Decoder notes worth telling the user (damaged data accepted, animation reduced to a frame).
  public var warnings: [String]
}

/// Turns the bytes of one source into encoded variants: decode once, turn upright, cap the
/// size, then resize and encode each variant from that shared image. No I/O.
public enum ImageRenderer {
  public static func render(
    _ data: [UInt8], variants: [Variant], settings: RenderSettings
  ) throws(PipelineError) -> RenderResult {
    let decoded: DecodedImage
    do {
      decoded = try Codecs.decode(data, options: settings.decode)
    } catch {
      throw PipelineError(decoding: error)
    }
    let orientation = settings.autoOrient ? decoded.metadata.orientation : .up
    var image = decoded.image.applying(orientation)
    let metadata = settings.keep.filter(decoded.metadata, rotated: orientation != .up)
    if settings.maxSize > 0, max(image.width, image.height) > settings.maxSize {
      let plan = FitPlan.make(
        source: Size(width: image.width, height: image.height), width: settings.maxSize,
        height: settings.maxSize, fit: .inside, allowEnlargement: false)
      image = try resample(image, plan, kernel: settings.kernel, settings: settings)
    }
    var cache = PreparedImages(base: image, settings: settings)
    var outputs: [RenderedVariant] = []
    for variant in variants {
      let prepared = try cache.image(for: variant)
      let bytes: [UInt8]
      do {
        bytes = try Codecs.encode(
          prepared, settings.encodeSettings(for: variant), metadata: metadata)
      } catch {
        throw PipelineError(encoding: error, variant: variant.name)
      }
      outputs.append(
        RenderedVariant(
          variant: variant, bytes: bytes, size: Size(width: prepared.width, height: prepared.height)
        ))
    }
    return RenderResult(outputs: outputs, warnings: decoded.warnings)
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
        threads: settings.threads)
      guard plan.canvasSize != plan.resampledSize else { return resized }
      return try resized.placed(
        on: plan.canvasSize, x: plan.offsetX, y: plan.offsetY, background: settings.background)
    } catch {
      throw PipelineError(error)
    }
  }
}

/// Resized and format-converted images shared between variants: two JPEG variants of the
/// same size use one resize and one alpha flattening.
private struct PreparedImages {
  let base: Image
  let settings: RenderSettings
  private var resized: [ResizeKey: Image] = [:]
  private var converted: [ConvertKey: Image] = [:]

  private struct ResizeKey: Hashable {
    let plan: FitPlan
    let kernel: Kernel
  }

  private struct ConvertKey: Hashable {
    let resize: ResizeKey
    let format: ImageFormat
  }

  init(base: Image, settings: RenderSettings) {
    self.base = base
    self.settings = settings
  }

  mutating func image(for variant: Variant) throws(PipelineError) -> Image {
    let plan = FitPlan.make(
      source: Size(width: base.width, height: base.height), width: variant.width,
      height: variant.height, fit: variant.fit ?? .inside,
      allowEnlargement: variant.enlarge ?? false)
    let resizeKey = ResizeKey(plan: plan, kernel: variant.kernel ?? settings.kernel)
    let convertKey = ConvertKey(resize: resizeKey, format: variant.format)
    if let ready = converted[convertKey] { return ready }
    let sized: Image
    if let cached = resized[resizeKey] {
      sized = cached
    } else {
      sized = try ImageRenderer.resample(base, plan, kernel: resizeKey.kernel, settings: settings)
      resized[resizeKey] = sized
    }
    let ready = Codecs.prepare(sized, for: variant.format, background: settings.background)
    converted[convertKey] = ready
    return ready
  }
}
