import Crypto
import Foundation
import ImgprocConcurrency
import ImgprocHTTP
import SigV4

/// An object in a listing.
public struct S3Object: Sendable, Hashable {
  public var key: String
  public var size: Int
  /// The ETag without quotes.
  public var etag: String
}

/// A HEAD or GET answer.
public struct ObjectInfo: Sendable {
  public var size: Int
  public var etag: String
  public var contentType: String?
  /// `x-amz-meta-*` headers, names without the prefix, lower-cased.
  public var metadata: [String: String]
}

/// A hand-written S3 client: every request signed with SigV4 (`SigV4Signer`), sent through
/// an `HTTPTransport`, retried with exponential backoff and full jitter on 5xx, 429,
/// `SlowDown`, `RequestTimeout`, connection errors and answers damaged in transit (never on
/// other 4xx), at most `configuration.concurrency` requests in flight. Uploads carry
/// `Content-MD5`, which S3 verifies, and must come back with that MD5 as their ETag;
/// downloads must match their ETag where it is an MD5 (`ResponseCheck`). Secrets never
/// appear in errors or logs.
public final class S3Client: Sendable {
  public let configuration: S3Configuration
  private let credentials: CredentialProvider
  private let transport: any HTTPTransport
  private let limiter: ConcurrencyLimiter
  private let statistics = S3Statistics()

  public convenience init(
    configuration: S3Configuration, credentials: Credentials, transport: any HTTPTransport
  ) {
    self.init(
      configuration: configuration, credentials: CredentialProvider(credentials),
      transport: transport)
  }

  /// A client that asks `credentials` before every request (they may be refreshed).
  public init(
    configuration: S3Configuration, credentials: CredentialProvider, transport: any HTTPTransport
  ) {
    self.configuration = configuration
    self.credentials = credentials
    self.transport = transport
    self.limiter = ConcurrencyLimiter(limit: configuration.concurrency)
  }

  /// Requests sent so far, by method (`LIST` for bucket-level GETs), and retries.
  public var counts: S3Statistics.Snapshot { statistics.snapshot }

  // MARK: - Operations

  /// One page of ListObjectsV2 (at most 1000 keys and common prefixes). With a
  /// `delimiter`, keys that hold it after `prefix` come back as folders (common prefixes).
  public func listPage(
    bucket: String, prefix: String, delimiter: String? = nil, continuationToken: String?
  ) async throws(S3Error) -> ListingPage {
    // Keys may hold characters XML 1.0 cannot carry (control characters): ask for them
    // URL-encoded, and decode them when the answer says they are.
    var query: [(name: String, value: String)] = [
      ("encoding-type", "url"), ("list-type", "2"), ("prefix", prefix),
    ]
    if let delimiter { query.append(("delimiter", delimiter)) }
    if configuration.listPageSize < 1000 {
      query.append(("max-keys", String(configuration.listPageSize)))
    }
    if let continuationToken { query.append(("continuation-token", continuationToken)) }
    let response = try await send(
      .listObjectsV2, bucket: bucket, key: nil, query: query,
      check: .document(root: "ListBucketResult"))
    return try S3Documents.listing(response.body, bucket: bucket)
  }

  /// Every object under `prefix`, following continuation tokens.
  public func list(bucket: String, prefix: String) async throws(S3Error) -> [S3Object] {
    var all: [S3Object] = []
    var token: String?
    repeat {
      let page = try await listPage(bucket: bucket, prefix: prefix, continuationToken: token)
      all += page.objects
      token = page.next
    } while token != nil
    return all
  }

  /// HEAD: nil when the object does not exist.
  public func head(bucket: String, key: String) async throws(S3Error) -> ObjectInfo? {
    do {
      let response = try await send(.headObject, bucket: bucket, key: key, check: .objectHead)
      return S3Documents.info(response, size: Int(response.header("Content-Length") ?? "") ?? 0)
    } catch let error where error.status == 404 {
      return nil
    }
  }

  /// GET: the whole object; more than `maxBytes` stops the download (`S3Error.tooLarge`).
  public func get(bucket: String, key: String, maxBytes: Int? = nil) async throws(S3Error) -> (
    bytes: [UInt8], info: ObjectInfo
  ) {
    let response = try await send(
      .getObject, bucket: bucket, key: key, maxResponseBytes: maxBytes, check: .objectBody)
    return (response.body, S3Documents.info(response, size: response.body.count))
  }

  /// The first `firstBytes` bytes of an object (a ranged GET; fewer for a shorter object).
  public func get(bucket: String, key: String, firstBytes: Int) async throws(S3Error) -> [UInt8] {
    let response = try await send(
      .getObject, bucket: bucket, key: key,
      headers: [("range", "bytes=0-\(max(0, firstBytes - 1))")],
      maxResponseBytes: max(firstBytes, 1 << 16), check: .none)
    return Array(response.body.prefix(firstBytes))
  }

  /// PUT (multipart above `multipartThreshold`): returns the ETag.
  @discardableResult
  public func put(
    bucket: String, key: String, body: [UInt8], contentType: String,
    metadata: [String: String] = [:]
  ) async throws(S3Error) -> String {
    var headers: [(name: String, value: String)] = [("content-type", contentType)]
    for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
      headers.append(("x-amz-meta-" + name.lowercased(), HeaderText.encodeMetadata(value)))
    }
    if let sse = configuration.serverSideEncryption {
      headers.append(("x-amz-server-side-encryption", sse))
    }
    if body.count > configuration.multipartThreshold {
      return try await multipartUpload(bucket: bucket, key: key, body: body, headers: headers)
    }
    let response = try await sendStoring(
      body, .putObject, bucket: bucket, key: key, headers: headers)
    return S3Documents.unquoted(response.header("ETag") ?? "")
  }

  public func delete(bucket: String, key: String) async throws(S3Error) {
    _ = try await send(.deleteObject, bucket: bucket, key: key)
  }

  /// Creates a bucket (tests and first runs against a fresh local server).
  public func createBucket(_ bucket: String) async throws(S3Error) {
    _ = try await send(.createBucket, bucket: bucket, key: nil)
  }

  // MARK: - Multipart upload

  private func multipartUpload(
    bucket: String, key: String, body: [UInt8], headers: [(name: String, value: String)]
  ) async throws(S3Error) -> String {
    let created = try await send(
      .createMultipartUpload, bucket: bucket, key: key, query: [("uploads", "")],
      headers: headers,
      check: .document(root: "InitiateMultipartUploadResult"))
    guard let uploadID = S3Documents.value("UploadId", in: created.body) else {
      throw S3Error(
        .invalidResponse, "CreateMultipartUpload returned no UploadId", bucket: bucket, key: key)
    }
    do {
      let partSize = configuration.partSize
      let count = (body.count + partSize - 1) / partSize
      var etags = [String](repeating: "", count: count)
      try await withThrowingTaskGroup(of: (Int, String).self) { group in
        for index in 0..<count {
          let part = Array(body[(index * partSize)..<min(body.count, (index + 1) * partSize)])
          group.addTask {
            let response = try await self.sendStoring(
              part, .uploadPart, bucket: bucket, key: key,
              query: [("partNumber", String(index + 1)), ("uploadId", uploadID)])
            return (index, S3Documents.unquoted(response.header("ETag") ?? ""))
          }
        }
        for try await (index, etag) in group { etags[index] = etag }
      }
      let parts = etags.enumerated().map {
        "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\"\($0.element)\"</ETag></Part>"
      }
      let document = "<CompleteMultipartUpload>" + parts.joined() + "</CompleteMultipartUpload>"
      let completed = try await send(
        .completeMultipartUpload, bucket: bucket, key: key, query: [("uploadId", uploadID)],
        headers: [("content-type", "application/xml")], body: Array(document.utf8))
      // S3 can answer 200 with an error document when completion fails late: `send` checks.
      return S3Documents.unquoted(S3Documents.value("ETag", in: completed.body) ?? "")
    } catch {
      var failure =
        (error as? S3Error)
        ?? S3Error(
          .connection, "multipart upload failed: \(error)", bucket: bucket, key: key,
          underlying: error)
      do {
        _ = try await send(
          .abortMultipartUpload, bucket: bucket, key: key, query: [("uploadId", uploadID)])
      } catch let abort {
        failure.message +=
          "; aborting the multipart upload failed too (\(abort.serviceCode ?? abort.message)): its parts stay stored, and billed, until a lifecycle rule aborts incomplete uploads (s3:AbortMultipartUpload)"
      }
      throw failure
    }
  }

  // MARK: - Requests, signing, retries

  /// A PUT of an object or a part, with `Content-MD5`, which S3 verifies before storing, and
  /// a check that the ETag it returns is that MD5.
  private func sendStoring(
    _ body: [UInt8], _ operation: S3Operation, bucket: String, key: String,
    query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []
  ) async throws(S3Error) -> HTTPResponseData {
    try await send(
      operation, bucket: bucket, key: key, query: query,
      headers: headers + [("content-md5", ResponseCheck.md5Base64(body))], body: body,
      check: configuration.serverSideEncryption?.hasPrefix("aws:kms") == true
        ? .objectHead : .stored(md5: ResponseCheck.md5Hex(body)))
  }

  /// Signs and sends one request, retrying what is worth retrying. 2xx that passes `check` →
  /// the response; anything else → `S3Error` with S3's code and message.
  func send(
    _ operation: S3Operation, bucket: String, key: String?,
    query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], body: [UInt8] = [],
    maxResponseBytes: Int? = nil, check: ResponseCheck = .noErrorDocument
  ) async throws(S3Error) -> HTTPResponseData {
    let method = operation.method
    let payloadHash = SigV4Signer.payloadHash(body)
    var attempt = 0
    while true {
      attempt += 1
      let signer = SigV4Signer(
        credentials: try await credentials.current(), region: configuration.region)
      var signed = signedRequest(
        method, bucket: bucket, key: key, query: query, headers: headers, body: body,
        payloadHash: payloadHash, signer: signer)
      signed.maximumResponseBytes = maxResponseBytes
      let request = signed
      statistics.record(
        method: operation == .listObjectsV2 ? "LIST" : method, retry: attempt > 1)
      let outcome: Result<HTTPResponseData, S3Error>
      do {
        outcome = .success(
          try await limiter.run { () async throws(HTTPError) in
            try await self.transport.send(request)
          })
      } catch  where error.code == .responseTooLarge {
        throw S3Error(.tooLarge, error.message, bucket: bucket, key: key, underlying: error)
      } catch {
        outcome = .failure(
          S3Error(.connection, error.message, bucket: bucket, key: key, underlying: error))
      }
      switch outcome {
      case .success(let response) where (200..<300).contains(response.status):
        guard let problem = check.problem(in: response, bucket: bucket, key: key) else {
          return response
        }
        guard problem.isRetryable, attempt < configuration.maxAttempts else { throw problem }
      case .success(let response):
        let error = S3Documents.error(response, bucket: bucket, key: key)
        guard error.isRetryable, attempt < configuration.maxAttempts else { throw error }
      case .failure(let error):
        guard attempt < configuration.maxAttempts else { throw error }
      }
      try? await Task.sleep(nanoseconds: backoff(attempt: attempt))
    }
  }

  /// Full jitter: uniformly random in [0, min(20 s, base × 2^(attempt−1))].
  func backoff(attempt: Int) -> UInt64 {
    let ceiling = min(20, configuration.retryBaseDelay * pow(2, Double(attempt - 1)))
    return UInt64(Double.random(in: 0...ceiling) * 1e9)
  }

  /// The wire request: path-style or virtual-hosted, signed now.
  func signedRequest(
    _ method: String, bucket: String, key: String?, query: [(name: String, value: String)],
    headers: [(name: String, value: String)], body: [UInt8], payloadHash: String,
    signer: SigV4Signer
  ) -> HTTPRequestSpec {
    let host = configuration.pathStyle ? configuration.host : bucket + "." + configuration.host
    let hostHeader = HTTPRequestSpec.authority(
      host: host, port: configuration.port, scheme: configuration.scheme)
    let path: String
    if configuration.pathStyle {
      path = "/" + bucket + (key.map { "/" + $0 } ?? "")
    } else {
      path = "/" + (key ?? "")
    }
    let request = SigV4Request(
      method: method, path: path, query: query, headers: [("host", hostHeader)] + headers)
    let signed = signer.sign(request, payloadHash: payloadHash, date: Date())
    return HTTPRequestSpec(
      method: method, scheme: configuration.scheme, host: host, port: configuration.port,
      target: signed.target, headers: signed.headers, body: body)
  }
}

/// Counters of requests, for tests and the sync summary.
public final class S3Statistics: @unchecked Sendable {
  public struct Snapshot: Sendable, Equatable {
    public var requests: [String: Int] = [:]
    public var retries = 0
  }

  private let lock = NSLock()
  private var current = Snapshot()

  func record(method: String, retry: Bool) {
    lock.lock()
    defer { lock.unlock() }
    current.requests[method, default: 0] += 1
    if retry { current.retries += 1 }
  }

  var snapshot: Snapshot {
    lock.lock()
    defer { lock.unlock() }
    return current
  }
}
