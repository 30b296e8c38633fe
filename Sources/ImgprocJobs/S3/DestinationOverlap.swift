import ImgprocPipeline
import ImgprocS3

/// One destination prefix per sync, never inside another's: a sync replaces and deletes the
/// outputs its manifests list, so an outer sync would delete what a sync into a prefix inside
/// it made (and that sync, trusting its manifests, would never make them again).
///
/// A prefix is another sync's destination when it holds a manifest folder
/// (`RemoteKeys.manifestFolder`). Those below a destination show in the folder listings a
/// sync makes of where it writes; those above it cost one LIST page per folder level.
public enum DestinationOverlap {
  /// Refuses `destination` when `folder`, a folder inside it whose `subfolders` were just
  /// listed, holds another sync's manifests: s3-sync asks of each folder it writes to, so a
  /// sync into a prefix inside this one is found before anything is written there. A
  /// bookkeeping folder there costs one LIST page, to tell a sync's manifests from
  /// `convert`'s output marker.
  static func checkNested(
    _ destination: S3Location, folder: String, subfolders: [String], client: S3Client
  ) async throws(PipelineError) {
    guard folder != destination.folderPrefix, subfolders.contains(folder + RemoteKeys.bookkeeping)
    else { return }
    let page: ListingPage
    do throws(S3Error) {
      page = try await client.listPage(
        bucket: destination.bucket, prefix: folder + RemoteKeys.manifestFolder,
        continuationToken: nil)
    } catch {
      throw PipelineError(error, while: "listing")
    }
    if !page.objects.isEmpty {
      throw refusal(destination, overlaps: S3Location(bucket: destination.bucket, key: folder))
    }
  }

  /// Refuses `destination` when a prefix above it in its bucket holds another sync's
  /// manifests: one LIST page per folder level, without listing the destination itself
  /// (what `imgproc lambda` checks at init; a sync into a prefix inside the function's
  /// destination is refused by that sync).
  public static func checkEnclosing(_ destination: S3Location, client: S3Client)
    async throws(PipelineError)
  {
    for outer in enclosingPrefixes(of: destination.folderPrefix) {
      let page: [S3Object]
      do throws(S3Error) {
        page = try await client.listPage(
          bucket: destination.bucket, prefix: outer + RemoteKeys.manifestFolder,
          continuationToken: nil
        ).objects
      } catch {
        throw PipelineError(error, while: "listing")
      }
      if !page.isEmpty {
        throw refusal(destination, overlaps: S3Location(bucket: destination.bucket, key: outer))
      }
    }
  }

  /// The folder prefixes strictly above `prefix` ("" or ending in `/`), the bucket's root
  /// first: `a/b/` → `""`, `a/`.
  static func enclosingPrefixes(of prefix: String) -> [String] {
    guard !prefix.isEmpty else { return [] }
    var found = [""]
    var current = ""
    for component in prefix.split(separator: "/", omittingEmptySubsequences: false).dropLast(2) {
      current += component + "/"
      found.append(current)
    }
    return found
  }

  private static func refusal(_ destination: S3Location, overlaps other: S3Location)
    -> PipelineError
  {
    PipelineError(
      .invalidConfiguration,
      "the destination \(destination) overlaps \(other), the destination of another sync: one would delete the other's outputs",
      hint: "give each sync a destination prefix outside the others'")
  }
}
