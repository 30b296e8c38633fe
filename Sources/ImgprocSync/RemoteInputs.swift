import ImgprocPipeline
import ImgprocS3

/// Turns command-line inputs into `RemoteSource`s for `convert`.
public enum RemoteInputs {
  /// The object `location` names, or every image under it when its key is "" or ends in `/`.
  /// With a local output, the keys' folders become local sub-folders that cannot escape it.
  public static func objects(
    _ location: S3Location, client: S3Client, localOutput: Bool, variants: [String]
  )
    async throws(S3Error) -> [RemoteSource]
  {
    let isPrefix = location.key.isEmpty || location.key.hasSuffix("/")
    if !isPrefix {
      let file = RemoteKeys.split(location.key).name
      return [
        RemoteSource(
          location: .object(bucket: location.bucket, key: location.key), folder: "",
          base: RemoteKeys.base(of: file),
          size: 0, relativeKey: file)
      ]
    }
    let objects = try await client.list(bucket: location.bucket, prefix: location.key)
    return objects.compactMap { object in
      guard !object.key.hasSuffix("/"), RemoteKeys.looksLikeImage(object.key),
        !RemoteKeys.looksLikeOwnOutput(object.key, variants: variants)
      else { return nil }
      let relative = RemoteKeys.relative(object.key, to: location.key)
      var (folder, file) = RemoteKeys.split(relative)
      if localOutput {
        let safe = RemoteKeys.localPath(folder)
        folder = safe.isEmpty ? "" : safe + "/"
      }
      return RemoteSource(
        location: .object(bucket: location.bucket, key: object.key), folder: folder,
        base: RemoteKeys.base(of: file),
        size: object.size, relativeKey: relative)
    }
  }

  /// A local file found by the `InputPlanner`.
  public static func file(_ item: SourceItem) -> RemoteSource {
    RemoteSource(
      location: .file(item.path),
      folder: item.outputSubfolder.isEmpty ? "" : item.outputSubfolder + "/",
      base: item.base, size: item.byteCount,
      relativeKey: item.outputSubfolder.isEmpty ? item.base : item.outputSubfolder + "/" + item.base
    )
  }
}
