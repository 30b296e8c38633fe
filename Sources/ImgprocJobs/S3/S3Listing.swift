import ImgprocPipeline
import ImgprocS3

/// The one rule for which keys of a listing are sources.
public enum S3Listing {
  /// The events for objects listed under `prefix` (a folder prefix, "" or ending in `/`), in
  /// listing order. A key that looks like an image is a source; its folders below the prefix
  /// are kept for its outputs (made a safe relative path when outputs go to a local folder).
  /// Keys ending in `/`, imgproc's own outputs (`{base}_{variant}_{8 hex}.{ext}` with a
  /// variant of `variants`) and its bookkeeping are skipped silently; other keys are ignored
  /// (reported as not images).
  public static func events(
    _ objects: [S3Object], bucket: String, prefix: String, variants: [String], localOutput: Bool
  ) -> [SourceEvent] {
    objects.compactMap { object in
      guard !object.key.hasSuffix("/"),
        !RemoteKeys.looksLikeOwnOutput(object.key, variants: variants)
      else { return nil }
      let location = SourceOrigin.object(bucket: bucket, key: object.key)
      guard RemoteKeys.looksLikeImage(object.key) else {
        return .skipped(name: location.name, reason: .noImageExtension)
      }
      let relative = RemoteKeys.relative(object.key, to: prefix)
      var (folder, file) = RemoteKeys.split(relative)
      if localOutput {
        let safe = RemoteKeys.localPath(folder)
        folder = safe.isEmpty ? "" : safe + "/"
      }
      return .source(
        SourceItem(
          origin: location, outputFolder: folder, base: SourceItem.base(ofFileName: file),
          byteCount: object.size, relativeKey: relative))
    }
  }

  /// The events for a `convert` input: the object `location` names, or every image under it
  /// when its key is "" or ends in `/`. A failed listing is one failed event.
  public static func events(
    for location: S3Location, client: S3Client, variants: [String], localOutput: Bool
  ) async -> [SourceEvent] {
    let isPrefix = location.key.isEmpty || location.key.hasSuffix("/")
    guard isPrefix else {
      let file = RemoteKeys.split(location.key).name
      return [
        .source(
          SourceItem(
            origin: .object(bucket: location.bucket, key: location.key),
            base: SourceItem.base(ofFileName: file), relativeKey: file))
      ]
    }
    do throws(S3Error) {
      let objects = try await client.list(bucket: location.bucket, prefix: location.key)
      return events(
        objects, bucket: location.bucket, prefix: location.key, variants: variants,
        localOutput: localOutput)
    } catch {
      return [.failed(name: location.description, error: PipelineError(error, while: "listing"))]
    }
  }
}
