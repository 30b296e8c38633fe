import ImgprocConcurrency
import ImgprocCore

extension Engine {
  /// Converts one admitted source: read, name, skip what exists, render and store, commit;
  /// its outputs go in `ledger` when there is one. Within a run (`inRun`), a failure that
  /// stops the run sets `stopping`, and is reported only by the first source it reaches. A
  /// failure `holding` accepts is only marked in the outcome (`SourceOutcome.held`).
  func convert(
    _ item: SourceItem, ledger: OutputLedger? = nil, inRun: Bool = false,
    holding: (@Sendable (SourceItem, PipelineError) -> Bool)? = nil
  ) async -> SourceOutcome {
    inFlight.withLock { $0 += 1 }
    defer { inFlight.withLock { $0 -= 1 } }
    var outcome = SourceOutcome()
    var planned: [PlannedOutput] = []
    defer { ledger?.record(item, planned, done: !outcome.failed) }
    var read: SourceContent?
    do throws(PipelineError) {
      let content = try await reader.read(item.origin, maxBytes: configuration.maxInputBytes)
      read = content
      outcome.bytesIn = content.bytes.count
      let digest = OutputIdentity.digest(content.bytes)
      let outputs = configuration.plannedOutputs(of: item, digest: digest, in: store)
      planned = outputs
      let pending = await missing(outputs, of: item)
      if pending.isEmpty {
        outcome.upToDate = true
      } else {
        let stored = await render(content, into: pending, of: item)
        for case .success(let bytes) in stored {
          outcome.outputsWritten += 1
          outcome.bytesOut += bytes
        }
        for case .failure(let error) in stored { throw error }
      }
      do throws(PipelineError) {
        try await store.recordOutputs(of: item, outputs.map(\.destination))
        try await commitLog.commit(
          CommitRecord(
            item: item, version: content.version, digest: OutputIdentity.hex(digest),
            outputs: outputs.map(\.destination), recipe: configuration.settings.recipe.name,
            wroteOutputs: !pending.isEmpty))
      } catch {
        throw error.concerningDestination()
      }
    } catch {
      outcome.failure = error
      if let holding, holding(item, error) {
        outcome.held = true
        return outcome
      }
      if !(inRun && error.stopsRun && stopping.exchange(true, ordering: .relaxed)) {
        reporter.report(.failed(source: item.name, error: error))
      }
      await commitLog.recordFailure(item, content: read, error: error)
    }
    return outcome
  }

  /// The outputs still to make: all of them when outputs are replaced or names cannot tell
  /// what made them (no `{hash}`); else those the store does not have (the others are
  /// reported up to date).
  private func missing(_ outputs: [PlannedOutput], of item: SourceItem) async -> [PlannedOutput] {
    guard configuration.existingOutputs == .skip, configuration.naming.usesHash else {
      return outputs
    }
    var pending: [PlannedOutput] = []
    for output in outputs {
      if await store.exists(output.destination) {
        reporter.report(
          .upToDate(
            source: item.name, variant: output.variant.name,
            path: store.display(output.destination)))
      } else {
        pending.append(output)
      }
    }
    return pending
  }

  /// Decodes and resizes once, encodes every output on the CPU scheduler and stores each as
  /// soon as it is encoded. Holds a decoded-source place from decoding to the last encode;
  /// each variant's pixels are released when its encode ends. One result per output, in
  /// order: its byte count, or why it failed.
  private func render(
    _ content: SourceContent, into outputs: [PlannedOutput], of item: SourceItem
  ) async -> [Result<Int, PipelineError>] {
    await decodedSources.acquire()
    let encodes: Encodes
    do {
      encodes = try await prepare(content.bytes, outputs.map(\.variant), of: item)
    } catch {
      await decodedSources.release()
      return outputs.map { _ in .failure(error) }
    }
    if encodes.count == 0 { await decodedSources.release() }
    let metadata = [
      "source-key": item.origin.key, "source-etag": content.version ?? "",
      "recipe": configuration.settings.recipe.name,
    ]
    var results = [Result<Int, PipelineError>?](repeating: nil, count: outputs.count)
    await withTaskGroup(of: (Int, Result<Int, PipelineError>).self) { group in
      var encodesLeft = encodes.count
      for await (index, result) in encodes.results {
        encodesLeft -= 1
        if encodesLeft == 0 { await decodedSources.release() }
        switch result {
        case .success(let rendered):
          var file = OutputFile(
            bytes: rendered.bytes, format: rendered.variant.format, metadata: metadata)
          file.metadata["variant"] = rendered.variant.name
          let destination = outputs[index].destination
          group.addTask {
            (index, await self.store(file, rendered, to: destination, of: item))
          }
        case .failure(let error):
          results[index] = .failure(error)
        }
      }
      for await (index, result) in group { results[index] = result }
    }
    return results.map { $0 ?? .failure(PipelineError(.encode, "no result")) }
  }

  /// A prepared source's encodes, queued on the CPU scheduler: their results as they come.
  private struct Encodes: Sendable {
    let count: Int
    let results: AsyncStream<(index: Int, result: Result<RenderedVariant, PipelineError>)>
  }

  /// Decodes and resizes on the CPU scheduler, then, still on that thread, queues every
  /// encode at once: before the thread looks for its next job (so encodes go before the next
  /// decode) and all together (so the costliest goes first). The queued jobs own the pixels;
  /// each variant's are released when its encode ends. Reports the decoder's warnings. Every
  /// thread is offered when this is the only source in flight.
  private func prepare(_ bytes: [UInt8], _ variants: [Variant], of item: SourceItem)
    async throws(PipelineError) -> Encodes
  {
    let width = inFlight.withLock { $0 } == 1 ? configuration.jobs : 1
    var itemSettings = configuration.settings
    itemSettings.timeBudget = item.timeBudget
    let settings = itemSettings
    let measuring = configuration.measuresSimilarity
    let cpu = self.cpu
    let prepared = await cpu.run(.prepare(bytes: bytes.count), width: width) { threads in
      var settings = settings
      settings.threads = threads
      return Result { () throws(PipelineError) -> ([String], Encodes) in
        let source = try ImageRenderer.prepare(bytes, variants: variants, settings: settings)
        let results = cpu.results(
          of: source.tasks.map { task in
            (
              Urgency.encode(cost: task.estimatedCost),
              { @Sendable in
                Result { () throws(PipelineError) in try task.run(measuringSimilarity: measuring) }
              }
            )
          })
        return (source.warnings, Encodes(count: source.tasks.count, results: results))
      }
    }
    let (warnings, encodes) = try prepared.get()
    for warning in warnings {
      reporter.report(.warning(source: item.name, message: warning))
    }
    return encodes
  }

  /// Stores one encoded output and reports it; its byte count.
  private func store(
    _ file: OutputFile, _ rendered: RenderedVariant, to destination: String, of item: SourceItem
  ) async -> Result<Int, PipelineError> {
    do {
      try await store.write(file, to: destination)
    } catch {
      return .failure(error.concerningDestination())
    }
    reporter.report(
      .wrote(
        source: item.name, variant: rendered.variant.name, path: store.display(destination),
        format: rendered.variant.format, size: rendered.size, bytes: rendered.bytes.count,
        ssim: rendered.ssim, milliseconds: rendered.encodeMilliseconds))
    return .success(rendered.bytes.count)
  }
}
