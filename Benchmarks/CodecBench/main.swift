// imgproc-codec-bench: how much time imgproc adds over the bare codec calls it makes.
//
// usage: imgproc-codec-bench IMGPROC_BINARY IMAGE...
//
// Per image: (1) the codec calls alone, in process: one full JPEG decode and the five
// encodes of the default recipe (JPEG q85, JPEG q60, WebP q85, PNG, thumbnail JPEG q80) of
// the pixels imgproc encodes (prepared untimed); (2) `imgproc convert IMAGE --jobs 1
// --keep none` as a process, wall time. Prints both and their ratio, per image and in total.
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
  let prepared = try ImageRenderer.prepare(data, variants: Recipe.standard.variants, settings: settings)
  var encode = 0.0
  for task in prepared.tasks {
    encode += try seconds { _ = try task.run() }
  }
  return (decode, encode)
}

func imgprocSeconds(_ binary: String, _ path: String, output: String) throws -> Double {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: binary)
  process.arguments = ["convert", path, "-o", output, "--jobs", "1", "--keep", "none", "--overwrite", "-q"]
  return try seconds {
    try process.run()
    process.waitUntilExit()
  }
}

let arguments = CommandLine.arguments.dropFirst()
guard let binary = arguments.first, arguments.count > 1 else {
  FileHandle.standardError.write(Data("usage: imgproc-codec-bench IMGPROC_BINARY IMAGE...\n".utf8))
  exit(2)
}
let output = FileManager.default.temporaryDirectory.appendingPathComponent("codec-bench-\(getpid())").path
defer { try? FileManager.default.removeItem(atPath: output) }
var totals = (codec: 0.0, imgproc: 0.0)
print("image\tdecode_s\tencodes_s\tcodecs_s\timgproc_jobs1_s\tratio")
for path in arguments.dropFirst() {
  let (decode, encode) = try codecSeconds(path)
  let wall = try imgprocSeconds(binary, path, output: output)
  totals.codec += decode + encode
  totals.imgproc += wall
  let name = URL(fileURLWithPath: path).lastPathComponent
  print(String(format: "%@\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f", name, decode, encode, decode + encode, wall, wall / (decode + encode)))
}
print(String(format: "TOTAL\t\t\t%.3f\t%.3f\t%.3f", totals.codec, totals.imgproc, totals.imgproc / totals.codec))
