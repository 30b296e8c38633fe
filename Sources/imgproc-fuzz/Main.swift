import Foundation
import ImgprocFuzzing

// Built two ways (scripts/fuzz.sh):
// - with `--sanitize=fuzzer -Xswiftc -DFUZZING`: libFuzzer's own `main` drives
//   `LLVMFuzzerTestOneInput`; the target is named by IMGPROC_FUZZ_TARGET;
// - normally: `imgproc-fuzz TARGET FILE...` runs each file through the target once, to
//   replay a finding without libFuzzer.

/// The target this process fuzzes, from IMGPROC_FUZZ_TARGET (read once).
let selectedTarget: FuzzTarget? = ProcessInfo.processInfo.environment["IMGPROC_FUZZ_TARGET"]
  .flatMap(FuzzTarget.init(rawValue:))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let selectedTarget else {
    FileHandle.standardError.write(
      Data(
        "imgproc-fuzz: set IMGPROC_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))\n"
          .utf8))
    exit(2)
  }
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  selectedTarget.run(bytes)
  return 0
}

#if !FUZZING
@main
enum Replay {
  static func main() {
    let arguments = CommandLine.arguments.dropFirst()
    if arguments.first == "seeds", arguments.count == 3, let target = arguments.last {
      writeSeeds(target: target, into: arguments[arguments.startIndex + 1])
      return
    }
    guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
      FileHandle.standardError.write(
        Data(
          """
          usage: imgproc-fuzz TARGET FILE...     run each file through TARGET once
                 imgproc-fuzz seeds DIR TARGET   write TARGET's seeds (generated in code) into DIR
          TARGET: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))

          """
          .utf8))
      exit(2)
    }
    for path in arguments.dropFirst() {
      guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("imgproc-fuzz: cannot read \(path)\n".utf8))
        exit(1)
      }
      target.run(Array(data))
      print("\(path): ok")
    }
  }
}

/// Writes the seeds of `target` into `folder` (created if needed).
func writeSeeds(target name: String, into folder: String) {
  guard let target = FuzzTarget(rawValue: name) else {
    FileHandle.standardError.write(Data("imgproc-fuzz: unknown target '\(name)'\n".utf8))
    exit(2)
  }
  try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  for seed in FuzzSeeds.seeds(for: target) {
    let path = folder + "/" + seed.name
    guard FileManager.default.createFile(atPath: path, contents: Data(seed.bytes)) else {
      FileHandle.standardError.write(Data("imgproc-fuzz: cannot write \(path)\n".utf8))
      exit(1)
    }
  }
}
#endif
