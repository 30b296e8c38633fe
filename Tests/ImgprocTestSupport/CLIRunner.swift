import Foundation

/// Runs the built `imgproc` binary, as a user would: the one binary runner of every test.
public enum CLIRunner {
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// Whether the tests run under scripts/sanitize.sh.
  public static let sanitized = ProcessInfo.processInfo.environment["IMGPROC_SANITIZER"] != nil

  /// The `imgproc` executable beside the test bundle (`swift build` puts both in one folder).
  public static var binary: URL {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return exe.deletingLastPathComponent().appendingPathComponent("imgproc")
  }

  /// Runs `imgproc arguments…` in `directory`, feeding `input` on standard input, with
  /// `environment` (default: this process's).
  /// With `addressSpaceMiB`, the binary runs under `ulimit -v` (an allocation beyond it fails),
  /// except under a sanitizer (scripts/sanitize.sh sets IMGPROC_SANITIZER): AddressSanitizer
  /// reserves terabytes of shadow memory up front, which no such limit admits.
  /// With `shell`, `arguments` are `sh`'s (`-c SCRIPT`), with the binary's path as `$0`.
  public static func run(
    _ arguments: [String], in directory: URL? = nil, input: Data? = nil,
    environment: [String: String]? = nil, shell: Bool = false, addressSpaceMiB: Int? = nil
  ) throws -> Result {
    let addressSpaceMiB = sanitized ? nil : addressSpaceMiB
    let process = Process()
    if shell {
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      var script = arguments
      if let addressSpaceMiB, script.count >= 2 {
        script[1] = "ulimit -v \(addressSpaceMiB * 1024) && " + script[1]
      }
      process.arguments = Array(script.prefix(2)) + [binary.path] + script.dropFirst(2)
    } else if let addressSpaceMiB {
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments =
        ["-c", "ulimit -v \(addressSpaceMiB * 1024) && exec \"$0\" \"$@\"", binary.path]
        + arguments
    } else {
      process.executableURL = binary
      process.arguments = arguments
    }
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    let inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(input) }
    try inPipe.fileHandleForWriting.close()
    // Drain both pipes concurrently so a large output cannot block the child.
    let collected = Collected()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      collected.data = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: collected.data,
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}

/// Bytes read on another thread; `DispatchGroup.wait` orders the write before the read.
private final class Collected: @unchecked Sendable {
  var data = Data()
}

extension CLIRunner {
  /// What `runBounded` saw.
  public struct Bounded: Sendable {
    /// The exit status, or 128 + the signal that ended it.
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var seconds: Double
    public var timedOut: Bool
  }

  /// Runs `imgproc arguments…` (standard input empty), killed after `timeout` seconds; in
  /// `environment` when given, else in this process's.
  public static func runBounded(
    _ arguments: [String], timeout: Double, environment: [String: String]? = nil
  ) throws -> Bounded {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "imgproc-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (output, errors) = (
      folder.appendingPathComponent("out"), folder.appendingPathComponent("err")
    )
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([binary.path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
    defer { for pointer in envp ?? [] { free(pointer) } }
    var pid = pid_t()
    let spawned =
      envp.map { posix_spawn(&pid, binary.path, &actions, nil, argv, $0) }
      ?? posix_spawn(&pid, binary.path, &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    let start = Date()
    var status: Int32 = 0
    var timedOut = false
    while waitpid(pid, &status, WNOHANG) == 0 {
      if Date().timeIntervalSince(start) > timeout {
        kill(pid, SIGKILL)
        timedOut = true
        _ = waitpid(pid, &status, 0)
        break
      }
      usleep(5000)
    }
    let signal = status & 0x7F
    return Bounded(
      status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal,
      stdout: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errors, encoding: .utf8)) ?? "",
      seconds: Date().timeIntervalSince(start), timedOut: timedOut)
  }
}

extension CLIRunner {
  /// Starts `imgproc arguments…` in `directory`, with `environment` (default: this
  /// process's), its standard output and error written to the files `output` and `errors`
  /// (created or emptied; discarded when nil) and its standard input empty: a long run, one
  /// to signal or kill. The caller waits for it or ends it.
  public static func start(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
    output: URL? = nil, errors: URL? = nil
  ) throws -> Process {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try sink(output)
    process.standardError = try sink(errors)
    try process.run()
    return process
  }

  /// A handle writing to the emptied file at `url`, or the null device.
  private static func sink(_ url: URL?) throws -> FileHandle {
    guard let url else { return FileHandle.nullDevice }
    FileManager.default.createFile(atPath: url.path, contents: nil)
    return try FileHandle(forWritingTo: url)
  }

  /// The JSON objects of a `--json` run's standard output, one per line.
  public static func events(_ stdout: String) -> [[String: Any]] {
    stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }
}
