import Crypto
import Foundation

/// An HTTP request as SigV4 sees it, before signing. Paths and query items are *not*
/// encoded: the signer encodes them, and the encoded forms it returns are what goes on the
/// wire, so the signed request and the sent one cannot differ.
public struct SigV4Request: Sendable {
  public var method: String
  /// The path, unencoded, starting with `/` (for S3: `/bucket/key` or `/key`).
  public var path: String
  /// Query items, unencoded; a valueless item (`?uploads`) has value "".
  public var query: [(name: String, value: String)]
  /// Header names and values; `host` must be among them.
  public var headers: [(name: String, value: String)]

  public init(
    method: String, path: String, query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)]
  ) {
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
  }
}

/// A signed request: the wire forms of path and query, and every header to send.
public struct SignedRequest: Sendable {
  /// The encoded path, exactly as signed.
  public var path: String
  /// The encoded, sorted query string without `?` ("" for none), exactly as signed.
  public var query: String
  /// The request's headers plus `x-amz-date`, `x-amz-content-sha256` (S3),
  /// `x-amz-security-token` (session credentials) and `authorization`.
  public var headers: [(name: String, value: String)]

  /// `path?query`, the request target.
  public var target: String { query.isEmpty ? path : path + "?" + query }
}

/// AWS Signature Version 4 (header-based), as a pure value: no I/O, the time is a parameter.
/// Each stage of https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
/// is its own function so that each can be tested against AWS's published vectors.
public struct SigV4Signer: Sendable {
  /// How paths are canonicalised.
  public enum PathRules: Sendable {
    /// S3: the path encoded once; no `.`/`..`/`//` normalisation.
    case s3
    /// Every other service: segments normalised (when `normalize`), then encoded — a second
    /// time for a path already percent-encoded on the wire.
    case generic(normalize: Bool)
  }

  public var credentials: Credentials
  public var region: String
  public var service: String
  public var pathRules: PathRules
  /// S3 signs the payload hash in an `x-amz-content-sha256` header.
  public var sendsContentSHA256: Bool

  public static let algorithm = "AWS4-HMAC-SHA256"
  /// The SHA-256 of an empty body.
  public static let emptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  /// A signer for S3 (`service` "s3", S3 path rules, `x-amz-content-sha256` sent).
  public init(credentials: Credentials, region: String) {
    self.init(
      credentials: credentials, region: region, service: "s3", pathRules: .s3,
      sendsContentSHA256: true)
  }

  public init(
    credentials: Credentials, region: String, service: String, pathRules: PathRules,
    sendsContentSHA256: Bool
  ) {
    self.credentials = credentials
    self.region = region
    self.service = service
    self.pathRules = pathRules
    self.sendsContentSHA256 = sendsContentSHA256
  }

  /// The hex SHA-256 of a body, for `payloadHash`.
  public static func payloadHash(_ body: some DataProtocol) -> String {
    SigV4Encoding.hex(SHA256.hash(data: body))
  }

  /// Signs `request` at `date` with the body whose hex SHA-256 is `payloadHash`.
  public func sign(_ request: SigV4Request, payloadHash: String, date: Date) -> SignedRequest {
    let (dateTime, day) = SigV4Encoding.timestamp(date)
    var headers = request.headers
    headers.append(("x-amz-date", dateTime))
    if sendsContentSHA256 { headers.append(("x-amz-content-sha256", payloadHash)) }
    if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
    let canonical = canonicalRequest(
      method: request.method, path: request.path, query: request.query, headers: headers,
      payloadHash: payloadHash)
    let scope = credentialScope(day: day)
    let toSign = stringToSign(canonicalRequest: canonical.text, dateTime: dateTime, scope: scope)
    let signature = self.signature(stringToSign: toSign, day: day)
    headers.append(
      (
        "authorization",
        "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
          + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
      ))
    return SignedRequest(path: canonical.path, query: canonical.query, headers: headers)
  }

  // MARK: - Stage 1: the canonical request

  /// The canonical request and the encoded pieces it is made of.
  public struct CanonicalRequest: Sendable {
    public var text: String
    public var path: String
    public var query: String
    public var signedHeaders: String
  }

  /// Stage 1: method, canonical URI, canonical query, canonical headers, signed headers and
  /// payload hash, one per line.
  public func canonicalRequest(
    method: String, path: String, query: [(name: String, value: String)],
    headers: [(name: String, value: String)], payloadHash: String
  ) -> CanonicalRequest {
    let uri = canonicalURI(path)
    let queryString = canonicalQuery(query)
    let (headerBlock, signed) = canonicalHeaders(headers)
    let text = [method, uri, queryString, headerBlock, signed, payloadHash].joined(separator: "\n")
    return CanonicalRequest(text: text, path: uri, query: queryString, signedHeaders: signed)
  }

  /// The path as signed and sent.
  public func canonicalURI(_ path: String) -> String {
    switch pathRules {
    case .s3:
      return SigV4Encoding.uriEncode(path.isEmpty ? "/" : path, keepSlash: true)
    case .generic(let normalize):
      // Other services sign the URI-encoded form of the path as sent; a path that is already
      // percent-encoded on the wire is thereby encoded twice.
      return SigV4Encoding.uriEncode(normalize ? Self.normalizedPath(path) : path, keepSlash: true)
    }
  }

  /// RFC 3986 path normalisation: `.` dropped, `..` pops, empty segments collapsed; the
  /// trailing slash kept.
  static func normalizedPath(_ path: String) -> String {
    var segments: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
      if segment == "." { continue }
      if segment == ".." {
        _ = segments.popLast()
        continue
      }
      segments.append(segment)
    }
    let joined = "/" + segments.joined(separator: "/")
    let trailing = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
    return trailing && joined != "/" ? joined + "/" : joined
  }

  /// Names and values encoded, sorted by name then value, joined with `&`.
  public func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
    var pairs: [(name: String, value: String)] = []
    for item in query {
      pairs.append(
        (
          SigV4Encoding.uriEncode(item.name, keepSlash: false),
          SigV4Encoding.uriEncode(item.value, keepSlash: false)
        ))
    }
    pairs.sort { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
    return pairs.map { $0.name + "=" + $0.value }.joined(separator: "&")
  }

  /// `name:value\n` per header (names lower-cased, values trimmed with inner space runs
  /// collapsed, repeated names joined with commas), sorted; and the `;`-joined names.
  public func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
    var values: [String: [String]] = [:]
    for (name, value) in headers {
      values[name.lowercased(), default: []].append(Self.trimmed(value))
    }
    let names = values.keys.sorted()
    let block = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
    return (block, names.joined(separator: ";"))
  }

  static func trimmed(_ value: String) -> String {
    value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
      .joined(separator: " ")
  }

  // MARK: - Stage 2: the string to sign

  public func credentialScope(day: String) -> String { "\(day)/\(region)/\(service)/aws4_request" }

  /// Stage 2: algorithm, timestamp, scope and the hex SHA-256 of the canonical request.
  public func stringToSign(canonicalRequest: String, dateTime: String, scope: String) -> String {
    let hash = SigV4Encoding.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
    return [Self.algorithm, dateTime, scope, hash].joined(separator: "\n")
  }

  // MARK: - Stage 3: the signature

  /// Stage 3a: HMAC-SHA256 chained over day, region, service and "aws4_request".
  public func signingKey(day: String) -> SymmetricKey {
    var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
    for part in [day, region, service, "aws4_request"] {
      key = SymmetricKey(
        data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
    }
    return key
  }

  /// Stage 3b: the hex HMAC-SHA256 of the string to sign under the signing key.
  public func signature(stringToSign: String, day: String) -> String {
    SigV4Encoding.hex(
      HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: day)))
  }
}
