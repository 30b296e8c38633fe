import ArgumentParser
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline

/// How sources become variants: shared by every command that converts.
struct RenderOptions: ParsableArguments {
  @Option(
    help:
      "A recipe JSON file (default: the built-in five variants, as Resources/recipes/default.json)."
  )
  var recipe: String?

  @Option(
    name: .customLong("variant"),
    help: ArgumentHelp(
      "A variant NAME:FORMAT[:WxH][:fit=F][:kernel=K][:enlarge][:OPTION=VALUE]…; FORMAT: \(FormatWords.writtenNames). The options each format takes (default): \(FormatWords.variantOptions). A yes/no option alone is yes, or takes =yes|no. Repeatable; replaces the default recipe, or adds to --recipe.",
      valueName: "spec"))
  var variants: [String] = []

  @Option(
    parsing: .unconditional,
    help:
      "No output larger than N px on a side: variants without a size are the image fitted into NxN; sized variants are made from the whole image, their size bounded by N. 0 disables. (default: the recipe's, 4096)"
  )
  var maxSize: Int?

  @Option(
    parsing: .unconditional,
    help: "Refuse images with more pixels than this (checked from the header, before decoding).")
  var maxPixels: Int = DecodeOptions.defaultMaxPixels

  @Option(
    help: ArgumentHelp(
      "Refuse sources larger than this, checked while reading: bytes, or with KiB, MiB, GiB (KB, MB, GB: powers of 1000). (default: 512MiB)",
      valueName: "size"),
    transform: { text in
      guard let bytes = ByteCount.parse(text), bytes > 0 else {
        throw ValidationError("'--max-input-bytes' expects a size such as 512MiB, not '\(text)'")
      }
      return bytes
    })
  var maxInputBytes: Int = EngineConfiguration.defaultMaxInputBytes

  @Option(
    help:
      "Which damage fails a file, in every format: warning (damage that loses pixels: image data cut short or corrupt) or error (only errors: such images decode as far as they can, with a warning). Damaged metadata (a bad ICC profile, dropped; an out-of-range PNG tRNS; bad EXIF) and data after the complete image are warnings either way."
  )
  var failOn: FailOn = .warning

  @Flag(help: "Keep pixels as stored; by default the EXIF orientation is applied.")
  var noRotate = false

  @Option(
    help:
      "Metadata carried into outputs: none, exif, icc or all. Without icc, pixels with an embedded profile (RGB, gray, CMYK) are converted to sRGB and the profile is left out; with icc (or all) the profile is kept and the pixels left as stored."
  )
  var keep: MetadataPolicy = .none

  @Option(
    help:
      "The profile outputs carry when --keep does not keep the source's: none (untagged sRGB) or srgb-compact (a 568-byte sRGB profile)."
  )
  var outputProfile: OutputProfile = .none

  @Option(
    help:
      "Colour behind transparent pixels in JPEG outputs, and padding for fit=contain: white, black, #rrggbb or r,g,b."
  )
  var background: RGBColor = .white

  @Option(help: "Resampling kernel for variants that name none, and for the --max-size cap.")
  var kernel: Kernel = .lanczos3

  @Option(
    parsing: .unconditional,
    help:
      "Shrinks by more than 2xN start with an integer box reduction, leaving at least N for the kernel (as Pillow's reducing_gap); 0 resamples exactly."
  )
  var reducingGap: Double = 2

  @Flag(help: "Write progressive JPEGs (variants may override).")
  var progressive = false

  @Option(
    help: "JPEG chroma subsampling: auto (4:2:0 below quality 90, 4:4:4 from 90), 420, 422 or 444.")
  var subsampling: ChromaSubsampling = .auto

  mutating func validate() throws {
    guard maxPixels > 0 else {
      throw ValidationError("'--max-pixels' must be at least 1, not \(maxPixels)")
    }
    guard reducingGap == 0 || reducingGap >= 1 else {
      throw ValidationError("'--reducing-gap' must be 0 (exact) or at least 1")
    }
    if let maxSize, maxSize < 0 {
      throw ValidationError("'--max-size' must be 0 (no cap) or more, not \(maxSize)")
    }
    if keep.keepsProfile && outputProfile != .none {
      throw ValidationError(
        "'--output-profile \(outputProfile.rawValue)' embeds sRGB's profile in converted outputs; '--keep \(keep.rawValue)' keeps the source's profile and pixels instead: choose one"
      )
    }
  }

  /// The recipe from `--recipe` and `--variant`, validated.
  func resolvedRecipe() throws -> Recipe {
    do throws(PipelineError) {
      var result = Recipe.standard
      if let recipe {
        result = try Recipe.load(path: recipe)
      } else if !variants.isEmpty {
        result = Recipe(name: "custom", maxSize: 4096, variants: [])
      }
      for spec in variants {
        let variant = try Variant(spec: spec)
        // A name twice said as the user wrote it: the recipe they gave, or --variant.
        if result.variants.contains(where: { $0.name == variant.name }) {
          let place = recipe.map { "the recipe \($0) already has" } ?? "an earlier --variant gives"
          throw PipelineError(
            .invalidConfiguration,
            "--variant '\(spec)': \(place) a variant named '\(variant.name)'",
            hint: "give each variant its own name")
        }
        result.variants.append(variant)
      }
      try result.validate()
      return result
    } catch {
      throw ValidationError(error.description)
    }
  }

  /// The render settings these options describe.
  func settings() throws -> RenderSettings {
    RenderSettings(
      recipe: try resolvedRecipe(), maxSize: maxSize,
      decode: DecodeOptions(maxPixels: maxPixels, failOn: failOn), autoOrient: !noRotate,
      keep: keep, profile: outputProfile, background: background, kernel: kernel,
      reducingGap: reducingGap == 0 ? nil : reducingGap, progressive: progressive,
      subsampling: subsampling)
  }
}
