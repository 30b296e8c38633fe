import Foundation
import ImgprocHTTP

/// What S3 answers, read: listings, error documents, object headers. Pure functions of the
/// bytes and headers received (no I/O), so they can be fuzzed (`imgproc-fuzz s3-xml`).
public enum S3Documents {
  /// A ListObjectsV2 answer: its objects and common prefixes (keys decoded when the answer
  /// says they are URL-encoded, `encoding-type=url`) and the continuation token when it is
  /// truncated.
  public static func listing(_ body: [UInt8], bucket: String) throws(S3Error) -> ListingPage {
    guard let root = XMLElement.parse(body), root.name == "ListBucketResult" else {
      throw S3Error(
        .invalidResponse, "ListObjectsV2 did not return a ListBucketResult", bucket: bucket)
    }
    let encoded = root.value("EncodingType") == "url"
    func decoded(_ listed: String) -> String {
      encoded ? HeaderText.decodeListedKey(listed) ?? listed : listed
    }
    let objects = root.children("Contents").compactMap { item -> S3Object? in
      guard let listed = item.value("Key") else { return nil }
      return S3Object(
        key: decoded(listed), size: Int(item.value("Size") ?? "") ?? 0,
        etag: unquoted(item.value("ETag") ?? ""))
    }
    let folders = root.children("CommonPrefixes").compactMap { $0.value("Prefix").map(decoded) }
    let truncated = root.value("IsTruncated") == "true"
    return ListingPage(
      objects: objects, folders: folders,
      next: truncated ? root.value("NextContinuationToken") : nil)
  }

  /// The text of the first `name` element below the root of `body`'s XML document.
  static func value(_ name: String, in body: [UInt8]) -> String? {
    XMLElement.parse(body)?.value(name)
  }

  /// The error a non-2xx answer stands for: S3's error document, else the status.
  public static func error(_ response: HTTPResponseData, bucket: String?, key: String?) -> S3Error {
    if let root = XMLElement.parse(response.body), root.name == "Error" {
      return error(from: root, status: response.status, bucket: bucket, key: key)
    }
    let code =
      switch response.status {
      case 404: "NotFound"
      case 403: "Forbidden"
      case 400: "BadRequest"
      default: "HTTP\(response.status)"
      }
    return S3Error(
      .service(status: response.status, code: code), "HTTP \(response.status)", bucket: bucket,
      key: key)
  }

  static func error(from root: XMLElement, status: Int, bucket: String?, key: String?) -> S3Error {
    let code = root.value("Code") ?? "HTTP\(status)"
    let message = root.value("Message") ?? "HTTP \(status)"
    return S3Error(
      .service(status: status, code: code), message, bucket: root.value("BucketName") ?? bucket,
      key: root.value("Key") ?? key)
  }

  /// HEAD or GET headers: size, ETag, content type, `x-amz-meta-*` (decoded).
  public static func info(_ response: HTTPResponseData, size: Int) -> ObjectInfo {
    var metadata: [String: String] = [:]
    for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") {
      metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] =
        HeaderText.decodeMetadata(value)
    }
    return ObjectInfo(
      size: size, etag: unquoted(response.header("ETag") ?? ""),
      contentType: response.header("Content-Type"),
      metadata: metadata)
  }

  static func unquoted(_ etag: String) -> String {
    var text = Substring(etag)
    while text.first == "\"" { text.removeFirst() }
    while text.last == "\"" { text.removeLast() }
    return String(text)
  }

  /// The error a 2xx answer carries in its body (a `200 OK` whose body is an `<Error>`
  /// document), or nil.
  public static func errorCarried(by response: HTTPResponseData, bucket: String?, key: String?)
    -> S3Error?
  {
    errorDocument(response.body).map {
      error(from: $0, status: response.status, bucket: bucket, key: key)
    }
  }

  /// The `<Error>` root of `body` when that is what it is (only a body that starts with
  /// one, after an optional XML declaration and whitespace, is parsed).
  static func errorDocument(_ body: [UInt8]) -> XMLElement? {
    var rest = body[...].drop(while: isSpace)
    if rest.starts(with: Array("<?xml".utf8)), let end = rest.firstIndex(of: UInt8(ascii: ">")) {
      rest = rest[(end + 1)...].drop(while: isSpace)
    }
    guard rest.starts(with: Array("<Error>".utf8)), let root = XMLElement.parse(Array(rest)),
      root.name == "Error"
    else { return nil }
    return root
  }

  /// XML's white space: space, tab, CR, LF.
  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }
}
