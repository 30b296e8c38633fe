import ArgumentParser
import Foundation
import ImgprocConsole
import ImgprocPipeline

/// The end of every run: prints the summary (or the error that stopped the run) and turns
/// it into imgproc's exit status. Usage errors found while parsing are mapped in
/// `IMGProc.main`.
enum Frontend {
  /// Runs `job`: exit status 0 when every source succeeded, 1 when any failed (unless
  /// `exitOnFailures` is false: a watch reports failures as they happen) or the run could not
  /// start, 2 when what stopped it is a usage error, 3 when outputs (or standard output)
  /// could not be written.
  static func run(
    reporting reporter: ConsoleReporter, exitOnFailures: Bool = true,
    _ job: (ConsoleReporter) async throws(PipelineError) -> ConvertSummary
  ) async throws {
    let summary: ConvertSummary
    do throws(PipelineError) {
      summary = try await job(reporter)
    } catch {
      reporter.fatal(error)
      throw ExitCode(error.code == .invalidConfiguration ? 2 : error.concernsDestination ? 3 : 1)
    }
    reporter.finish(summary)
    if let failure = reporter.standardOutputError {
      FileHandle.standardError.write(
        Data("imgproc: cannot write standard output: \(failure)\n".utf8))
      throw ExitCode(3)
    }
    if exitOnFailures && summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
  }
}
