// imgproc-codec-bench: how much time imgproc adds over the bare codec calls it makes.
//
// usage: imgproc-codec-bench IMGPROC_BINARY IMAGE...
//        imgproc-codec-bench --variants IMAGE...
//
// Per image: (1) the codec calls alone, in process: one full JPEG decode and the five
// encodes of the default recipe (JPEG q85, JPEG q60, WebP q85, PNG, thumbnail JPEG q80) of
// the pixels imgproc encodes (prepared untimed); (2) `imgproc convert IMAGE --jobs 1
// --keep none` as a process, wall time. Prints both and their ratio, per image and in total.
// With --variants, per image (in process, one thread): the decode and resizes the default
// recipe shares, each variant's encode alone, their sum, and the WebP encode's share of it
// (libwebp's own time at method 4).
import Dispatch
import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func codecSeconds(_ path: String) throws -> (decode: Double, encode: Double) {
  let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  var decoded: DecodedImage?
  let decode = try seconds { decoded = try Codecs.decode(data) }
  guard decoded != nil else { return (decode, 0) }
  // The encoder inputs, prepared exactly as imgproc prepares them (not timed).
  let settings = RenderSettings(keep: .none, threads: 1)
  let prepared = try ImageRenderer.prepare(
    data, variants: Recipe.standard.variants, settings: settings)
  var encode = 0.0
  for task in prepared.tasks {
    encode += try seconds { _ = try task.run() }
  }
  return (decode, encode)
}

func imgprocSeconds(_ binary: String, _ path: String, output: String) throws -> Double {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: binary)
  process.arguments = [
    "convert", path, "-o", output, "--jobs", "1", "--keep", "none", "--overwrite", "-q",
  ]
  return try seconds {
    try process.run()
    process.waitUntilExit()
  }
}

/// The default recipe's time per stage of one image, in seconds: the shared decode and
/// resizes, then each variant's encode (the codec call alone).
func variantSeconds(_ path: String) throws -> (prepare: Double, encodes: [(String, Double)]) {
  let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  let settings = RenderSettings(keep: .none, threads: 1)
  var prepared: PreparedSource?
  let prepare = try seconds {
    prepared = try ImageRenderer.prepare(
      data, variants: Recipe.standard.variants, settings: settings)
  }
  var encodes: [(String, Double)] = []
  for task in prepared?.tasks ?? [] {
    encodes.append((task.variant.name, try seconds { _ = try task.run() }))
  }
  return (prepare, encodes)
}

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "--variants" {
  var header = false
  for path in arguments.dropFirst() {
    let (prepare, encodes) = try variantSeconds(path)
    if !header {
      print(
        (["image", "decode+resize_s"] + encodes.map { $0.0 + "_s" } + ["total_s", "webp_share"])
          .joined(separator: "\t"))
      header = true
    }
    let total = prepare + encodes.reduce(0) { $0 + $1.1 }
    let webp = encodes.first { $0.0 == "webp" }?.1 ?? 0
    let fields = [prepare] + encodes.map(\.1) + [total, webp / total]
    print(
      ([URL(fileURLWithPath: path).lastPathComponent] + fields.map { String(format: "%.3f", $0) })
        .joined(separator: "\t"))
  }
  exit(0)
}
guard let binary = arguments.first, arguments.count > 1 else {
  FileHandle.standardError.write(Data("usage: imgproc-codec-bench IMGPROC_BINARY IMAGE...\n".utf8))
  exit(2)
}
let output = FileManager.default.temporaryDirectory.appendingPathComponent(
  "codec-bench-\(getpid())"
).path
defer { try? FileManager.default.removeItem(atPath: output) }
var totals = (codec: 0.0, imgproc: 0.0)
print("image\tdecode_s\tencodes_s\tcodecs_s\timgproc_jobs1_s\tratio")
for path in arguments.dropFirst() {
  let (decode, encode) = try codecSeconds(path)
  let wall = try imgprocSeconds(binary, path, output: output)
  totals.codec += decode + encode
  totals.imgproc += wall
  let name = URL(fileURLWithPath: path).lastPathComponent
  print(
    String(
      format: "%@\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f", name, decode, encode, decode + encode, wall,
      wall / (decode + encode)))
}
print(
  String(
    format: "TOTAL\t\t\t%.3f\t%.3f\t%.3f", totals.codec, totals.imgproc,
    totals.imgproc / totals.codec))
