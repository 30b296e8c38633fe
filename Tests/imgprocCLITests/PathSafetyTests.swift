import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

/// What a folder walk meets besides plain files, and names the file system cannot hold: each
/// is read, skipped with a word, or failed with one line — never followed out of the input,
/// never a hang, never a write outside the output folder.
@Suite("Paths: symlinks, special files, names too long")
struct PathSafetyTests {
  static let jpeg =
    (try? Codecs.encode(Fixtures.gradient(width: 96, height: 64), .jpeg(JPEGSettings()))) ?? []

  @Test(
    "symlinks: inside followed, out of the folder skipped unless asked, folders never, dangling fails"
  )
  func symlinks() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "in/a.jpg")
    try folder.write(Self.jpeg, to: "elsewhere/secret.jpg")
    let manager = FileManager.default
    try manager.createSymbolicLink(
      atPath: folder.path("in/inside.jpg"), withDestinationPath: "a.jpg")
    try manager.createSymbolicLink(
      atPath: folder.path("in/out.jpg"), withDestinationPath: folder.path("elsewhere/secret.jpg"))
    try manager.createSymbolicLink(
      atPath: folder.path("in/loop"), withDestinationPath: folder.path("in"))
    try manager.createSymbolicLink(
      atPath: folder.path("in/gone.jpg"), withDestinationPath: folder.path("nothing-here.jpg"))
    let run = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("out")])
    #expect(run.status == 1, "the dangling link fails: \(run.stderr)")
    let outputs = try folder.files(in: "out")
    #expect(outputs.filter { $0.hasPrefix("a_") }.count == 5)
    #expect(outputs.filter { $0.hasPrefix("inside_") }.count == 5)
    #expect(outputs.count == 10, "\(outputs)")
    #expect(
      run.stderr.contains(
        "out.jpg: skipped, a symlink that leads out of the folder (--follow-symlinks follows it)"),
      "\(run.stderr)")
    #expect(
      run.stderr.contains("loop: skipped, a symlink to a folder, not followed"), "\(run.stderr)")
    #expect(run.stderr.contains("gone.jpg: a symlink whose target does not exist"), "\(run.stderr)")
    let following = try CLIRunner.run([
      "convert", folder.path("in"), "-o", folder.path("out2"), "--follow-symlinks", "-q",
    ])
    #expect(following.status == 1)
    #expect(try folder.files(in: "out2").filter { $0.hasPrefix("out_") }.count == 5)
  }

  @Test("a named pipe in a folder is skipped with a word, not read (which would block)")
  func namedPipe() throws {
    let folder = try TemporaryFolder()
    try folder.write(Self.jpeg, to: "in/a.jpg")
    #expect(mkfifo(folder.path("in/pipe.jpg"), 0o644) == 0)
    let run = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("out")])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("pipe.jpg: skipped, not a regular file"), "\(run.stderr)")
    #expect(try folder.files(in: "out").count == 5)
  }

  @Test(
    "names near and over the file system's limit: one clear line naming --name, nothing partial")
  func longNames() throws {
    let folder = try TemporaryFolder()
    // 225 bytes: every output name (≤ 255) fits, though its temporary name would not have.
    let fits = String(repeating: "n", count: 225)
    let tooLong = String(repeating: "é", count: 120)  // 240 bytes of UTF-8
    try folder.write(Self.jpeg, to: "in/\(fits).jpg")
    try folder.write(Self.jpeg, to: "in/\(tooLong).jpg")
    let run = try CLIRunner.run(["convert", folder.path("in"), "-o", folder.path("out")])
    #expect(run.status == 3, "the output could not be written: \(run.stderr)")
    let errors = run.stderr.split(separator: "\n").filter {
      $0.contains("longer than a file name may be")
    }
    #expect(errors.count == 1, "\(run.stderr)")
    #expect(errors.first?.contains("--name") == true)
    let outputs = try folder.files(in: "out")
    #expect(outputs.count == 5 && outputs.allSatisfy { $0.hasPrefix(fits + "_") }, "\(outputs)")
    let named = try CLIRunner.run([
      "convert", folder.path("in"), "-o", folder.path("out2"), "--name", "{hash}_{variant}.{ext}",
    ])
    #expect(named.status == 0, "the flag named in the message does change the outcome")
  }
}
