import ArgumentParser
import Foundation
import ImgprocCodecs

/// The `imgproc` command: turns uploaded images into web-ready variants.
///
/// Exit codes: 0 success, 1 when any input failed, 2 for usage errors, 3 when outputs
/// could not be written, 130 on SIGINT.
@main
struct IMGProc: AsyncParsableCommand {
  static var configuration: CommandConfiguration {
    CommandConfiguration(
      commandName: "imgproc",
      abstract: "Turn images into web-ready variants (\(FormatWords.writes); thumbnails).",
      discussion: """
        Exit status: 0 when every input succeeded, 1 when any input failed (each failure is \
        one line on standard error), 2 for usage errors, 3 when outputs could not be written \
        (a folder that cannot be created, a full disk, S3 refusing the upload), 130 when \
        interrupted (SIGINT).

        Examples:
          imgproc convert photos/ -o web/
          imgproc info photo.jpg
          imgproc watch incoming/ -o processed/
          imgproc s3-sync s3://uploads/ s3://processed/
        """,
      version: versionText,
      subcommands: [Convert.self, Info.self, S3SyncCommand.self, Watch.self, Lambda.self]
    )
  }

  static let version = "0.1.0"

  /// `--version`: imgproc's version, then the codec libraries it runs with.
  static var versionText: String {
    "imgproc \(version)\n"
      + Codecs.libraryVersions.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
  }

  /// The first argument before `--` that starts with `-` and names an existing file
  /// (`-dash.jpg`): ArgumentParser would read it as short options (`-h` among them).
  /// Option values are not looked at: only an argument that is not a known option.
  static func fileNamedLikeAnOption(_ arguments: [String]) -> String? {
    for argument in arguments.prefix(while: { $0 != "--" })
    where argument.count > 1 && argument.hasPrefix("-") && !argument.hasPrefix("--") {
      if FileManager.default.fileExists(atPath: argument) { return argument }
    }
    return nil
  }

  /// Parses and runs, mapping usage errors to exit status 2 (ArgumentParser uses 64).
  /// Started as `bootstrap` without arguments (AWS Lambda's custom runtime), it runs
  /// `imgproc lambda`.
  static func main() async {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.isEmpty,
      CommandLine.arguments.first.map({ $0 == "bootstrap" || $0.hasSuffix("/bootstrap") }) == true
    {
      arguments = ["lambda"]
    }
    if let file = fileNamedLikeAnOption(arguments) {
      FileHandle.standardError.write(
        Data(
          ("imgproc: '\(file)' names a file, but starts with '-', so it would be read as options"
            + " (write ./\(file), or put -- before the file names)\n").utf8))
      Foundation.exit(2)
    }
    do {
      var command = try parseAsRoot(arguments)
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
