import ImgprocCore
import Testing

@Suite("Fit planning (sharp's fit modes)")
struct FitPlanTests {
  let landscape = Size(width: 6028, height: 3391)

  @Test("inside fits the longer side to the box")
  func inside() {
    let plan = FitPlan.make(
      source: landscape, width: 300, height: 300, fit: .inside, allowEnlargement: false)
    #expect(plan.resampledSize == Size(width: 300, height: 169))
    #expect(plan.canvasSize == plan.resampledSize)
  }

  @Test("outside covers the box without cropping")
  func outside() {
    let plan = FitPlan.make(
      source: landscape, width: 300, height: 300, fit: .outside, allowEnlargement: false)
    #expect(plan.resampledSize == Size(width: 533, height: 300))
  }

  @Test("cover crops the centre to exactly the box")
  func cover() {
    let plan = FitPlan.make(
      source: Size(width: 400, height: 200), width: 100, height: 100, fit: .cover,
      allowEnlargement: false)
    #expect(plan.resampledSize == Size(width: 100, height: 100))
    #expect(plan.sourceBox == SourceBox(x0: 100, y0: 0, x1: 300, y1: 200))
  }

  @Test("contain pads to the box, centred")
  func contain() {
    let plan = FitPlan.make(
      source: Size(width: 400, height: 200), width: 100, height: 100, fit: .contain,
      allowEnlargement: false)
    #expect(plan.resampledSize == Size(width: 100, height: 50))
    #expect(plan.canvasSize == Size(width: 100, height: 100))
    #expect(plan.offsetY == 25 && plan.offsetX == 0)
  }

  @Test("fill ignores the aspect ratio")
  func fill() {
    let plan = FitPlan.make(
      source: Size(width: 400, height: 200), width: 100, height: 100, fit: .fill,
      allowEnlargement: false)
    #expect(plan.resampledSize == Size(width: 100, height: 100))
  }

  @Test(
    "without enlargement a small image keeps its size",
    arguments: [Fit.inside, .outside, .cover, .fill])
  func noEnlargement(fit: Fit) {
    let small = Size(width: 64, height: 50)
    let plan = FitPlan.make(
      source: small, width: 300, height: 300, fit: fit, allowEnlargement: false)
    #expect(plan.resampledSize == small)
    #expect(plan.isIdentity(for: small))
  }

  @Test("with enlargement a small image grows")
  func enlargement() {
    let plan = FitPlan.make(
      source: Size(width: 64, height: 50), width: 300, height: 300, fit: .inside,
      allowEnlargement: true)
    #expect(plan.resampledSize == Size(width: 300, height: 234))
  }

  @Test("one side given: the other follows the aspect ratio")
  func oneSide() {
    let plan = FitPlan.make(
      source: Size(width: 1000, height: 500), width: 200, height: nil, fit: .cover,
      allowEnlargement: false)
    #expect(plan.resampledSize == Size(width: 200, height: 100))
  }

  @Test("no side shrinks below one pixel")
  func minimumPixel() {
    let plan = FitPlan.make(
      source: Size(width: 5312, height: 2), width: 300, height: 300, fit: .inside,
      allowEnlargement: false)
    #expect(plan.resampledSize == Size(width: 300, height: 1))
  }
}
