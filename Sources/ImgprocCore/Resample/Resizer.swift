/// Separable resampling of whole images: a horizontal pass, then a vertical pass, in `Float`
/// with premultiplied alpha.
///
/// Work is split into bands of output rows (`RowBands`). Within a band the horizontally
/// resampled source rows live in a small ring buffer, so each source row is filtered once
/// per band and memory stays at a few rows, whatever the image size. An axis whose size and
/// extent do not change is not filtered at all.
public enum Resizer {
  /// Resamples the `box` part of `image` (default: all of it) to `size`.
  /// - Parameters:
  ///   - reducingGap: when set, an axis shrunk by at least 2 × `reducingGap` is first
  ///     box-reduced by the integer factor ⌊scale / reducingGap⌋, leaving at least
  ///     `reducingGap` for the kernel (Pillow's `reducing_gap`; libvips does the same). Faster
  ///     for big shrinks, at a slight loss of sharpness; nil resamples exactly.
  ///   - threads: the most threads this one image may use (its band budget).
  public static func resize(
    _ image: Image, to size: Size, from box: SourceBox? = nil, kernel: Kernel = .lanczos3,
    reducingGap: Double? = nil, threads: Int = 1
  ) throws(CoreError) -> Image {
    let box = box ?? SourceBox(covering: Size(width: image.width, height: image.height))
    if let reducingGap, reducingGap >= 1, size.width > 0, size.height > 0 {
      let factorX = max(1, Int(box.width / Double(size.width) / reducingGap))
      let factorY = max(1, Int(box.height / Double(size.height) / reducingGap))
      if factorX > 1 || factorY > 1 {
        let reduced = try BoxReduce.reduce(image, factorX: factorX, factorY: factorY)
        let scaled = SourceBox(
          x0: box.x0 / Double(factorX), y0: box.y0 / Double(factorY),
          x1: min(Double(reduced.width), box.x1 / Double(factorX)),
          y1: min(Double(reduced.height), box.y1 / Double(factorY)))
        return try resize(reduced, to: size, from: scaled, kernel: kernel, threads: threads)
      }
    }
    let source = Size(width: image.width, height: image.height)
    guard size.width > 0, size.height > 0 else {
      throw CoreError(.invalidGeometry, "cannot resize to \(size): both sides must be at least 1")
    }
    let horizontal =
      size.width == source.width && box.x0 == 0 && box.x1 == Double(source.width)
      ? nil
      : try Coefficients(
        inSize: source.width, outSize: size.width, in0: box.x0, in1: box.x1, kernel: kernel)
    let vertical =
      size.height == source.height && box.y0 == 0 && box.y1 == Double(source.height)
      ? nil
      : try Coefficients(
        inSize: source.height, outSize: size.height, in0: box.y0, in1: box.y1, kernel: kernel)
    if horizontal == nil && vertical == nil { return image }
    let pass = ResamplePass(
      image: image, outputWidth: size.width, horizontal: horizontal, vertical: vertical)
    do {
      return try Image.filling(
        width: size.width, height: size.height, layout: image.layout, depth: image.depth
      ) { output in
        guard let base = output.baseAddress else { return }
        let destination = SendablePointer(base)
        image.withBytes { input in
          guard let pixels = input.baseAddress else { return }
          let sourcePixels = SendableRawPointer(pixels)
          RowBands.run(rows: size.height, width: size.width, threads: threads) { rows in
            pass.run(rows: rows, source: sourcePixels.pointer, destination: destination.pointer)
          }
        }
      }
    } catch let error as CoreError {
      throw error
    } catch {
      throw CoreError(.tooLarge, "cannot allocate a \(size) image")
    }
  }
}

/// A raw pointer handed to band workers that write disjoint rows (`RowBands`): what makes
/// sharing it safe is that each band writes only its own rows.
public struct SendablePointer: @unchecked Sendable {
  public let pointer: UnsafeMutableRawPointer
  public init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}

/// A read-only raw pointer shared by band workers; nobody writes through it while they run.
public struct SendableRawPointer: @unchecked Sendable {
  public let pointer: UnsafeRawPointer
  public init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
}

/// One resize, planned: the coefficients of each axis that changes and the row formats.
struct ResamplePass: Sendable {
  let sourceWidth: Int
  let sourceRowBytes: Int
  let outputWidth: Int
  let outputRowBytes: Int
  let channels: Int
  let horizontal: Coefficients?
  let vertical: Coefficients?
  let rows: SampleRows

  init(image: Image, outputWidth: Int, horizontal: Coefficients?, vertical: Coefficients?) {
    self.sourceWidth = image.width
    self.sourceRowBytes = image.rowBytes
    self.outputWidth = outputWidth
    self.outputRowBytes = outputWidth * image.bytesPerPixel
    self.channels = image.layout.channels
    self.horizontal = horizontal
    self.vertical = vertical
    self.rows = SampleRows(layout: image.layout, depth: image.depth)
  }

  /// Computes output rows `band` from `source` pixels into `destination` pixels.
  func run(rows band: Range<Int>, source: UnsafeRawPointer, destination: UnsafeMutableRawPointer) {
    let rowLength = outputWidth * channels
    let loaded = UnsafeMutablePointer<Float>.allocate(capacity: sourceWidth * channels)
    defer { loaded.deallocate() }
    let hWeights = horizontal?.weights ?? []
    hWeights.withUnsafeBufferPointer { hw in
      /// Source row `y`, premultiplied and horizontally resampled, into `output`.
      func filteredRow(_ y: Int, into output: UnsafeMutablePointer<Float>) {
        guard let horizontal, let weights = hw.baseAddress else {
          self.rows.load(source + y * sourceRowBytes, width: sourceWidth, into: output)
          return
        }
        self.rows.load(source + y * sourceRowBytes, width: sourceWidth, into: loaded)
        Convolve.horizontal(
          loaded, into: output, channels: channels, horizontal, weights: weights)
      }
      guard let vertical else {
        let row = UnsafeMutablePointer<Float>.allocate(capacity: rowLength)
        defer { row.deallocate() }
        for y in band {
          filteredRow(y, into: row)
          self.rows.store(row, width: outputWidth, into: destination + y * outputRowBytes)
        }
        return
      }
      verticalBand(band, vertical, rowLength: rowLength, destination: destination, filteredRow)
    }
  }

  /// The vertical pass over `band`, filling a ring of filtered source rows on demand.
  private func verticalBand(
    _ band: Range<Int>, _ vertical: Coefficients, rowLength: Int,
    destination: UnsafeMutableRawPointer,
    _ filteredRow: (Int, UnsafeMutablePointer<Float>) -> Void
  ) {
    let ringRows = max(1, vertical.maxCount)
    let ring = UnsafeMutablePointer<Float>.allocate(capacity: ringRows * rowLength)
    let held = UnsafeMutablePointer<Int>.allocate(capacity: ringRows)
    let taps = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: ringRows)
    let accumulator = UnsafeMutablePointer<Float>.allocate(capacity: rowLength)
    held.initialize(repeating: -1, count: ringRows)
    defer {
      ring.deallocate()
      held.deallocate()
      taps.deallocate()
      accumulator.deallocate()
    }
    vertical.weights.withUnsafeBufferPointer { weights in
      guard let w = weights.baseAddress else { return }
      for y in band {
        let start = vertical.starts[y]
        let count = vertical.counts[y]
        for k in 0..<count {
          let sourceRow = start + k
          let slot = sourceRow % ringRows
          let row = ring + slot * rowLength
          if held[slot] != sourceRow {
            filteredRow(sourceRow, row)
            held[slot] = sourceRow
          }
          taps[k] = UnsafePointer(row)
        }
        Convolve.vertical(
          taps, weights: w + y * vertical.window, count: count, into: accumulator,
          length: rowLength)
        rows.store(accumulator, width: outputWidth, into: destination + y * outputRowBytes)
      }
    }
  }
}
