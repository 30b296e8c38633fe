import Crypto
import Foundation
import ImgprocHTTP

/// What a 2xx answer must show before the client believes it: a body damaged or cut short
/// in transit, an answer without the object's ETag, or a `200 OK` whose body is an `<Error>`
/// document (S3 sends those when a request fails after the status went out) is a failure
/// worth retrying (`S3Error.Code.integrity`), never a success.
enum ResponseCheck: Sendable {
  /// Only that the body is not an `<Error>` document (bucket-level requests, multipart).
  case noErrorDocument
  /// An answer that is an XML document whose root element is `root` (a listing, a new
  /// multipart upload): a body that ends with that root's end tag. One cut short in transit
  /// does not (the caller parses the document, once).
  case document(root: String)
  /// HEAD of an object: an ETag.
  case objectHead
  /// GET of a whole object: an ETag and, where the ETag is the body's MD5 (a single-part
  /// upload not encrypted with KMS or a customer key), a body that matches it.
  case objectBody
  /// PUT of an object or a part whose body has this MD5 (hex): the ETag S3 returns is it,
  /// unless the object is encrypted with KMS or a customer key.
  case stored(md5: String)
  /// Nothing (a ranged GET: part of a body cannot be checked).
  case none

  /// Why `response` (2xx) cannot be trusted, or nil.
  func problem(in response: HTTPResponseData, bucket: String, key: String?) -> S3Error? {
    func failure(_ message: String) -> S3Error {
      S3Error(.integrity, message, bucket: bucket, key: key)
    }
    if case .none = self { return nil }
    if case .objectBody = self {
    } else if let carried = S3Documents.errorCarried(by: response, bucket: bucket, key: key) {
      return carried
    }
    if case .noErrorDocument = self { return nil }
    if case .document(let root) = self {
      let end = response.body.reversed().drop(while: S3Documents.isSpace)
      guard end.starts(with: "</\(root)>".utf8.reversed()) else {
        return failure(
          "the answer (HTTP \(response.status), \(response.body.count) bytes) is not a whole <\(root)> document"
        )
      }
      return nil
    }
    guard let etag = response.header("ETag").map(S3Documents.unquoted), !etag.isEmpty else {
      return failure("the answer (HTTP \(response.status)) carries no ETag")
    }
    guard Self.isMD5(etag), !Self.isEncryptedWithKey(response) else { return nil }
    switch self {
    case .objectBody:
      let actual = Self.md5Hex(response.body)
      guard actual == etag.lowercased() else {
        return failure(
          "the \(response.body.count) bytes received do not match the object's ETag (MD5 \(actual), expected \(etag))"
        )
      }
    case .stored(let md5):
      guard md5 == etag.lowercased() else {
        return failure(
          "S3 stored something other than what was sent (ETag \(etag), sent MD5 \(md5))")
      }
    default: break
    }
    return nil
  }

  static func md5Hex(_ bytes: [UInt8]) -> String {
    Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
  }

  static func md5Base64(_ bytes: [UInt8]) -> String {
    Data(Insecure.MD5.hash(data: bytes)).base64EncodedString()
  }

  /// A single-part ETag: 32 hex digits (a multipart one ends in `-N`).
  static func isMD5(_ etag: String) -> Bool {
    etag.utf8.count == 32
      && etag.utf8.allSatisfy { $0 < 0x80 && Character(UnicodeScalar($0)).isHexDigit }
  }

  /// Objects encrypted with KMS or a customer-provided key have ETags that are not MD5s.
  static func isEncryptedWithKey(_ response: HTTPResponseData) -> Bool {
    (response.header("x-amz-server-side-encryption") ?? "").hasPrefix("aws:kms")
      || response.header("x-amz-server-side-encryption-customer-algorithm") != nil
  }
}
