import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocHTTP
import ImgprocPipeline
import ImgprocS3

/// What `imgproc-fuzz` feeds arbitrary bytes to: each target is one parser imgproc runs on
/// what strangers upload or what a network answers. A target returns normally for every
/// input — refusing it with an error is the expected outcome; a crash, a hang, a leak or an
/// AddressSanitizer report is a finding. The same functions replay saved inputs in the test
/// suite (`FuzzRegressionTests`), so every finding becomes a regression test.
///
/// Decodes are bounded like a real run's but tighter, so the fuzzer spends its time on
/// parsing, not on big pixel buffers: at most `maxPixels` pixels.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// One decoder each (`heif`: libheif's HEIF and AVIF; nothing without the HEIF trait).
  case jpeg, png, webp, heif
  /// `imgproc info`'s header readers (every format).
  case info
  /// One source through decode, orient, resize and the five default variants' encoders.
  case pipeline
  /// Recipe JSON and `--variant` specifications.
  case recipe
  /// S3 answers: listings, error documents, a 200 carrying an error, object headers.
  case s3xml = "s3-xml"

  /// 1 MP: enough for every header path, small enough for thousands of execs per second.
  public static let maxPixels = 1 << 20

  /// Runs the target on `data`.
  public func run(_ data: [UInt8]) {
    switch self {
    case .jpeg: Self.decode(data, as: [.jpeg])
    case .png: Self.decode(data, as: [.png])
    case .webp: Self.decode(data, as: [.webp])
    case .heif:
      #if HEIF
      Self.decode(data, as: [.heif, .avif])
      #endif
    case .info: _ = try? ImageInfo.read(ByteSource(data))
    case .pipeline: Self.pipeline(data)
    case .recipe: Self.recipe(data)
    case .s3xml: Self.s3Answers(data)
    }
  }

  /// Probes and decodes `data` when it is one of `formats` (the other formats' decoders have
  /// their own targets): as stored, converted to sRGB, and shrunk on load.
  static func decode(_ data: [UInt8], as formats: Set<ImageFormat>) {
    guard let header = try? Codecs.probe(data), formats.contains(header.format) else { return }
    for color in [ColorHandling.asStored, .sRGB] {
      _ = try? Codecs.decode(
        data, header: header, options: DecodeOptions(maxPixels: maxPixels, color: color))
    }
    _ = try? Codecs.decode(
      data, header: header, options: DecodeOptions(maxPixels: maxPixels, scaleDenominator: 4))
  }

  static func pipeline(_ data: [UInt8]) {
    let recipe = Recipe.standard
    let settings = RenderSettings(
      recipe: recipe, maxSize: 256, decode: DecodeOptions(maxPixels: maxPixels), keep: .all)
    _ = try? ImageRenderer.render(data, variants: recipe.variants, settings: settings)
  }

  static func recipe(_ data: [UInt8]) {
    if let recipe = try? Recipe.decode(Data(data), origin: "fuzz") {
      _ = try? recipe.validate()
      _ = recipe.json()
    }
    let text = String(decoding: data, as: UTF8.self)
    for line in text.split(separator: "\n", maxSplits: 8) {
      _ = try? Variant(spec: String(line)).validate()
    }
  }

  static func s3Answers(_ data: [UInt8]) {
    _ = try? S3Documents.listing(data, bucket: "b")
    for status in [200, 403, 503] {
      let response = HTTPResponseData(
        status: status, headers: headers(from: data), body: data)
      _ = S3Documents.error(response, bucket: "b", key: "k")
      _ = S3Documents.errorCarried(by: response, bucket: "b", key: "k")
      _ = S3Documents.info(response, size: data.count)
    }
  }

  /// `Name: value` lines of `data`'s first 2 KiB, as header fields (metadata values too).
  static func headers(from data: [UInt8]) -> [(name: String, value: String)] {
    String(decoding: data.prefix(2048), as: UTF8.self).split(separator: "\n").compactMap {
      line -> (name: String, value: String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (String(line[..<colon]), String(line[colon...].dropFirst()))
    }
  }
}
