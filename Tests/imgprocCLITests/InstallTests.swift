import Foundation
import ImgprocTestSupport
import Testing

/// `make install` / `make uninstall` with DESTDIR, as a packager runs them, with the built
/// binary (BIN) instead of a release build.
@Suite("make install puts everything where its reader looks")
struct InstallTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../..").standardized

  static func make(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/make")
    process.arguments = ["-s", "-C", repository.path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }

  @Test(
    "PREFIX and DESTDIR: binary, man pages, bash/zsh/fish completions; uninstall removes them",
    arguments: ["/usr/local", "/usr"])
  func install(prefix: String) throws {
    let stage = FileManager.default.temporaryDirectory.appendingPathComponent(
      "stage-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: stage) }
    let arguments = ["DESTDIR=\(stage.path)", "PREFIX=\(prefix)", "BIN=\(CLIRunner.binary.path)"]
    let installed = try Self.make(["install"] + arguments)
    #expect(installed.status == 0, "\(installed.output)")
    let root = stage.path + prefix
    let zsh = prefix == "/usr" ? "share/zsh/vendor-completions" : "share/zsh/site-functions"
    var expected = [
      "bin/imgproc", "share/bash-completion/completions/imgproc", "\(zsh)/_imgproc",
      "share/fish/vendor_completions.d/imgproc.fish",
    ]
    for page in try FileManager.default.contentsOfDirectory(
      atPath: Self.repository.appendingPathComponent("man").path) where page.hasSuffix(".1")
    {
      expected.append("share/man/man1/\(page)")
    }
    #expect(expected.count >= 10)
    for path in expected {
      #expect(FileManager.default.fileExists(atPath: "\(root)/\(path)"), "\(path)")
    }
    #expect(FileManager.default.isExecutableFile(atPath: "\(root)/bin/imgproc"))
    let version = try CLIRunner.run(["-c", "\"\(root)/bin/imgproc\" --version"], shell: true)
    #expect(version.stdoutText.hasPrefix("imgproc "))

    // bash loads the installed completion and binds it to imgproc.
    let bash = Process()
    bash.executableURL = URL(fileURLWithPath: "/bin/bash")
    bash.arguments = [
      "-c", "source \"$0\" && complete -p imgproc",
      "\(root)/share/bash-completion/completions/imgproc",
    ]
    let pipe = Pipe()
    bash.standardOutput = pipe
    try bash.run()
    let bound = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    bash.waitUntilExit()
    #expect(bound.contains("imgproc"), "\(bound)")

    let removed = try Self.make(["uninstall"] + arguments)
    #expect(removed.status == 0, "\(removed.output)")
    let left =
      FileManager.default.enumerator(atPath: stage.path)?.compactMap { $0 as? String }
      .filter { path in
        var isFolder: ObjCBool = false
        FileManager.default.fileExists(atPath: stage.path + "/" + path, isDirectory: &isFolder)
        return !isFolder.boolValue
      } ?? []
    #expect(left.isEmpty, "\(left)")
  }
}
