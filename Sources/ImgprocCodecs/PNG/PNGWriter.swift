import ImgprocCore

/// Writes PNG files without libpng: rows filtered in Swift (`PNGFilterChooser`), compressed
/// with libdeflate (`DeflateCompressor`), framed into chunks with CRCs. Handles gray, gray +
/// alpha, RGB and RGBA at 8 or 16 bits, and indexed colour at 1, 2, 4 or 8 bits (PLTE,
/// tRNS), with optional iCCP and eXIf. libpng reads every kind back in the tests.
enum PNGWriter {
  static func encode(_ image: Image, _ settings: PNGSettings, metadata: ImageMetadata)
    throws(CodecError) -> [UInt8]
  {
    let palette = settings.palette ? Palette(image) : nil
    let raster = Raster(image: image, palette: palette)
    let filtered = try filterRows(raster, image: image, palette: palette)
    // Bytes first (level 10 and up): the rows as libpng's heuristic filters them too, so that
    // Pillow's own recipe is among what is tried.
    var alternative: [UInt8]?
    if let level = settings.compressionLevel, level >= 10, hasRowFilterChoice(raster, palette) {
      alternative = try filterRows(raster, image: image, palette: palette, bySumOfAbsolutes: true)
    }
    let compressed = try IDATCompression.compress(
      filtered, rowLength: raster.rowBytes + 1, level: settings.compressionLevel,
      heuristicRows: alternative)
    var file = ChunkWriter()
    file.append("IHDR", raster.header)
    // Chunk order (PNG spec §5.6): iCCP before PLTE, PLTE before tRNS, all before IDAT.
    if let icc = metadata.icc, !icc.isEmpty {
      let profile = try DeflateCompressor(level: 9).zlib(icc)
      file.append("iCCP", Array("ICC profile".utf8) + [0, 0] + profile)
    }
    if let palette {
      file.append("PLTE", palette.rgbEntries)
      if let alphas = palette.transparency { file.append("tRNS", alphas) }
    }
    if let exif = metadata.exif, !exif.isEmpty { file.append("eXIf", exif) }
    var offset = 0
    repeat {
      let end = min(compressed.count, offset + ChunkWriter.maximumIDAT)
      file.append("IDAT", compressed[offset..<end])
      offset = end
    } while offset < compressed.count
    file.append("IEND", [])
    return file.bytes
  }

  /// Whether rows choose their filter: not for palette indices or packed samples (None).
  private static func hasRowFilterChoice(_ raster: Raster, _ palette: Palette?) -> Bool {
    raster.bitsPerPixel >= 8 && palette == nil
  }

  /// The filtered scanlines: per row, one filter-type byte and `rowBytes` filtered bytes;
  /// each row's filter chosen by `PNGFilterChooser`, or by `SumOfAbsolutesChooser`.
  private static func filterRows(
    _ raster: Raster, image: Image, palette: Palette?, bySumOfAbsolutes: Bool = false
  ) throws(CodecError) -> [UInt8] {
    let rowBytes = raster.rowBytes
    let candidates =
      hasRowFilterChoice(raster, palette)
      ? PNGFilterChooser.photoCandidates : [PNGFilter.none]
    let chooser = try PNGFilterChooser(candidates: candidates)
    let total = (rowBytes + 1) * image.height
    let source = palette?.indices ?? image
    return source.withBytes { pixels in
      [UInt8](unsafeUninitializedCapacity: total) { output, count in
        let rows = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes * 3)
        let scratchSize = chooser.scratchSize(rowBytes)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: scratchSize, alignment: 16)
        defer {
          rows.deallocate()
          scratch.deallocate()
        }
        var previous = rows
        var current = rows + rowBytes
        let trial = rows + 2 * rowBytes
        previous.initialize(repeating: 0, count: rowBytes)
        guard let base = output.baseAddress, let input = pixels.baseAddress else { return }
        for y in 0..<image.height {
          let line = input + y * source.rowBytes
          raster.prepare(row: line, into: current)
          let out = base + y * (rowBytes + 1)
          let used =
            bySumOfAbsolutes && candidates.count > 1
            ? SumOfAbsolutesChooser.filter(
              current, previous: previous, count: rowBytes, bpp: raster.filterDistance,
              into: out + 1, trial: trial)
            : chooser.filter(
              current, previous: previous, count: rowBytes, bpp: raster.filterDistance,
              into: out + 1, trial: trial, scratch: scratch)
          out[0] = used.rawValue
          swap(&previous, &current)
        }
        count = total
      }
    }
  }
}

/// How an image is laid out in PNG rows.
private struct Raster {
  let width: Int
  let height: Int
  let colorType: UInt8
  let bitDepth: Int
  let channels: Int

  init(image: Image, palette: Palette?) {
    width = image.width
    height = image.height
    if let palette {
      colorType = 3
      bitDepth = palette.bitDepth
      channels = 1
    } else {
      colorType = [1: 0, 2: 4, 3: 2, 4: 6][image.layout.channels] ?? 2
      bitDepth = image.depth.rawValue
      channels = image.layout.channels
    }
  }

  var bitsPerPixel: Int { bitDepth * channels }
  /// Bytes per scanline, without the filter-type byte.
  var rowBytes: Int { (width * bitsPerPixel + 7) / 8 }
  /// The filter's "corresponding byte to the left" distance.
  var filterDistance: Int { max(1, bitsPerPixel / 8) }

  var header: [UInt8] {
    ChunkWriter.bigEndian(UInt32(width)) + ChunkWriter.bigEndian(UInt32(height))
      + [UInt8(bitDepth), colorType, 0, 0, 0]
  }

  /// Copies one stored row into PNG byte order: 16-bit samples big-endian, indices packed.
  func prepare(row: UnsafeRawPointer, into output: UnsafeMutablePointer<UInt8>) {
    switch bitDepth {
    case 16:
      let samples = row.assumingMemoryBound(to: UInt16.self)
      for i in 0..<(width * channels) {
        let value = samples[i].bigEndian
        withUnsafeBytes(of: value) { bytes in
          output[2 * i] = bytes[0]
          output[2 * i + 1] = bytes[1]
        }
      }
    case 8:
      output.update(from: row.assumingMemoryBound(to: UInt8.self), count: width * channels)
    default:
      let indices = row.assumingMemoryBound(to: UInt8.self)
      let perByte = 8 / bitDepth
      for byte in 0..<rowBytes {
        var packed: UInt8 = 0
        for slot in 0..<perByte {
          let x = byte * perByte + slot
          let value = x < width ? indices[x] : 0
          packed |= value << UInt8(8 - bitDepth * (slot + 1))
        }
        output[byte] = packed
      }
    }
  }
}

/// Appends length-type-data-CRC chunks after the PNG signature.
private struct ChunkWriter {
  /// IDAT data per chunk.
  static let maximumIDAT = 1 << 20

  private(set) var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  mutating func append(_ type: String, _ data: some Collection<UInt8>) {
    let name = Array(type.utf8)
    bytes += ChunkWriter.bigEndian(UInt32(data.count))
    let start = bytes.count
    bytes += name
    bytes += data
    let crc = bytes[start...].withUnsafeBytes { DeflateCompressor.crc32(0, $0) }
    bytes += ChunkWriter.bigEndian(crc)
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [
      UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
      UInt8(truncatingIfNeeded: value >> 8),
      UInt8(truncatingIfNeeded: value),
    ]
  }
}
