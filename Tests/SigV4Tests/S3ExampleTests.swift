import Foundation
import SigV4
import Testing

/// AWS's worked S3 examples ("Examples: Signature Calculations in AWS Signature Version 4",
/// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
@Suite("SigV4 with S3 rules: AWS's documented examples")
struct S3ExampleTests {
  static let signer = SigV4Signer(
    credentials: Credentials(
      accessKeyID: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    region: "us-east-1")
  static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
  static let host = ("host", "examplebucket.s3.amazonaws.com")

  func authorization(_ signed: SignedRequest) -> String? {
    signed.headers.first { $0.name == "authorization" }?.value
  }

  @Test("GET Object with a Range header")
  func getObject() {
    let request = SigV4Request(
      method: "GET", path: "/test.txt", headers: [Self.host, ("Range", "bytes=0-9")])
    let signed = Self.signer.sign(
      request, payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
    #expect(
      authorization(signed)
        == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
  }

  @Test("PUT Object: a `$` in the key, a signed body")
  func putObject() {
    let body = Array("Welcome to Amazon S3.".utf8)
    let hash = SigV4Signer.payloadHash(body)
    #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    let request = SigV4Request(
      method: "PUT", path: "/test$file.text",
      headers: [
        Self.host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
        ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
      ])
    let signed = Self.signer.sign(request, payloadHash: hash, date: Self.date)
    #expect(signed.path == "/test%24file.text")
    #expect(
      authorization(signed)?.hasSuffix(
        "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd") == true)
    #expect(
      authorization(signed)?.contains(
        "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class") == true)
  }

  @Test("GET Bucket lifecycle: a valueless query parameter")
  func lifecycle() {
    let request = SigV4Request(
      method: "GET", path: "/", query: [("lifecycle", "")], headers: [Self.host])
    let signed = Self.signer.sign(
      request, payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
    #expect(signed.query == "lifecycle=")
    #expect(
      authorization(signed)?.hasSuffix(
        "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543") == true)
  }

  @Test("GET Bucket (List Objects): query sorted by name")
  func listObjects() {
    let request = SigV4Request(
      method: "GET", path: "/", query: [("prefix", "J"), ("max-keys", "2")], headers: [Self.host])
    let signed = Self.signer.sign(
      request, payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
    #expect(signed.query == "max-keys=2&prefix=J")
    #expect(
      authorization(signed)?.hasSuffix(
        "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
  }

  @Test("S3 paths are encoded once and never normalised")
  func s3Paths() {
    let signer = Self.signer
    #expect(
      signer.canonicalURI("/bucket/a b+c%d/../e//f.jpg") == "/bucket/a%20b%2Bc%25d/../e//f.jpg")
    #expect(signer.canonicalURI("/bucket/ünï/€") == "/bucket/%C3%BCn%C3%AF/%E2%82%AC")
    #expect(
      signer.canonicalQuery([("prefix", "a/b c+d=e"), ("list-type", "2")])
        == "list-type=2&prefix=a%2Fb%20c%2Bd%3De")
  }

  @Test("session credentials sign x-amz-security-token; descriptions hide secrets")
  func sessionToken() {
    let credentials = Credentials(
      accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN")
    let signer = SigV4Signer(credentials: credentials, region: "eu-west-1")
    let signed = signer.sign(
      SigV4Request(method: "GET", path: "/k", headers: [("host", "b.s3.amazonaws.com")]),
      payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
    #expect(signed.headers.contains { $0.name == "x-amz-security-token" && $0.value == "TOKEN" })
    #expect(authorization(signed)?.contains("x-amz-security-token") == true)
    #expect(!"\(credentials)".contains("SECRET") && !"\(credentials)".contains("TOKEN"))
  }

  @Test(
    "timestamps are formatted from UTC fields",
    arguments: [
      (0.0, "19700101T000000Z"), (951_782_400, "20000229T000000Z"),
      (1_440_938_160, "20150830T123600Z"),
      (4_107_542_399, "21000228T235959Z"),
    ])
  func timestamps(seconds: Double, expected: String) {
    #expect(SigV4Encoding.timestamp(Date(timeIntervalSince1970: seconds)).dateTime == expected)
  }
}
