import ImgprocTestSupport
import Testing

@testable import ImgprocCore

@Suite("Resizer against the double-precision reference")
struct ResizerTests {
  static let sizes: [(Int, Int, Int, Int)] = [
    (37, 23, 11, 7),  // shrink both axes by odd factors
    (40, 30, 97, 61),  // enlarge both axes
    (64, 48, 20, 48),  // horizontal only
    (50, 33, 50, 12),  // vertical only
    (19, 31, 45, 9),  // enlarge one axis, shrink the other
    (1, 9, 3, 2),  // 1 px wide
  ]

  @Test("every 8-bit output pixel is within ±1 of the reference", arguments: Kernel.allCases)
  func matchesReference(kernel: Kernel) throws {
    for layout in PixelLayout.allCases {
      for (w, h, ow, oh) in Self.sizes {
        let source = Fixtures.noise(width: w, height: h, layout: layout, seed: UInt64(w * h))
        let ours = try Resizer.resize(source, to: Size(width: ow, height: oh), kernel: kernel)
        let reference = ReferenceResize.resize(source, width: ow, height: oh, kernel: kernel)
        let worst = Metrics.maxDifference(ours, reference)
        #expect(worst <= 1, "\(kernel) \(layout) \(w)×\(h) → \(ow)×\(oh): off by \(worst)")
      }
    }
  }

  @Test("large shrink factors stay within ±1 (wide kernels)")
  func largeShrink() throws {
    let source = Fixtures.gradient(width: 300, height: 200, layout: .rgba)
    let noisy = Fixtures.noise(width: 300, height: 200, layout: .rgb, seed: 9)
    for image in [source, noisy] {
      let ours = try Resizer.resize(image, to: Size(width: 13, height: 9), kernel: .lanczos3)
      let reference = ReferenceResize.resize(image, width: 13, height: 9, kernel: .lanczos3)
      #expect(Metrics.maxDifference(ours, reference) <= 1)
    }
  }

  @Test("16-bit samples stay 16-bit and within ±2 of the reference")
  func sixteenBit() throws {
    let source = Fixtures.noise(width: 41, height: 29, layout: .rgba, depth: .sixteen, seed: 3)
    let ours = try Resizer.resize(source, to: Size(width: 17, height: 40), kernel: .lanczos3)
    let reference = ReferenceResize.resize(source, width: 17, height: 40, kernel: .lanczos3)
    #expect(ours.depth == .sixteen)
    #expect(Metrics.maxDifference(ours, reference) <= 2)
  }

  @Test("a fractional source box (cover crops) matches the reference")
  func sourceBox() throws {
    let source = Fixtures.noise(width: 60, height: 40, layout: .rgb, seed: 5)
    let box = SourceBox(x0: 7.25, y0: 3.5, x1: 51.75, y1: 36.0)
    let ours = try Resizer.resize(
      source, to: Size(width: 20, height: 15), from: box, kernel: .cubic)
    let reference = ReferenceResize.resize(source, width: 20, height: 15, box: box, kernel: .cubic)
    #expect(Metrics.maxDifference(ours, reference) <= 1)
  }

  @Test("the same size is returned untouched")
  func identity() throws {
    let source = Fixtures.noise(width: 31, height: 17, layout: .rgba)
    let same = try Resizer.resize(source, to: Size(width: 31, height: 17))
    #expect(Metrics.maxDifference(same, source) == 0)
  }

  @Test("an axis that keeps its size is not filtered")
  func untouchedAxis() throws {
    // Resizing only the width must leave each column's vertical structure exactly as it
    // was: a one-pixel checkerboard row pattern survives unchanged in every row.
    let stripes = Fixtures.make(width: 16, height: 9, layout: .gray, depth: .eight) { _, y, _ in
      y % 2 == 0 ? 1 : 0
    }
    let narrower = try Resizer.resize(stripes, to: Size(width: 5, height: 9), kernel: .lanczos3)
    for y in 0..<9 {
      for x in 0..<5 { #expect(narrower.sample(x: x, y: y, channel: 0) == (y % 2 == 0 ? 255 : 0)) }
    }
  }

  @Test("output is byte-identical for any thread count")
  func deterministicAcrossThreads() throws {
    let source = Fixtures.noise(width: 700, height: 500, layout: .rgba, seed: 11)
    let target = Size(width: 301, height: 203)
    let single = try Resizer.resize(source, to: target, threads: 1)
    for threads in [2, 3, 8] {
      let parallel = try Resizer.resize(source, to: target, threads: threads)
      #expect(Metrics.maxDifference(parallel, single) == 0, "\(threads) threads")
    }
  }

  @Test("premultiplied alpha: invisible colour does not bleed into visible pixels")
  func noDarkHalo() throws {
    // Left half: transparent pure red. Right half: opaque green.
    let image = Fixtures.make(width: 40, height: 4, layout: .rgba, depth: .eight) { x, _, c in
      let left = x < 20
      switch c {
      case 0: return left ? 1 : 0
      case 1: return left ? 0 : 1
      case 2: return 0
      default: return left ? 0 : 1
      }
    }
    let small = try Resizer.resize(image, to: Size(width: 7, height: 4), kernel: .lanczos3)
    for x in 0..<7 where small.sample(x: x, y: 1, channel: 3) > 0 {
      #expect(small.sample(x: x, y: 1, channel: 0) <= 1, "red leaked at x=\(x)")
      #expect(small.sample(x: x, y: 1, channel: 1) >= 254, "green darkened at x=\(x)")
    }
  }

  @Test("nearest picks the source pixel under each output centre")
  func nearest() throws {
    let source = Fixtures.numbered(width: 9, height: 1)
    let picked = try Resizer.resize(source, to: Size(width: 3, height: 1), kernel: .nearest)
    // Centres at 1.5, 4.5, 7.5 → source pixels 1, 4, 7.
    #expect((0..<3).map { picked.sample(x: $0, y: 0, channel: 0) } == [1, 4, 7].map { $0 * 7 })
  }

  @Test("box reduction averages blocks, partial ones at the edges, alpha-weighted")
  func boxReduce() throws {
    let source = Fixtures.noise(width: 10, height: 7, layout: .rgba, seed: 12)
    let reduced = try BoxReduce.reduce(source, factorX: 3, factorY: 3)
    #expect(reduced.width == 4 && reduced.height == 3)
    for oy in 0..<3 {
      for ox in 0..<4 {
        var sums = [0, 0, 0, 0]
        var count = 0
        for y in (oy * 3)..<min(7, oy * 3 + 3) {
          for x in (ox * 3)..<min(10, ox * 3 + 3) {
            let a = source.sample(x: x, y: y, channel: 3)
            for c in 0..<3 { sums[c] += source.sample(x: x, y: y, channel: c) * a }
            sums[3] += a
            count += 1
          }
        }
        for c in 0..<3 {
          let expected = sums[3] == 0 ? 0 : (sums[c] + sums[3] / 2) / sums[3]
          #expect(reduced.sample(x: ox, y: oy, channel: c) == expected)
        }
        #expect(reduced.sample(x: ox, y: oy, channel: 3) == (sums[3] + count / 2) / count)
      }
    }
  }

  @Test("a reducing gap keeps large shrinks close to the exact result")
  func reducingGap() throws {
    let source = Fixtures.gradient(width: 1200, height: 800)
    let exact = try Resizer.resize(source, to: Size(width: 90, height: 60))
    let fast = try Resizer.resize(source, to: Size(width: 90, height: 60), reducingGap: 2)
    #expect(Metrics.psnr(fast, exact) > 40)
    let untouched = try Resizer.resize(source, to: Size(width: 700, height: 500), reducingGap: 2)
    let direct = try Resizer.resize(source, to: Size(width: 700, height: 500))
    #expect(Metrics.maxDifference(untouched, direct) == 0, "under 2 × gap: no box step")
  }

  @Test("invalid sizes are errors, not crashes")
  func invalid() {
    let source = Fixtures.gradient(width: 4, height: 4)
    #expect(throws: CoreError.self) { try Resizer.resize(source, to: Size(width: 0, height: 3)) }
    #expect(throws: CoreError.self) {
      try Resizer.resize(
        source, to: Size(width: 2, height: 2), from: SourceBox(x0: -1, y0: 0, x1: 3, y1: 4))
    }
  }
}
