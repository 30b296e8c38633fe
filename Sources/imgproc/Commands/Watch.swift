import ArgumentParser
import Foundation
import ImgprocJobs
import ImgprocPipeline
import ImgprocWatch

extension IMGProc {
  /// `imgproc watch`: the local trigger.
  struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Convert every image that lands in a folder, once, never half-written.",
      discussion: """
        Watches FOLDER and its sub-folders with inotify (--poll scans instead). A file is \
        converted when it is complete: closed by its writer and not open for writing, or \
        unchanged for --settle milliseconds; names such as .part, .tmp, .crdownload, ~ and \
        dot-files wait until renamed. A file that fails as if cut short (truncated or \
        unreadable data) within --settle of its last write is tried again once it has been \
        quiet that long: an uploader may close it and reopen it to append; only then does the \
        failure count. A journal records what was done for each path, content \
        and settings, so a restart, a touch or a rename back does not redo work; an output \
        deleted since is made again. When a source changes, the outputs of its earlier \
        version are replaced; the outputs of a source deleted or renamed away (also while \
        no watch ran) are named, and deleted with --delete. Files \
        already there are converted first (--no-initial skips them). The output folder is \
        never watched. SIGINT or SIGTERM: no new files, the ones in flight finish, exit 0; \
        a second SIGINT stops at once (no partial outputs: they are renamed into place).

        Examples:
          imgproc watch incoming/ -o processed/
          imgproc watch incoming/ -o s3://processed/web/ --on-success move:done/
          imgproc watch /mnt/share -o out/ --poll 5 --once
        """)

    @Argument(help: "The folder to watch.")
    var folder: String

    @Option(
      name: [.short, .customLong("output")],
      help: "Output folder (created if missing) or s3://bucket/prefix/.",
      transform: { text in
        try parsed { () throws(PipelineError) in try ConvertOutput(parsing: text) }
      }
    )
    var output: ConvertOutput

    @OptionGroup var render: RenderOptions
    @OptionGroup var s3: S3Options
    @OptionGroup var runOptions: RunOptions

    @Option(
      parsing: .unconditional,
      help:
        "Milliseconds a file's size and time must stay still when its writer was not seen closing it."
    )
    var settle: Int = 500

    @Option(
      parsing: .unconditional,
      help: "Scan every this many seconds instead of using inotify (NFS, some container mounts).")
    var poll: Double?

    @Flag(help: "Convert what is there, then exit (for cron).")
    var once = false

    @Flag(help: "Do not convert the files already there when starting.")
    var noInitial = false

    @Flag(help: "Follow symlinks that lead out of the watched folder.")
    var followSymlinks = false

    @Flag(
      help:
        "Delete the outputs of a source that is deleted or renamed away, which are otherwise named and left in place."
    )
    var delete = false

    @Option(
      help: ArgumentHelp(
        "After a file is converted: move:DIR moves it into DIR, keeping its sub-folder; a file of that name already there is kept and the moved one named NAME-1.EXT, NAME-2.EXT, ....",
        valueName: "action"),
      transform: { text in try parsed { () throws(WatchError) in try FileAction(parsing: text) } })
    var onSuccess: FileAction?

    @Option(
      help: ArgumentHelp(
        "After a file fails: move:DIR moves it into DIR (quarantine), as --on-success does.",
        valueName: "action"),
      transform: { text in try parsed { () throws(WatchError) in try FileAction(parsing: text) } })
    var onFailure: FileAction?

    @Option(
      help: "The journal file (default: one per folder and output under ~/.local/state/imgproc).")
    var journal: String?

    mutating func validate() throws {
      _ = try runOptions.naming(variantCount: try render.resolvedRecipe().variants.count)
      if output == .standardOutput {
        throw ValidationError("'watch' writes to a folder or a bucket: give '-o DIR'")
      }
      guard settle >= 0 else {
        throw ValidationError("'--settle' must be 0 or more, not \(settle)")
      }
      if let poll, !(poll > 0) {
        throw ValidationError("'--poll' must be a number of seconds above 0, not \(poll)")
      }
    }

    func run() async throws {
      var job = WatchJob(
        folder: folder, output: output, configuration: try runOptions.configuration(render: render))
      job.connection = s3.connection
      job.settle = .milliseconds(settle)
      job.poll = poll.map { .milliseconds(Int($0 * 1000)) }
      job.once = once
      job.initial = !noInitial
      job.followSymlinks = followSymlinks
      job.deletes = delete
      job.onSuccess = onSuccess
      job.onFailure = onFailure
      job.journal = journal
      let reporter = runOptions.reporter(perSource: true)
      let frozen = job
      let once = once
      let run = Task {
        try await Frontend.run(reporting: reporter, exitOnFailures: once) {
          reporter async throws(PipelineError) in try await frozen.run(reporter: reporter)
        }
      }
      let signals = StopSignals { run.cancel() }
      defer { signals.release() }
      try await run.value
    }
  }
}
