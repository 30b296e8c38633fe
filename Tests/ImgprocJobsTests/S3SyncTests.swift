import Foundation
import ImgprocCodecs
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3
import ImgprocTestSupport
import SigV4
import Testing

@Suite("s3-sync against a real SigV4 server", .enabled(if: S3TestServer.available), .serialized)
struct S3SyncTests {
  @Test("converts everything once; a second run lists and does nothing else")
  func idempotent() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(
      client, bucket, ["in/a.jpg", "in/b.jpg", "in/sub/c.jpg", "in/d.png"])
    try await client.put(
      bucket: bucket, key: "in/readme.txt", body: Array("text".utf8), contentType: "text/plain")
    let (first, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(log.failures.isEmpty, "\(log.failures)")
    #expect(first.converted == 4 && first.outputsWritten == 20 && first.ignored == 1)
    let outputs = try await S3TestServer.keys(client, bucket, "out/")
    #expect(outputs.filter { $0.contains(".imgproc/manifests/") }.count == 4)
    #expect(outputs.filter { $0.hasPrefix("out/sub/c_") }.count == 5)
    let webp = try #require(outputs.first { $0.hasSuffix(".webp") })
    let info = try #require(try await client.head(bucket: bucket, key: webp))
    #expect(info.contentType == "image/webp")
    #expect(
      info.metadata["source-key"]?.hasPrefix("in/") == true && info.metadata["variant"] == "webp")
    #expect(info.metadata["recipe"] == "default" && info.metadata["source-etag"]?.isEmpty == false)

    let fresh = try S3TestServer.client()
    let (second, _) = try await S3TestServer.sync(
      fresh, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(second.converted == 0 && second.upToDate == 4 && second.outputsWritten == 0)
    // The manifest folder (which sources feed it), the bucket's root (no other sync's
    // destination around this one), then each source folder (in/, in/sub/) with its
    // sources' manifest folder and output folder.
    #expect(fresh.counts.requests == ["LIST": 8], "no image GET or PUT: \(fresh.counts.requests)")
    // The command line says what it asked of S3 in its --json summary.
    let cli = try S3TestServer.run([
      "s3-sync", "s3://\(bucket)/in/", "s3://\(bucket)/out/", "--json", "--endpoint-url",
      try #require(S3TestServer.endpoint),
    ])
    let summary = try #require(CLIRunner.events(cli.stdoutText).last, "\(cli.stderr)")
    #expect(summary["requests"] as? [String: Int] == ["LIST": 8], "\(summary)")
    #expect(summary["retries"] as? Int == 0 && summary["upToDate"] as? Int == 4)
  }

  @Test("a second run over 100 objects in 10 folders makes only its LISTs, folders at once")
  func secondRunRequests() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let keys = (0..<100).map { "in/2026-01-\(String(format: "%02d", 1 + $0 % 10))/u\($0).jpg" }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (index, key) in keys.enumerated() {
        group.addTask {
          try await client.put(
            bucket: bucket, key: key, body: try S3TestServer.photo(index % 7),
            contentType: "image/jpeg")
        }
      }
      try await group.waitForAll()
    }
    let one = Recipe(
      name: "one",
      variants: [Variant(name: "t", format: .jpeg, quality: 80, width: 16, height: 16)])
    let (first, _) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", recipe: one)
    #expect(first.converted == 100)
    // Twenty keys a page, so that 100 sources (and 200 destination keys) make big prefixes.
    let second = try S3TestServer.client(listPageSize: 20)
    let (again, log) = try await S3TestServer.sync(
      second, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", recipe: one)
    #expect(log.failures.isEmpty && again.upToDate == 100 && again.converted == 0)
    // The manifest folder (which sources feed it) and the bucket's root (another sync's
    // manifests around this one): 2. The source folder in/ (10 folders, one page), then
    // each of its 10 folders: 11. For each folder, its sources' manifest folder and their
    // output folder, one page each: 20. Never the whole destination in one stream.
    #expect(second.counts.requests == ["LIST": 33], "\(second.counts.requests)")
  }

  @Test("a changed object is converted again and its old outputs replaced")
  func changedObject() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/a.jpg", "in/b.jpg"])
    _ = try await S3TestServer.sync(client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    let before = try await S3TestServer.keys(client, bucket, "out/")
    try await client.put(
      bucket: bucket, key: "in/a.jpg", body: try S3TestServer.photo(99), contentType: "image/jpeg")
    let (again, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(log.failures.isEmpty)
    #expect(again.converted == 1 && again.upToDate == 1)
    let after = try await S3TestServer.keys(client, bucket, "out/")
    #expect(after.count == before.count, "old outputs and manifest replaced, not added to")
    #expect(after.filter { $0.hasPrefix("out/a_") }.allSatisfy { !before.contains($0) })
    #expect(after.filter { $0.hasPrefix("out/b_") } == before.filter { $0.hasPrefix("out/b_") })
  }

  @Test("awkward keys, own outputs skipped, dry run writes nothing")
  func keysAndDryRun() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let awkward = ["in/a b+c%d.jpg", "in/ünï/€.jpg", "in/dots/../y.png", "in/double//z.jpg"]
    try await S3TestServer.upload(client, bucket, awkward)
    // Outputs imgproc wrote under the source prefix (its marker says so) are not sources.
    try await client.put(
      bucket: bucket, key: "in/web/old_thumbnail_0123abcd.jpg", body: try S3TestServer.photo(7),
      contentType: "image/jpeg")
    try await client.put(
      bucket: bucket, key: "in/web/.imgproc/output", body: [], contentType: "text/plain")
    let (planned, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", dryRun: true)
    #expect(planned.sources == 4)
    #expect(log.events.filter { if case .planned = $0 { true } else { false } }.count == 4)
    #expect(try await S3TestServer.keys(client, bucket, "out/").isEmpty)
    let (done, runLog) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(runLog.failures.isEmpty, "\(runLog.failures)")
    #expect(done.converted == 4)
    let outputs = try await S3TestServer.keys(client, bucket, "out/")
    #expect(outputs.contains { $0.hasPrefix("out/a b+c%d_png_") })
    #expect(outputs.contains { $0.hasPrefix("out/ünï/€_webp_") })
    #expect(outputs.contains { $0.hasPrefix("out/dots/../y_thumbnail_") })
    #expect(outputs.contains { $0.hasPrefix("out/double//z_low_") })
    #expect(!outputs.contains { $0.contains("old_thumbnail") })
  }

  @Test("a destination overlapping the source in the same bucket is refused")
  func sameBucketRefused() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    for (source, destination) in [("in/", "in/out/"), ("", "out/"), ("in/", "")] {
      await #expect(throws: PipelineError.self) {
        _ = try await S3TestServer.sync(
          client, from: "s3://\(bucket)/\(source)", to: "s3://\(bucket)/\(destination)")
      }
    }
    let endpoint = try #require(S3TestServer.endpoint)
    let cli = try S3TestServer.run([
      "s3-sync", "s3://\(bucket)/in/", "s3://\(bucket)/in/processed/", "--endpoint-url", endpoint,
    ])
    #expect(cli.status == 2)
    #expect(cli.stderr.contains("overlaps"))
    // Disjoint prefixes in one bucket are fine.
    _ = try await S3TestServer.sync(client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
  }

  @Test("through a proxy that fails one request in two, every output arrives intact")
  func retries() async throws {
    let direct = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(direct)
    try await S3TestServer.upload(direct, bucket, ["in/a.jpg", "in/b.jpg", "in/c.png"])
    let proxy = try FaultProxy(upstream: try #require(S3TestServer.endpoint), pattern: ".S.D.5")
    let flaky = try S3TestServer.client(endpoint: proxy.endpoint, maxAttempts: 8)
    let (summary, log) = try await S3TestServer.sync(
      flaky, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(log.failures.isEmpty, "\(log.failures)")
    #expect(summary.converted == 3 && summary.outputsWritten == 15)
    #expect(flaky.counts.retries > 5)
    for key in try await S3TestServer.keys(direct, bucket, "out/") where !key.contains(".imgproc/")
    {
      let (bytes, _) = try await direct.get(bucket: bucket, key: key)
      #expect((try? Codecs.probe(bytes)) != nil, "\(key) decodes")
    }
  }

  @Test("50 kills at seeded moments: every variant exactly once, nothing done twice")
  func killAndResume() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let sources = (0..<6).map { String(format: "in/p%02d.png", $0) }
    for (index, key) in sources.enumerated() {
      let image = Fixtures.noise(width: 400, height: 300, layout: .rgb, seed: UInt64(100 + index))
      try await client.put(
        bucket: bucket, key: key, body: try Codecs.encode(image, .png(PNGSettings())),
        contentType: "image/png")
    }
    let endpoint = try #require(S3TestServer.endpoint)
    func arguments(_ prefix: String) -> [String] {
      [
        "s3-sync", "s3://\(bucket)/in/", "s3://\(bucket)/\(prefix)/", "--endpoint-url", endpoint,
        "--jobs", "2", "--json",
      ]
    }
    let start = Date()
    #expect(try S3TestServer.run(arguments("probe")).status == 0)
    let duration = Date().timeIntervalSince(start)
    var generator = SeededGenerator(seed: 4242)
    var killedRunning = 0
    for round in 0..<5 {
      let prefix = "out\(round)"
      for _ in 0..<10 {
        // A resumed run has only what is missing to do: the kill window shrinks with it.
        let done = try await S3TestServer.keys(client, bucket, prefix + "/").filter {
          !$0.contains(".imgproc/")
        }.count
        let window = max(0.05, duration * 0.6 * Double(30 - done) / 30)
        let run = try S3TestServer.start(arguments(prefix))
        usleep(UInt32(Double.random(in: 0...window, using: &generator) * 1e6))
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        if run.terminationReason == .uncaughtSignal { killedRunning += 1 }
      }
      let existing = try await S3TestServer.keys(client, bucket, prefix + "/").filter {
        !$0.contains(".imgproc/")
      }
      let resumed = try S3TestServer.run(arguments(prefix))
      #expect(resumed.status == 0, "\(resumed.stderr)")
      // An upload whose body had left when its process was killed may still complete on the
      // server after the listing: the resumed run writes at most what was missing, and never
      // what was there.
      let written = CLIRunner.events(resumed.stdoutText).filter {
        $0["event"] as? String == "output"
      }
      .compactMap {
        ($0["path"] as? String)?.replacingOccurrences(of: "s3://\(bucket)/", with: "")
      }
      #expect(written.count <= sources.count * 5 - existing.count, "round \(round)")
      #expect(Set(written).isDisjoint(with: existing), "round \(round): nothing done twice")
      let outputs = try await S3TestServer.keys(client, bucket, prefix + "/")
      #expect(outputs.filter { $0.contains(".imgproc/manifests/") }.count == sources.count)
      for index in 0..<sources.count {
        let base = String(format: "\(prefix)/p%02d_", index)
        let variants = outputs.filter { $0.hasPrefix(base) }
        #expect(variants.count == 5, "\(base): \(variants)")
        for key in variants {
          let bytes = try await client.get(bucket: bucket, key: key).bytes
          #expect((try? Codecs.decode(bytes)) != nil, "\(key) decodes")
        }
      }
    }
    #expect(killedRunning >= 25, "most kills land mid-run: \(killedRunning) of 50")
  }

  @Test("S3's error code reaches the error line and --json, for a source and for a run")
  func errorCodesSurvive() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/a.jpg"])
    let endpoint = try #require(S3TestServer.endpoint)
    let stranger = Credentials(accessKeyID: "test:reader", secretAccessKey: "reading")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "s3codes-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let convert = try S3TestServer.run(
      [
        "convert", "s3://\(bucket)/in/a.jpg", "-o", folder.path, "--endpoint-url", endpoint,
        "--json",
      ],
      as: stranger)
    #expect(convert.status == 1)
    let failure = try #require(
      CLIRunner.events(convert.stdoutText).first { $0["event"] as? String == "error" })
    #expect(failure["code"] as? String == "AccessDenied" && failure["retryable"] as? Bool == false)
    #expect(failure["source"] as? String == "s3://\(bucket)/in/a.jpg")
    #expect(convert.stderr.contains("AccessDenied"))
    let sync = try S3TestServer.run(
      [
        "s3-sync", "s3://\(bucket)/in/", "s3://\(bucket)/out/", "--endpoint-url", endpoint,
        "--json",
      ],
      as: stranger)
    #expect(sync.status == 1)
    let fatal = try #require(CLIRunner.events(sync.stdoutText).first)
    #expect(fatal["event"] as? String == "error" && fatal["code"] as? String == "AccessDenied")
    #expect(sync.stderr.hasPrefix("imgproc: listing failed: AccessDenied"), "\(sync.stderr)")
  }

  @Test("convert: keys become local paths that never leave the output folder")
  func convertToLocal() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(
      client, bucket, ["in/../../escape.jpg", "in//abs.jpg", "in/./dot.jpg", "in/ok/fine.jpg"])
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "s3local-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let endpoint = try #require(S3TestServer.endpoint)
    let result = try S3TestServer.run([
      "convert", "s3://\(bucket)/in/", "-o", folder.path, "--endpoint-url", endpoint, "-q",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let files = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? [])
      .filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") || $0.hasSuffix(".webp") }
    #expect(files.count == 20)
    #expect(
      files.allSatisfy {
        !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..")
          && !$0.split(separator: "/").contains(".")
      })
    #expect(files.contains { $0.hasPrefix("%2E%2E/%2E%2E/escape_") })
    let parent = folder.deletingLastPathComponent()
    #expect(
      !FileManager.default.fileExists(
        atPath: parent.appendingPathComponent("escape_compressed").path))
  }
}

/// Output identity against the real server: one source per destination, deleted outputs
/// made again, old outputs replaced, nothing skipped or refused without a word.
@Suite(
  "s3-sync: nothing lost, nothing stale, nothing silent", .enabled(if: S3TestServer.available),
  .serialized)
struct S3SyncIdentityTests {
  @Test("a destination fed from one source refuses another that shares a key (exit 2)")
  func oneSourcePerDestination() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["srcA/img.jpg"])
    try await client.put(
      bucket: bucket, key: "srcB/img.jpg", body: try S3TestServer.photo(42),
      contentType: "image/jpeg")
    _ = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/srcA/", to: "s3://\(bucket)/merged/")
    let before = try await S3TestServer.keys(client, bucket, "merged/")
    #expect(before.count == 6)
    let error = try await #require(throws: PipelineError.self) {
      _ = try await S3TestServer.sync(
        client, from: "s3://\(bucket)/srcB/", to: "s3://\(bucket)/merged/")
    }
    #expect(error.code == .invalidConfiguration)
    #expect(error.message.contains("srcA") && error.message.contains("srcB"))
    #expect(
      try await S3TestServer.keys(client, bucket, "merged/") == before, "srcA's outputs untouched")
    let endpoint = try #require(S3TestServer.endpoint)
    let cli = try S3TestServer.run([
      "s3-sync", "s3://\(bucket)/srcB/", "s3://\(bucket)/merged/", "--endpoint-url", endpoint,
    ])
    #expect(cli.status == 2 && cli.stderr.contains("srcA"), "\(cli.stderr)")
  }

  @Test("a destination inside or around another sync's destination is refused, in either order")
  func nestedDestinations() async throws {
    let client = try S3TestServer.client()
    for outerFirst in [true, false] {
      let bucket = try await S3TestServer.bucket(client)
      try await S3TestServer.upload(client, bucket, ["up/photos/a.jpg", "up/b.jpg"])
      let outer = ("s3://\(bucket)/up/", "s3://\(bucket)/processed/")
      let inner = ("s3://\(bucket)/up/photos/", "s3://\(bucket)/processed/photos/")
      let (first, second) = outerFirst ? (outer, inner) : (inner, outer)
      _ = try await S3TestServer.sync(client, from: first.0, to: first.1)
      let before = try await S3TestServer.keys(client, bucket, "processed/")
      let error = try await #require(throws: PipelineError.self) {
        _ = try await S3TestServer.sync(client, from: second.0, to: second.1)
      }
      #expect(error.code == .invalidConfiguration)
      #expect(
        error.message.contains("processed/photos/") && error.message.contains("/processed/ ")
          || error.message.contains("/processed/,"), "\(error.message)")
      // The outer sync is refused before anything; the inner one when its walk reaches the
      // folder: nothing is written there (up/b.jpg, before it, may be converted).
      let after = try await S3TestServer.keys(client, bucket, "processed/")
      #expect(
        after.filter { $0.hasPrefix("processed/photos/") }
          == before.filter { $0.hasPrefix("processed/photos/") }, "the inner sync's untouched")
      if outerFirst { #expect(after == before, "nothing changed") }
    }
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["up/photos/a.jpg"])
    _ = try await S3TestServer.sync(client, from: "s3://\(bucket)/up/", to: "s3://\(bucket)/p/")
    let endpoint = try #require(S3TestServer.endpoint)
    let cli = try S3TestServer.run([
      "s3-sync", "s3://\(bucket)/up/photos/", "s3://\(bucket)/p/photos/", "--endpoint-url",
      endpoint,
    ])
    #expect(cli.status == 2, "\(cli.stderr)")
    #expect(cli.stderr.split(separator: "\n").count == 1, "one line: \(cli.stderr)")
    #expect(cli.stderr.contains("/p/photos/") && cli.stderr.contains("/p/"), "\(cli.stderr)")
  }

  @Test("an output deleted from the destination is made again; a dry run says so")
  func deletedOutputRemade() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/a.jpg", "in/sub/b.jpg"])
    _ = try await S3TestServer.sync(client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    let made = try await S3TestServer.keys(client, bucket, "out/")
    let gone = try #require(made.first { $0.hasPrefix("out/sub/b_webp_") })
    try await client.delete(bucket: bucket, key: gone)
    let (planned, plan) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", dryRun: true)
    #expect(planned.upToDate == 1, "\(plan.events)")
    #expect(
      plan.events.contains {
        if case .planned(let source, let action) = $0 {
          source.hasSuffix("sub/b.jpg") && action.contains("outputs missing")
        } else {
          false
        }
      }, "\(plan.events)")
    let (again, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(log.failures.isEmpty, "\(log.failures)")
    #expect(again.converted == 1 && again.upToDate == 1 && again.outputsWritten == 1)
    #expect(try await S3TestServer.keys(client, bucket, "out/") == made)
    let (third, _) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(third.upToDate == 2 && third.converted == 0)
  }

  @Test("a changed recipe converts again and replaces the old outputs")
  func changedRecipe() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/a.jpg", "in/b.jpg"])
    let small = Recipe(
      name: "r", variants: [Variant(name: "t", format: .jpeg, quality: 80, width: 40, height: 40)])
    _ = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", recipe: small)
    let before = try await S3TestServer.keys(client, bucket, "out/")
    var smaller = small
    smaller.variants[0].options["quality"] = .integer(10)
    let (again, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", recipe: smaller)
    #expect(log.failures.isEmpty, "\(log.failures)")
    #expect(again.converted == 2 && again.upToDate == 0)
    let after = try await S3TestServer.keys(client, bucket, "out/")
    #expect(after.count == before.count, "replaced, not added to: \(after)")
    #expect(Set(after).isDisjoint(with: before))
    let (third, _) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", recipe: smaller)
    #expect(third.upToDate == 2 && third.converted == 0)
  }

  @Test("names that only look like outputs are converted; what imgproc wrote is skipped, said")
  func ownOutputsByWhatImgprocKnows() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(
      client, bucket,
      ["in/party_low_20240101.jpg", "in/cat_thumbnail_cafebabe.jpg", "in/web/x_low_0123abcd.jpg"])
    try await client.put(
      bucket: bucket, key: "in/web/.imgproc/output", body: [], contentType: "text/plain")
    let (summary, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(summary.converted == 2 && summary.excluded == 1, "\(summary)")
    #expect(log.skipped.map(\.path) == ["s3://\(bucket)/in/web/"])
    #expect(log.skipped.first?.reason == .imgprocOutputs)
  }

  @Test("keys without an image extension are skipped with a word, or sniffed on request")
  func noExtension() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/photos/noext", "in/a.jpg"])
    try await client.put(
      bucket: bucket, key: "in/notes", body: Array("text".utf8), contentType: "text/plain")
    let (byName, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(byName.converted == 1 && byName.ignored == 2)
    #expect(log.skipped.allSatisfy { $0.reason.description.contains("--sniff-content") })
    let (sniffed, sniffLog) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", sniffContent: true)
    #expect(sniffed.converted == 1 && sniffed.upToDate == 1 && sniffed.ignored == 1)
    #expect(sniffLog.skipped.map(\.reason) == [.notAnImage])
    #expect(
      try await S3TestServer.keys(client, bucket, "out/photos/").contains {
        $0.hasPrefix("out/photos/noext_")
      })
  }

  @Test("an object over --max-input-bytes fails alone, naming the flag")
  func tooLarge() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/a.jpg"])
    try await client.put(
      bucket: bucket, key: "in/big.jpg",
      body: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 7, count: 3 << 20),
      contentType: "image/jpeg")
    let (summary, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/", maxInputBytes: 1 << 20)
    #expect(summary.converted == 1 && summary.failed == 1)
    #expect(log.failures.count == 1 && log.failures[0].contains("--max-input-bytes"))
  }

  @Test("an unreadable earlier manifest fails the source and changes nothing")
  func commitKeepsStateConsistent() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await S3TestServer.upload(client, bucket, ["in/a.jpg"])
    _ = try await S3TestServer.sync(client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    let manifest = try #require(
      try await S3TestServer.keys(client, bucket, "out/.imgproc/manifests/").first)
    try await client.put(
      bucket: bucket, key: manifest, body: Array("garbage".utf8), contentType: "application/json")
    try await client.put(
      bucket: bucket, key: "in/a.jpg", body: try S3TestServer.photo(77), contentType: "image/jpeg")
    let before = try await S3TestServer.keys(client, bucket, "out/")
    let (summary, log) = try await S3TestServer.sync(
      client, from: "s3://\(bucket)/in/", to: "s3://\(bucket)/out/")
    #expect(summary.failed == 1)
    #expect(log.failures.first?.contains(manifest) == true, "\(log.failures)")
    let after = try await S3TestServer.keys(client, bucket, "out/")
    // The new outputs may be there (uncommitted), but nothing was deleted and no new manifest.
    #expect(Set(before).isSubset(of: Set(after)))
    #expect(after.filter { $0.contains(".imgproc/manifests/") } == [manifest])
  }
}
