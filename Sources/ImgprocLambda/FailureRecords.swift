import Foundation
import ImgprocConsole
import ImgprocJobs
import ImgprocPipeline
import ImgprocS3

/// Permanent failures, where an operator looks: one small JSON object per failed source
/// under `<PROCESSED_PREFIX>.imgproc/failures/`, imgproc's bookkeeping folder, which no
/// upload's outputs use and no run reads as an input. A later failure of the same source
/// replaces its record (the bucket's versions keep the earlier ones).
struct FailureRecords: Sendable {
  let client: S3Client
  let destination: S3Location

  /// The folder of the records (a key prefix).
  var folder: String { destination.folderPrefix + RemoteKeys.bookkeeping + "failures/" }

  /// Where the record of `object` goes: its bucket and key under `folder`, with `.json`.
  func key(for object: ObjectReference) -> String {
    folder + object.bucket + "/" + object.key + ".json"
  }

  /// Writes the record of `object`: its bucket, key and the version the event named, why it
  /// failed (message and type), when, and the request that tried. Returns its key.
  func record(_ object: ObjectReference, _ error: LambdaError, requestId: String?)
    async throws(S3Error) -> String
  {
    var fields: [String: Any] = [
      "bucket": object.bucket, "key": object.key, "reason": error.message,
      "errorType": error.errorType, "time": LogTime.now(),
    ]
    if let etag = object.etag { fields["etag"] = etag }
    if let version = object.versionId { fields["versionId"] = version }
    if let requestId { fields["requestId"] = requestId }
    let body =
      (try? JSONSerialization.data(
        withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    let key = key(for: object)
    _ = try await client.put(
      bucket: destination.bucket, key: key, body: Array(body), contentType: "application/json")
    return key
  }
}
