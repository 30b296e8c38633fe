import ImgprocCodecs
import ImgprocPipeline
import ImgprocS3

/// The one rule for which keys of a listing are sources.
public enum S3Listing {
  /// The events for objects listed under `prefix` (a folder prefix, "" or ending in `/`), in
  /// listing order. A key that looks like an image is a source; its folders below the prefix
  /// are kept for its outputs (made a safe relative path when outputs go to a local folder).
  /// What imgproc knows it wrote is skipped: every key under a prefix that holds imgproc's
  /// bookkeeping folder (`RemoteKeys.outputPrefixes`), with one notice per prefix. Other keys
  /// are skipped as not images, by their name, or with `sniffing`, by their first bytes (a
  /// ranged GET each). Keys ending in `/` are folder placeholders, not files.
  public static func events(
    _ objects: [S3Object], bucket: String, prefix: String, localOutput: Bool,
    sniffing client: S3Client? = nil
  ) async -> [SourceEvent] {
    let outputs = RemoteKeys.outputPrefixes(objects.map(\.key))
    var noticed = Set<String>()
    var events: [SourceEvent] = []
    for object in objects where !object.key.hasSuffix("/") {
      let origin = SourceOrigin.object(bucket: bucket, key: object.key)
      if let output = outputs.first(where: { object.key.hasPrefix($0) }) {
        if noticed.insert(output).inserted {
          events.append(.skipped(name: "s3://\(bucket)/\(output)", reason: .imgprocOutputs))
        }
        continue
      }
      if !RemoteKeys.looksLikeImage(object.key) {
        guard let client else {
          events.append(.skipped(name: origin.name, reason: .noImageExtension))
          continue
        }
        do throws(S3Error) {
          let head = try await client.get(
            bucket: bucket, key: object.key, firstBytes: ImageFormat.sniffLength)
          guard ImageFormat.sniff(head) != nil else {
            events.append(.skipped(name: origin.name, reason: .notAnImage))
            continue
          }
        } catch {
          events.append(
            .failed(
              name: origin.name, error: PipelineError(error, while: "reading its first bytes"))
          )
          continue
        }
      }
      let relative = RemoteKeys.relative(object.key, to: prefix)
      var localFolder: String?
      if localOutput {
        let safe = RemoteKeys.localPath(RemoteKeys.split(relative).folder)
        localFolder = safe.isEmpty ? "" : safe + "/"
      }
      events.append(
        .source(
          SourceItem(
            origin: origin, relativeKey: relative, byteCount: object.size,
            outputFolder: localFolder)))
    }
    return events
  }

  /// The events for a `convert` input: the object `location` names, or every image under it
  /// when its key is "" or ends in `/`. A failed listing is one failed event.
  public static func events(
    for location: S3Location, client: S3Client, localOutput: Bool, sniffContent: Bool
  ) async -> [SourceEvent] {
    let isPrefix = location.key.isEmpty || location.key.hasSuffix("/")
    guard isPrefix else {
      let file = RemoteKeys.split(location.key).name
      return [
        .source(
          SourceItem(origin: .object(bucket: location.bucket, key: location.key), relativeKey: file)
        )
      ]
    }
    do throws(S3Error) {
      let objects = try await client.listTree(bucket: location.bucket, prefix: location.key)
      return await events(
        objects, bucket: location.bucket, prefix: location.key, localOutput: localOutput,
        sniffing: sniffContent ? client : nil)
    } catch {
      return [.failed(name: location.description, error: PipelineError(error, while: "listing"))]
    }
  }
}
