import Foundation
import ImgprocS3
import ImgprocTestSupport
import SigV4
import Testing

@Suite("S3 client against a real SigV4 server", .enabled(if: S3TestServer.available), .serialized)
struct S3ClientIntegrationTests {
  @Test("a wrong secret is rejected, with S3's code in the message")
  func wrongSecret() async throws {
    let good = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(good)
    let bad = try S3TestServer.client(
      Credentials(accessKeyID: "test:tester", secretAccessKey: "wrong"))
    let error = try await #require(throws: S3Error.self) {
      _ = try await bad.list(bucket: bucket, prefix: "")
    }
    #expect(error.serviceCode == "SignatureDoesNotMatch")
    #expect(
      error.description.contains("SignatureDoesNotMatch") && error.description.contains(bucket))
    #expect(!error.description.contains("testing") && !error.description.contains("wrong"))
    // Auth errors are not retried.
    #expect(bad.counts.retries == 0)
  }

  @Test(
    "awkward keys round-trip byte for byte",
    arguments: [
      "plain.jpg", "with space.jpg", "plus+sign.jpg", "percent%20literal.jpg", "ünïcödé/日本語.jpg",
      "double//slash.jpg", "dots/../up.jpg", "./dot.jpg", "trailing.", "quote'and\"amp&.jpg",
      "=equals?.jpg", "tab\there.jpg", "line\nfeed.jpg", "bell\u{7}and\u{1}soh.jpg",
      "del\u{7F}.jpg", "amp&lt;not-an-entity.jpg",
    ])
  func awkwardKeys(key: String) async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let body = Array("payload of \(key)".utf8)
    try await client.put(bucket: bucket, key: "in/" + key, body: body, contentType: "image/jpeg")
    let (bytes, info) = try await client.get(bucket: bucket, key: "in/" + key)
    #expect(bytes == body)
    #expect(info.contentType == "image/jpeg")
    let listed = try await client.list(bucket: bucket, prefix: "in/")
    #expect(listed.map(\.key) == ["in/" + key])
    #expect(try await client.head(bucket: bucket, key: "in/" + key)?.size == body.count)
    try await client.delete(bucket: bucket, key: "in/" + key)
    #expect(try await client.head(bucket: bucket, key: "in/" + key) == nil)
  }

  @Test(
    "metadata values round-trip exactly",
    arguments: [
      "plain", "tab\tinside", "café/日本語.jpg", "  leading and trailing  ", "100%41 literal",
      "=?UTF-8?B?bG9va3MgZW5jb2RlZA==?=", "line\nbreak", "nul\u{0}byte", "",
    ])
  func metadataValues(value: String) async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    try await client.put(
      bucket: bucket, key: "a.bin", body: [1], contentType: "application/octet-stream",
      metadata: ["source-key": value])
    let head = try #require(try await client.head(bucket: bucket, key: "a.bin"))
    #expect(head.metadata["source-key"] == value)
    #expect(try await client.get(bucket: bucket, key: "a.bin").info.metadata["source-key"] == value)
  }

  @Test("metadata and content type round-trip")
  func metadata() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let etag = try await client.put(
      bucket: bucket, key: "a.webp", body: [1, 2, 3], contentType: "image/webp",
      metadata: [
        "source-key": "uploads/a b+c.jpg", "source-etag": "abc123", "recipe": "default",
        "variant": "webp",
      ])
    let info = try #require(try await client.head(bucket: bucket, key: "a.webp"))
    #expect(info.etag == etag)
    #expect(info.contentType == "image/webp")
    #expect(info.metadata["source-key"] == "uploads/a b+c.jpg")
    #expect(info.metadata["variant"] == "webp" && info.metadata["recipe"] == "default")
  }

  @Test("ListObjectsV2 pages through more than 1000 objects")
  func pagination() async throws {
    let client = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(client)
    let keys = (0..<1005).map { String(format: "p/%04d.jpg", $0) }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for key in keys {
        group.addTask {
          try await client.put(bucket: bucket, key: key, body: [0], contentType: "image/jpeg")
        }
      }
      try await group.waitForAll()
    }
    let first = try await client.listPage(bucket: bucket, prefix: "p/", continuationToken: nil)
    #expect(first.objects.count == 1000 && first.next != nil)
    let all = try await client.list(bucket: bucket, prefix: "p/")
    #expect(all.map(\.key) == keys)
  }

  @Test("a big prefix is listed folder by folder, in key order; a flat one as one stream")
  func treeListing() async throws {
    // Four keys a page, so that a dozen keys make big prefixes.
    let client = try S3TestServer.client(listPageSize: 4)
    let bucket = try await S3TestServer.bucket(client)
    let keys = [
      "t/0.jpg", "t/a.jpg", "t/a/1.jpg", "t/a/2.jpg", "t/a/x/3.jpg", "t/b/1.jpg", "t/b/2.jpg",
      "t/b/3.jpg", "t/b/4.jpg", "t/b/5.jpg", "t/c.jpg", "t/\u{FC}/1.jpg",
    ]
    let flat = (0..<10).map { "f/\($0).jpg" }
    for key in keys + flat {
      try await client.put(bucket: bucket, key: key, body: [0], contentType: "image/jpeg")
    }
    let listed = try S3TestServer.client(listPageSize: 4)
    #expect(try await listed.listTree(bucket: bucket, prefix: "t/").map(\.key) == keys)
    // t/'s first page (more follow), its folder listing (6 entries: 2 pages), then a/ (one
    // page), b/ (a first page, then its folder listing: 2 pages, no folders), ü/ (one page).
    #expect(listed.counts.requests == ["LIST": 8], "\(listed.counts.requests)")
    let stream = try S3TestServer.client(listPageSize: 4)
    #expect(try await stream.listTree(bucket: bucket, prefix: "f/").map(\.key) == flat.sorted())
    // No folders: the first page, then the pages of one stream.
    #expect(stream.counts.requests == ["LIST": 4], "\(stream.counts.requests)")
    let small = try S3TestServer.client()
    #expect(try await small.listTree(bucket: bucket, prefix: "").count == 22)
    #expect(small.counts.requests == ["LIST": 1], "one page is the whole listing")
  }

  @Test("large objects go up in parts and come back whole")
  func multipart() async throws {
    let client = try S3TestServer.client(multipartThreshold: 5 << 20)
    let bucket = try await S3TestServer.bucket(client)
    var generator = SystemRandomNumberGenerator()
    let body = (0..<(12 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let etag = try await client.put(
      bucket: bucket, key: "big.png", body: body, contentType: "image/png",
      metadata: ["variant": "png"])
    #expect(etag.hasSuffix("-2"), "a multipart ETag counts its parts: \(etag)")
    let (bytes, info) = try await client.get(bucket: bucket, key: "big.png")
    #expect(bytes == body)
    #expect(info.metadata["variant"] == "png")
    #expect((client.counts.requests["POST"] ?? 0) == 2)
  }

  @Test("a user without rights is refused with AccessDenied; a missing bucket is NoSuchBucket")
  func accessDenied() async throws {
    let owner = try S3TestServer.client()
    let bucket = try await S3TestServer.bucket(owner)
    try await owner.put(bucket: bucket, key: "private.jpg", body: [1], contentType: "image/jpeg")
    let stranger = try S3TestServer.client(S3TestServer.reader)
    let denied = try await #require(throws: S3Error.self) {
      _ = try await stranger.get(bucket: bucket, key: "private.jpg")
    }
    #expect(denied.serviceCode == "AccessDenied")
    let missing = try await #require(throws: S3Error.self) {
      _ = try await owner.list(bucket: "no-such-bucket-xyz", prefix: "")
    }
    #expect(missing.serviceCode == "NoSuchBucket")
  }
}

@Suite("S3 test server")
struct S3TestServerPresence {
  @Test("the server is there when the test command promises it")
  func present() {
    if S3TestServer.required { #expect(S3TestServer.endpoint != nil) }
  }
}
