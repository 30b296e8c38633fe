import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("Orientation, flattening, conversion, padding")
struct ImageOperationTests {
  /// Expected source coordinate of upright pixel (x, y) for a w×h stored image.
  static func source(_ o: Orientation, _ x: Int, _ y: Int, _ w: Int, _ h: Int) -> (Int, Int) {
    switch o {
    case .up: return (x, y)
    case .upMirrored: return (w - 1 - x, y)
    case .down: return (w - 1 - x, h - 1 - y)
    case .downMirrored: return (x, h - 1 - y)
    case .leftMirrored: return (y, x)
    case .right: return (y, h - 1 - x)
    case .rightMirrored: return (w - 1 - y, h - 1 - x)
    case .left: return (w - 1 - y, x)
    }
  }

  @Test("orientations 1–8 turn pixels upright", arguments: Orientation.allCases)
  func orientation(_ orientation: Orientation) {
    let (w, h) = (5, 3)
    let stored = Fixtures.numbered(width: w, height: h, layout: .rgb)
    let upright = stored.applying(orientation)
    #expect(
      Size(width: upright.width, height: upright.height)
        == orientation.uprightSize(Size(width: w, height: h)))
    for y in 0..<upright.height {
      for x in 0..<upright.width {
        let (sx, sy) = Self.source(orientation, x, y, w, h)
        for c in 0..<3 {
          #expect(upright.sample(x: x, y: y, channel: c) == stored.sample(x: sx, y: sy, channel: c))
        }
      }
    }
  }

  @Test("orientation 6 means the stored top row becomes the right column")
  func rotateRight() {
    // Stored 2×1: [a b]. Rotating 90° clockwise gives a 1×2 image with a on top.
    let stored = Fixtures.numbered(width: 2, height: 1)
    let upright = stored.applying(.right)
    #expect(upright.width == 1 && upright.height == 2)
    #expect(upright.sample(x: 0, y: 0, channel: 0) == stored.sample(x: 0, y: 0, channel: 0))
  }

  @Test("alpha is composited over the background")
  func flatten() throws {
    let pixels: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0, 128]
    let image = try Image(width: 3, height: 1, layout: .rgba, pixels: pixels)
    let flat = image.flattened(onto: .white)
    #expect(flat.layout == .rgb)
    #expect(Metrics.samples(flat) == [255, 255, 255, 255, 0, 0, 255, 127, 127])
    let onBlack = image.flattened(onto: .black)
    #expect(Metrics.samples(onBlack) == [0, 0, 0, 255, 0, 0, 128, 0, 0])
  }

  @Test("gray+alpha stays gray on a gray background, becomes RGB on a colour")
  func flattenGray() throws {
    let image = try Image(width: 1, height: 1, layout: .grayAlpha, pixels: [0, 0])
    #expect(image.flattened(onto: .white).layout == .gray)
    let red = try #require(RGBColor(parsing: "#f00"))
    let flat = image.flattened(onto: red)
    #expect(flat.layout == .rgb && Metrics.samples(flat) == [255, 0, 0])
  }

  @Test("16-bit to 8-bit rounds")
  func to8Bit() throws {
    let values: [UInt16] = [0, 128, 129, 257, 65535, 32896]
    let bytes = values.flatMap { v in withUnsafeBytes(of: v) { Array($0) } }
    let image = try Image(width: 6, height: 1, layout: .gray, depth: .sixteen, pixels: bytes)
    #expect(Metrics.samples(image.to8Bit()) == [0, 0, 1, 1, 255, 128])
  }

  @Test("layout conversions")
  func conversions() throws {
    let gray = try Image(width: 2, height: 1, layout: .gray, pixels: [10, 200])
    #expect(Metrics.samples(gray.converted(to: .rgba)) == [10, 10, 10, 255, 200, 200, 200, 255])
    let rgb = try Image(width: 1, height: 1, layout: .rgb, pixels: [255, 0, 0])
    #expect(Metrics.samples(rgb.converted(to: .gray)) == [76])
  }

  @Test("padding places the image on the background")
  func padding() throws {
    let image = try Image(width: 1, height: 1, layout: .rgb, pixels: [1, 2, 3])
    let padded = try image.placed(on: Size(width: 3, height: 1), x: 1, y: 0, background: .black)
    #expect(Metrics.samples(padded) == [0, 0, 0, 1, 2, 3, 0, 0, 0])
    let alpha = try Image(width: 1, height: 1, layout: .rgba, pixels: [9, 9, 9, 255])
    let transparent = try alpha.placed(
      on: Size(width: 2, height: 1), x: 0, y: 0, background: .white)
    #expect(Metrics.samples(transparent) == [9, 9, 9, 255, 0, 0, 0, 0])
    #expect(throws: CoreError.self) {
      try image.placed(on: Size(width: 1, height: 1), x: 1, y: 0, background: .white)
    }
  }

  @Test("colours parse from names, hex and triples")
  func colors() {
    #expect(RGBColor(parsing: "white") == .white)
    #expect(RGBColor(parsing: "#102030") == RGBColor(red: 16, green: 32, blue: 48))
    #expect(RGBColor(parsing: "1, 2,3") == RGBColor(red: 1, green: 2, blue: 3))
    #expect(RGBColor(parsing: "#12") == nil)
    #expect(RGBColor(parsing: "300,0,0") == nil)
  }

  @Test("row bands cover every row once")
  func rowBands() {
    let bands = RowBands.split(rows: 1000, width: 4000, threads: 3)
    #expect(bands.count == 3)
    #expect(bands.first?.lowerBound == 0 && bands.last?.upperBound == 1000)
    #expect(zip(bands, bands.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    #expect(RowBands.split(rows: 10, width: 10, threads: 8).count == 1)
  }
}
