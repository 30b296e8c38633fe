import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline
import Testing

@Suite("Recipes, variant specs and output names")
struct RecipeTests {
  static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Resources/recipes").standardized.path

  @Test("Resources/recipes/default.json is the built-in default: the Lambda's five variants")
  func defaultRecipe() throws {
    let file = try Recipe.load(path: Self.recipes + "/default.json")
    #expect(file == Recipe.standard)
    #expect(file.variants.map(\.name) == ["compressed", "low", "webp", "png", "thumbnail"])
    #expect(file.maxSize == 4096)
  }

  @Test("every shipped recipe is valid")
  func shippedRecipes() throws {
    for name in try FileManager.default.contentsOfDirectory(atPath: Self.recipes)
    where name.hasSuffix(".json") {
      _ = try Recipe.load(path: Self.recipes + "/" + name)
    }
  }

  @Test("invalid recipes are refused with the field named")
  func invalidRecipes() throws {
    let scratch = try Scratch()
    let cases: [(String, String)] = [
      (#"{"name":"x","variants":[]}"#, "no variants"),
      (#"{"name":"x","variants":[{"name":"a","format":"gif"}]}"#, "format"),
      (#"{"name":"x","variants":[{"name":"a","format":"heic"}]}"#, "does not write"),
      (#"{"name":"x","variants":[{"name":"a","format":"webp","effort":9}]}"#, "effort 0...6"),
      (#"{"name":"x","variants":[{"name":"a","format":"avif","effort":10}]}"#, "effort 0...9"),
      (#"{"name":"x","variants":[{"name":"a","format":"jpeg","quality":101}]}"#, "quality 1...100"),
      (#"{"name":"x","variants":[{"name":"a b","format":"jpeg"}]}"#, "name"),
      (
        #"{"name":"x","variants":[{"name":"a","format":"png"},{"name":"a","format":"jpeg"}]}"#,
        "twice"
      ),
      (#"{"name":"x","variants":[{"format":"png"}]}"#, "missing 'name'"),
      ("not json", "not a valid recipe"),
      (
        #"{"name":"x","variants":[{"name":"a","format":"jpeg","quality":80.5}]}"#,
        "'variants[0].quality' must be a whole number, not 80.5"
      ),
      (
        #"{"name":"x","variants":[{"name":"a","format":"jpeg","quality":10,"quality":90}]}"#,
        "'variants[0].quality' is given twice"
      ),
      (
        #"{"name":"x","name":"y","variants":[{"name":"a","format":"jpeg"}]}"#,
        "'name' is given twice"
      ),
      (
        #"{"name":"x","variants":[{"name":"a","format":"jpeg","enlarge":"yes"}]}"#,
        "'variants[0].enlarge' must be true or false"
      ),
      (
        #"{"name":"x","variants":[{"name":"a","format":"jpeg","subsampling":444}]}"#,
        "'variants[0].subsampling' must be one of \"auto\", \"420\", \"422\", \"444\" (a string)"
      ),
      (
        #"{"name":"x","maxSize":"big","variants":[{"name":"a","format":"jpeg"}]}"#,
        "'maxSize' must be a whole number"
      ),
      (#"{"name":"x","variants":[{"name":"a","format":"jpeg"}]]"#, "not a valid recipe"),
    ]
    for (index, (json, expected)) in cases.enumerated() {
      try scratch.write(Array(json.utf8), "r\(index).json")
      let error = try #require(throws: PipelineError.self) {
        try Recipe.load(path: scratch.path("r\(index).json"))
      }
      #expect(error.description.contains(expected), "\(json): \(error)")
    }
  }

  /// A value `option` takes that is not its default (its largest number, yes, its last
  /// word), and one it refuses, as `--variant` writes them under `name`.
  static func values(_ option: EncoderOption, as name: String) -> (good: String, bad: String) {
    switch option.values {
    case .integer(let range):
      return ("\(name)=\(range.upperBound)", "\(name)=\(range.upperBound + 1)")
    case .yesNo: return ("\(name)=yes", "\(name)=maybe")
    case .choice(let words): return ("\(name)=\(words.last ?? "")", "\(name)=nonsense")
    }
  }

  @Test("each format's option table drives --variant, recipe keys, their checks and its encoder")
  func optionTables() throws {
    for format in ImageFormat.written {
      let plain = RenderSettings().encodeSettings(for: Variant(name: "v", format: format))
      for option in format.options {
        for name in option.names {
          let (good, bad) = Self.values(option, as: name)
          let variant = try Variant(spec: "v:\(format.rawValue):\(good)")
          #expect(variant.options.keys.sorted() == [option.key], "\(format) \(good)")
          #expect(throws: PipelineError.self, "\(format) \(bad)") {
            try Variant(spec: "v:\(format.rawValue):\(bad)")
          }
          // The same variant as a recipe, and back.
          let recipe = Recipe(name: "r", variants: [variant])
          #expect(try Recipe.decode(Data(recipe.json().utf8), origin: "test") == recipe)
          // The encoder takes it.
          let settings = RenderSettings().encodeSettings(for: variant)
          #expect(
            settings.options.identityFields != plain.options.identityFields, "\(format) \(good)")
        }
      }
      // Another format's option is refused, naming it.
      for other in ImageFormat.written where other != format {
        for option in other.options where format.option(named: option.key) == nil {
          let (good, _) = Self.values(option, as: option.key)
          let error = #expect(throws: PipelineError.self) {
            try Variant(spec: "v:\(format.rawValue):\(good)")
          }
          #expect(error?.message.contains("does not apply to \(format.rawValue)") == true)
        }
      }
    }
  }

  @Test("variant specs parse every option")
  func variantSpecs() throws {
    let hero = try Variant(spec: "hero:webp:q=80:1600x1600")
    #expect(hero.format == .webp && hero.options == ["quality": .integer(80)])
    #expect(hero.width == 1600 && hero.height == 1600)
    let wide = try Variant(spec: "w:jpg:800x:fit=cover:kernel=mitchell:progressive:subsampling=444")
    #expect(wide.format == .jpeg && wide.width == 800 && wide.height == nil && wide.fit == .cover)
    #expect(wide.kernel == .mitchell)
    #expect(wide.options == ["progressive": .yesNo(true), "subsampling": .choice("444")])
    let tall = try Variant(spec: "t:png:x120:level=6:enlarge")
    #expect(tall.height == 120 && tall.options == ["compressionLevel": .integer(6)])
    #expect(tall.enlarge == true)
    for bad in [
      "x", "x:gif", "x:jpeg:q=0", "x:jpeg:fit=squash", "x:jpeg:10y10", "x:webp:effort=9",
      "bad name:png",
      // Found by fuzzing (imgproc-fuzz recipe): an empty option crashed the parser.
      "x:jpeg:", "x:jpeg::q=80", "x:png:=6",
    ] {
      #expect(throws: PipelineError.self, "\(bad)") { try Variant(spec: bad) }
    }
  }

  @Test(
    "a yes/no option takes its value: alone or yes, true, 1, on is yes; no, false, 0, off is no",
    arguments: [
      ("", true), ("=yes", true), ("=TRUE", true), ("=1", true), ("=on", true), ("=no", false),
      ("=false", false), ("=0", false), ("=Off", false),
    ])
  func yesNoOptions(suffix: String, expected: Bool) throws {
    let jpeg = try Variant(spec: "a:jpeg:200x200:enlarge\(suffix):progressive\(suffix)")
    #expect(jpeg.enlarge == expected && jpeg.options["progressive"] == .yesNo(expected))
    let webp = try Variant(spec: "w:webp:lossless\(suffix)")
    #expect(webp.options["lossless"] == .yesNo(expected))
  }

  @Test(
    "range errors name the key as typed",
    arguments: [
      ("a:png:level=13", "expected level 0...12"), ("a:jpeg:q=0", "expected q 1...100"),
      ("a:jpeg:quality=101", "expected quality 1...100"),
      ("a:webp:method=7", "expected method 0...6"),
    ])
  func rangeErrorsAsTyped(spec: String, message: String) {
    let error = #expect(throws: PipelineError.self) { try Variant(spec: spec) }
    #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    #expect(error?.message.hasPrefix("--variant '\(spec)'") == true)
  }

  @Test("a format imgproc only reads is said so on the command line, whatever its options")
  func readOnlyFormatSpec() {
    for spec in ["a:heif", "a:heic:q=5", "a:heif:effort=3:400x"] {
      let error = #expect(throws: PipelineError.self) { try Variant(spec: spec) }
      #expect(
        error?.message.contains("reads heif but does not write it") == true,
        "\(String(describing: error))")
    }
  }

  @Test("a yes/no option with another value is refused, naming the key and the value")
  func yesNoRefused() {
    for spec in ["a:jpeg:enlarge=banana", "a:jpeg:progressive=", "w:webp:lossless=2"] {
      let error = #expect(throws: PipelineError.self) { try Variant(spec: spec) }
      #expect(error?.code == .invalidConfiguration)
      let key = spec.split(separator: ":")[2].split(separator: "=")[0]
      #expect(
        error?.message.contains("'\(key)' takes yes or no") == true, "\(String(describing: error))")
      #expect(
        error?.message.contains(spec.split(separator: "=").last.map(String.init) ?? "") == true)
    }
  }

  @Test("names follow the template; the hash is the SHA-256 prefix")
  func naming() throws {
    let naming = try OutputNaming(variantCount: 5)
    // SHA-256("abc") = ba7816bf…
    #expect(OutputNaming.hash(Array("abc".utf8)) == "ba7816bf")
    let variant = Variant(name: "thumbnail", format: .jpeg)
    #expect(
      naming.name(base: "photo", variant: variant, hash: "ba7816bf", recipe: "default")
        == "photo_thumbnail_ba7816bf.jpg")
    let custom = try OutputNaming(template: "{recipe}/{variant}/{base}.{ext}", variantCount: 2)
    #expect(custom.name(base: "a", variant: variant, hash: "", recipe: "r") == "r/thumbnail/a.jpg")
    #expect(
      naming.name(base: "..", variant: variant, hash: "h", recipe: "") == "image_thumbnail_h.jpg")
    // Each placeholder once, in one pass: a file called "{variant}" keeps its name, and a
    // folder in the base becomes "_".
    #expect(
      naming.name(base: "a{variant}/{hash}", variant: variant, hash: "h", recipe: "")
        == "a{variant}_{hash}_thumbnail_h.jpg")
  }

  @Test(
    "bad templates are usage errors",
    arguments: ["{base}.{ext}", "/abs/{variant}", "../{variant}", "{nope}{variant}", "{variant"])
  func badTemplates(template: String) {
    #expect(throws: PipelineError.self) { try OutputNaming(template: template, variantCount: 2) }
  }
}
