import ArgumentParser
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3

extension IMGProc {
  /// `imgproc s3-sync`: upload bucket → processed bucket, resumable and idempotent.
  struct S3SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "s3-sync",
      abstract: "Convert what is new or changed under an S3 prefix into another prefix.",
      discussion: """
        Lists SOURCE and DESTINATION/.imgproc/manifests/, and converts only the objects \
        without a manifest for their current ETag and settings: a second run with nothing new \
        reads and writes no image; a changed recipe converts again and replaces the old \
        outputs. A destination takes the outputs of one source prefix. Each source's variants are uploaded first, its manifest last, so a \
        run killed at any moment is completed by the next. Outputs carry x-amz-meta-source-key, \
        -source-etag, -recipe and -variant. DESTINATION may not overlap SOURCE in the same \
        bucket. Credentials: flags, then AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], \
        then AWS_PROFILE/--profile, then container and EC2 instance credentials.

        Examples:
          imgproc s3-sync s3://uploads/ s3://processed/
          imgproc s3-sync s3://uploads/2026/ s3://processed/2026/ --dry-run
          imgproc s3-sync s3://in/ s3://out/ --endpoint-url http://127.0.0.1:9000 --json
        """)

    @Argument(
      help: "The source, s3://bucket/prefix/.",
      transform: { text in
        try parsed { () throws(PipelineError) in try S3Location(checking: text, part: "prefix") }
      })
    var source: S3Location

    @Argument(
      help: "The destination, s3://bucket/prefix/.",
      transform: { text in
        try parsed { () throws(PipelineError) in try S3Location(checking: text, part: "prefix") }
      })
    var destination: S3Location

    @OptionGroup var render: RenderOptions
    @OptionGroup var s3: S3Options
    @OptionGroup var runOptions: RunOptions

    @Flag(help: "List what would be converted, and why, without converting anything.")
    var dryRun = false

    mutating func validate() throws {
      _ = try parsed { () throws(PipelineError) in try SyncJob.checkDisjoint(source, destination) }
      _ = try runOptions.naming(variantCount: try render.resolvedRecipe().variants.count)
    }

    func run() async throws {
      let job = SyncJob(
        source: source, destination: destination,
        configuration: try runOptions.configuration(render: render, dryRun: dryRun),
        connection: s3.connection, sniffContent: s3.sniffContent)
      try await Frontend.run(reporting: runOptions.reporter(showsProgress: true)) {
        reporter async throws(PipelineError) in try await job.run(reporter: reporter)
      }
    }
  }
}
