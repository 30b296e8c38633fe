import Foundation
import SigV4
import Testing

/// AWS's SigV4 test suite (Vectors/aws-c-auth-v4, see Vectors/ORIGIN.md), run with the
/// generic-service rules it was written for: every stage is compared with the suite's files.
@Suite("SigV4 test suite (generic-service rules)")
struct TestSuiteTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Vectors/aws-c-auth-v4")

  static var cases: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  static let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }()

  struct Context: Decodable {
    struct Keys: Decodable {
      var accessKeyId: String
      var secretAccessKey: String
      var token: String?
    }
    var credentials: Keys
    var region: String
    var service: String
    var normalize: Bool
    var signBody: Bool
    var omitSessionToken: Bool?
    var timestamp: String
  }

  @Test("the suite is present")
  func present() {
    #expect(Self.cases.count == 38)
  }

  @Test("canonical request, string to sign and signature", arguments: cases)
  func vector(name: String) throws {
    let dir = Self.folder.appendingPathComponent(name)
    func file(_ n: String) throws -> String {
      try String(contentsOf: dir.appendingPathComponent(n), encoding: .utf8)
    }
    let context = try Self.decoder.decode(Context.self, from: Data(try file("context.json").utf8))
    let (method, path, query, headers, body) = parse(try file("request.txt"))
    let token = context.omitSessionToken == true ? nil : context.credentials.token
    let signer = SigV4Signer(
      credentials: Credentials(
        accessKeyID: context.credentials.accessKeyId,
        secretAccessKey: context.credentials.secretAccessKey,
        sessionToken: token),
      region: context.region, service: context.service,
      pathRules: .generic(normalize: context.normalize),
      sendsContentSHA256: context.signBody)
    let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))
    let (dateTime, day) = SigV4Encoding.timestamp(date)
    var signedHeaders = headers + [("X-Amz-Date", dateTime)]
    let payloadHash = SigV4Signer.payloadHash(Array(body.utf8))
    if context.signBody { signedHeaders.append(("x-amz-content-sha256", payloadHash)) }
    if let token { signedHeaders.append(("x-amz-security-token", token)) }
    let canonical = signer.canonicalRequest(
      method: method, path: path, query: query, headers: signedHeaders, payloadHash: payloadHash)
    #expect(canonical.text == (try file("header-canonical-request.txt")))
    let toSign = signer.stringToSign(
      canonicalRequest: canonical.text, dateTime: dateTime, scope: signer.credentialScope(day: day))
    #expect(toSign == (try file("header-string-to-sign.txt")))
    #expect(signer.signature(stringToSign: toSign, day: day) == (try file("header-signature.txt")))
    // The one-call API agrees with the stages.
    let signed = signer.sign(
      SigV4Request(method: method, path: path, query: query, headers: headers),
      payloadHash: payloadHash, date: date)
    let authorization = signed.headers.first { $0.name == "authorization" }?.value ?? ""
    #expect(authorization.hasSuffix("Signature=" + (try file("header-signature.txt"))))
  }

  /// Method, raw path, decoded query items, headers (continuation lines folded) and body.
  func parse(_ text: String) -> (
    String, String, [(name: String, value: String)], [(name: String, value: String)], String
  ) {
    let lines = text.components(separatedBy: "\n")
    let requestLine = lines[0].split(separator: " ")
    let target = requestLine.dropFirst().dropLast().joined(separator: " ")
    let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
    let query: [(name: String, value: String)] =
      parts.count > 1
      ? parts[1].split(separator: "&").map { item in
        let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(
          String.init)
        return (
          (pair[0].removingPercentEncoding ?? pair[0]),
          (pair.count > 1 ? pair[1].removingPercentEncoding ?? pair[1] : "")
        )
      } : []
    var headers: [(name: String, value: String)] = []
    var index = 1
    while index < lines.count, !lines[index].isEmpty {
      let line = lines[index]
      if line.first == " " || line.first == "\t", let last = headers.popLast() {
        headers.append((last.name, last.value + " " + line.trimmingCharacters(in: .whitespaces)))
      } else if let colon = line.firstIndex(of: ":") {
        headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
      }
      index += 1
    }
    let body = index + 1 < lines.count ? lines[(index + 1)...].joined(separator: "\n") : ""
    return (requestLine[0].description, parts[0], query, headers, body)
  }
}
