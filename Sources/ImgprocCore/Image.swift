/// An owned, tightly packed pixel buffer: `height` rows of `width` pixels, each pixel
/// `layout.channels` samples of `depth`, top row first. Alpha is straight (not premultiplied).
/// 16-bit samples are stored in native byte order. Value semantics: copies share storage
/// until one is mutated.
public struct Image: Sendable, Equatable {
  /// Width in pixels, at least 1.
  public let width: Int
  /// Height in pixels, at least 1.
  public let height: Int
  public let layout: PixelLayout
  public let depth: SampleDepth
  /// `height × rowBytes` bytes.
  public private(set) var pixels: [UInt8]

  /// Wraps `pixels`, which must hold exactly `height × width × channels × depth.bytes` bytes.
  public init(
    width: Int, height: Int, layout: PixelLayout, depth: SampleDepth = .eight, pixels: [UInt8]
  ) throws(CoreError) {
    let size = try Image.byteCount(width: width, height: height, layout: layout, depth: depth)
    guard pixels.count == size else {
      throw CoreError(
        .bufferMismatch,
        "expected \(size) bytes for a \(width)×\(height) \(layout) image but received \(pixels.count)"
      )
    }
    self.width = width
    self.height = height
    self.layout = layout
    self.depth = depth
    self.pixels = pixels
  }

  /// Allocates an image without zero-filling it and lets `fill` write every byte.
  /// `fill` receives the whole buffer (`height × rowBytes` bytes); it must initialise all of it.
  public static func filling<E: Error>(
    width: Int, height: Int, layout: PixelLayout, depth: SampleDepth = .eight,
    _ fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void
  ) throws -> Image {
    let size = try byteCount(width: width, height: height, layout: layout, depth: depth)
    var failure: E?
    let pixels = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      do throws(E) {
        try fill(UnsafeMutableRawBufferPointer(buffer))
        count = size
      } catch {
        failure = error
        count = 0
      }
    }
    if let failure { throw failure }
    return try Image(width: width, height: height, layout: layout, depth: depth, pixels: pixels)
  }

  /// The byte size of an image, checked for overflow and for a zero or negative side.
  public static func byteCount(
    width: Int, height: Int, layout: PixelLayout, depth: SampleDepth
  ) throws(CoreError) -> Int {
    guard width > 0, height > 0 else {
      throw CoreError(.invalidGeometry, "image size must be positive but is \(width)×\(height)")
    }
    let (row, o1) = width.multipliedReportingOverflow(by: layout.channels * depth.bytes)
    let (total, o2) = row.multipliedReportingOverflow(by: height)
    guard !o1, !o2 else {
      throw CoreError(.tooLarge, "a \(width)×\(height) image does not fit in memory")
    }
    return total
  }

  /// A 1×1 black gray image: a placeholder that holds (almost) no memory, for releasing a
  /// large image held in a variable that must keep some value.
  public static let empty: Image = {
    // 1×1 gray with one byte is a valid geometry, so the initialiser cannot fail.
    guard let image = try? Image(width: 1, height: 1, layout: .gray, pixels: [0]) else {
      preconditionFailure("a 1×1 image is always valid")
    }
    return image
  }()

  /// Bytes per pixel.
  public var bytesPerPixel: Int { layout.channels * depth.bytes }
  /// Bytes per row (rows are packed: no padding).
  public var rowBytes: Int { width * bytesPerPixel }
  /// Number of pixels.
  public var pixelCount: Int { width * height }

  /// Read access to the raw bytes; the pointer is valid only inside `body`.
  public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try pixels.withUnsafeBytes(body)
  }

  /// The sample value (0...depth.maxValue) of one channel of pixel (x, y).
  /// Meant for tests and diagnostics, not for loops over whole images.
  public func sample(x: Int, y: Int, channel: Int) -> Int {
    let index = (y * width + x) * layout.channels + channel
    switch depth {
    case .eight: return Int(pixels[index])
    case .sixteen:
      return pixels.withUnsafeBytes { Int($0.load(fromByteOffset: index * 2, as: UInt16.self)) }
    }
  }
}
