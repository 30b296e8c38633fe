import Foundation
import Testing

/// The Lambda package's glibc check (`Resources/aws/check-glibc.sh`), which `build.sh` runs
/// on the bootstrap and everything beside it, on Debian's own libstdc++ (whose `arc4random`
/// needs glibc 2.36, newer than Amazon Linux 2023's 2.34).
@Suite("The Lambda package's glibc check names each symbol that needs a newer glibc")
struct GlibcCheckTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Resources/aws/check-glibc.sh").standardized

  #if arch(x86_64)
  static let libstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"
  #else
  static let libstdcxx = "/usr/lib/aarch64-linux-gnu/libstdc++.so.6"
  #endif

  static func check(_ arguments: [String]) throws -> (
    status: Int32, output: String, errors: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script.path] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let written = output.fileHandleForReading.readDataToEndOfFile()
    let said = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: written, as: UTF8.self),
      String(decoding: said, as: UTF8.self)
    )
  }

  @Test("over the limit: exit 1, one line naming the file, the symbol and its version")
  func newerFails() throws {
    let result = try Self.check(["2.34", Self.libstdcxx])
    #expect(result.status == 1)
    let lines = result.errors.split(separator: "\n")
    #expect(
      lines.contains(
        "check-glibc: libstdc++.so.6: arc4random needs GLIBC_2.36, newer than GLIBC_2.34"))
    #expect(lines.allSatisfy { $0.contains("newer than GLIBC_2.34") }, "\(lines)")
    #expect(result.output.contains("newest glibc symbol version needed: GLIBC_2.36"))
  }

  @Test("within the limit: exit 0, the newest version needed said")
  func withinPasses() throws {
    let result = try Self.check(["2.36", Self.libstdcxx])
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.errors.isEmpty)
    #expect(
      result.output == "newest glibc symbol version needed: GLIBC_2.36 (at most GLIBC_2.36)\n")
  }
}
