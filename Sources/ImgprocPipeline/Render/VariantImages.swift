import ImgprocCodecs
import ImgprocCore

/// A source's pixels and the size variants are planned against (the whole upright image).
/// The pixels are that image, or a smaller decode of it (shrink-on-load), or it resampled to
/// the cap (`--max-size`) when no variant needs more.
struct SourceImage {
  let pixels: Image
  let logicalSize: Size

  /// `box`, in logical coordinates, in `pixels`' coordinates.
  func pixelBox(_ box: SourceBox) -> SourceBox {
    let fx = Double(pixels.width) / Double(logicalSize.width)
    let fy = Double(pixels.height) / Double(logicalSize.height)
    guard fx != 1 || fy != 1 else { return box }
    return SourceBox(
      x0: box.x0 * fx, y0: box.y0 * fy, x1: min(Double(pixels.width), box.x1 * fx),
      y1: min(Double(pixels.height), box.y1 * fy))
  }
}

/// Resized and format-converted images shared between variants: two JPEG variants of the
/// same size use one resize and one alpha flattening.
struct VariantImages {
  let source: SourceImage
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

  init(source: SourceImage, settings: RenderSettings) {
    self.source = source
    self.settings = settings
  }

  /// The final pixels of `variant`: resized as its fit says, converted for its format.
  mutating func image(for variant: Variant) throws(PipelineError) -> Image {
    let plan = ImageRenderer.plan(variant, upright: source.logicalSize, settings: settings)
    let resizeKey = ResizeKey(plan: plan, kernel: variant.kernel ?? settings.kernel)
    let convertKey = ConvertKey(resize: resizeKey, format: variant.format)
    if let ready = converted[convertKey] { return ready }
    let sized: Image
    if let cached = resized[resizeKey] {
      sized = cached
    } else {
      var pixelPlan = plan
      pixelPlan.sourceBox = source.pixelBox(plan.sourceBox)
      sized = try ImageRenderer.resample(
        source.pixels, pixelPlan, kernel: resizeKey.kernel, settings: settings)
      resized[resizeKey] = sized
    }
    let ready = Codecs.prepare(sized, for: variant.format, background: settings.background)
    converted[convertKey] = ready
    return ready
  }
}
