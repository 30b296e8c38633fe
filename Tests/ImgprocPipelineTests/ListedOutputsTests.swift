import ImgprocCodecs
import Testing

@testable import ImgprocPipeline

@Suite("Whether a listing still holds a source's outputs, without reading the source")
struct ListedOutputsTests {
  static let recipe = Recipe(
    name: "r",
    variants: [
      Variant(name: "t", format: .jpeg, quality: 80, width: 40, height: 40),
      Variant(name: "w", format: .webp, quality: 80),
    ])

  static func configuration(_ template: String = OutputNaming.defaultTemplate) throws
    -> EngineConfiguration
  {
    EngineConfiguration(
      settings: RenderSettings(recipe: recipe),
      naming: try OutputNaming(template: template, variantCount: 2), jobs: 1)
  }

  static let item = SourceItem(
    origin: .file("in/sub/b.jpg"), outputFolder: "sub/", base: "b", byteCount: 0,
    relativeKey: "sub/b.jpg")

  @Test("every variant needs a name of its pattern; another source's names do not count")
  func hashedNames() throws {
    let configuration = try Self.configuration()
    let store = MemoryStore()
    #expect(configuration.outputsPrefix(of: Self.item, in: store) == "mem:sub/b_")
    let both = [
      "mem:sub/b_t_0123abcd.jpg", "mem:sub/b_w_89abcdef.webp", "mem:sub/bb_t_0123abcd.jpg",
    ]
    #expect(configuration.hasOutputs(of: Self.item, in: store, listed: ListedOutputs(both)))
    let oneGone = ["mem:sub/b_t_0123abcd.jpg", "mem:sub/bb_w_89abcdef.webp", "mem:sub/b_w_.webp"]
    #expect(!configuration.hasOutputs(of: Self.item, in: store, listed: ListedOutputs(oneGone)))
    #expect(!configuration.hasOutputs(of: Self.item, in: store, listed: ListedOutputs([])))
    // Not hex, or upper-case: not imgproc's name.
    let lookalikes = ["mem:sub/b_t_0123ABCD.jpg", "mem:sub/b_w_zzzzzzzz.webp"]
    #expect(!configuration.hasOutputs(of: Self.item, in: store, listed: ListedOutputs(lookalikes)))
  }

  @Test("names without {hash} are looked up as they are")
  func plainNames() throws {
    let configuration = try Self.configuration("web/{base}-{variant}.{ext}")
    let store = MemoryStore()
    #expect(configuration.outputsPrefix(of: Self.item, in: store) == "mem:sub/web/b-")
    let listed = ListedOutputs(["mem:sub/web/b-t.jpg", "mem:sub/web/b-w.webp"])
    #expect(configuration.hasOutputs(of: Self.item, in: store, listed: listed))
    #expect(
      !configuration.hasOutputs(
        of: Self.item, in: store, listed: ListedOutputs(["mem:sub/web/b-t.jpg"])))
  }

  @Test("keys are ordered by their bytes, so a prefix finds every key that has it")
  func byteOrder() {
    let listed = ListedOutputs(["é/x", "e/x", "e\u{301}/y", "f", "e/", "E"])
    #expect(Set(listed.starting(with: "e")) == ["e/x", "e\u{301}/y", "e/"])
    #expect(listed.starting(with: "é").elementsEqual(["é/x"]))
  }
}
