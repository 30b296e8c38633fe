import ArgumentParser
import Foundation
import ImgprocPipeline
import ImgprocS3
import ImgprocSync

extension IMGProc {
  /// `imgproc s3-sync`: upload bucket → processed bucket, resumable and idempotent.
  struct S3SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "s3-sync",
      abstract: "Convert what is new or changed under an S3 prefix into another prefix.",
      discussion: """
        Lists SOURCE and DESTINATION/.imgproc/manifests/, and converts only the objects \
        without a manifest for their current ETag: a second run with nothing new reads and \
        writes no image. Each source's variants are uploaded first, its manifest last, so a \
        run killed at any moment is completed by the next. Outputs carry x-amz-meta-source-key, \
        -source-etag, -recipe and -variant. DESTINATION may not overlap SOURCE in the same \
        bucket. Credentials: flags, then AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], \
        then AWS_PROFILE/--profile, then container and EC2 instance credentials.
        """)

    @Argument(help: "The source, s3://bucket/prefix/.")
    var source: String

    @Argument(help: "The destination, s3://bucket/prefix/.")
    var destination: String

    @OptionGroup var render: RenderOptions
    @OptionGroup var s3: S3Options
    @OptionGroup var runOptions: RunOptions

    @Flag(help: "List what would be converted, and why, without converting anything.")
    var dryRun = false

    mutating func validate() throws {
      guard let source = S3Location(url: source), let destination = S3Location(url: destination)
      else {
        throw ValidationError("SOURCE and DESTINATION must be s3://bucket/prefix URLs")
      }
      do {
        try ImgprocSync.S3Sync.checkDisjoint(source, destination)
      } catch {
        throw ValidationError(error.description)
      }
      _ = try render.resolvedRecipe()
    }

    func run() async throws {
      guard let source = S3Location(url: source), let destination = S3Location(url: destination)
      else { return }
      let settings = try render.settings()
      let naming = try runOptions.naming(variantCount: settings.recipe.variants.count)
      let client = try await s3.makeClient()
      let batch = RemoteBatch(
        reader: SourceReader(client: client),
        output: .bucket(client, bucket: destination.bucket, prefix: destination.folderPrefix),
        settings: settings, naming: naming,
        jobs: runOptions.jobCount,
        overwrite: true, checkExisting: false)
      let reporter = runOptions.reporter(showsProgress: true)
      let summary: ConvertSummary
      do {
        summary = try await ImgprocSync.S3Sync(
          source: source, destination: destination, batch: batch, client: client, dryRun: dryRun
        ).run(reporter: reporter)
      } catch {
        FileHandle.standardError.write(Data("imgproc: \(error)\n".utf8))
        throw ExitCode.failure
      }
      reporter.finish(summary)
      if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
  }
}
