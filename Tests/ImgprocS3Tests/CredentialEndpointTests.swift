import Foundation
import ImgprocHTTP
import ImgprocS3
import SigV4
import Testing

/// Container credentials and EC2 instance metadata (IMDSv2), served over real HTTP on
/// loopback by a small Python server that checks the headers each protocol requires.
@Suite("Credential endpoints over HTTP")
struct CredentialEndpointTests {
  static let server = """
    import json, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer
    CREDS = json.dumps({"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s3cr3t", "Token": "tok", "Expiration": "2030-01-01T00:00:00Z"}).encode()
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def reply(self, status, body):
            self.send_response(status); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        def do_PUT(self):
            if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                self.reply(200, b"imds-token")
            else:
                self.reply(400, b"")
        def do_GET(self):
            if self.path == "/container/creds":
                self.reply(200 if self.headers.get("Authorization") == "Bearer abc" else 401, CREDS)
            elif self.headers.get("X-aws-ec2-metadata-token") != "imds-token":
                self.reply(401, b"")
            elif self.path == "/latest/meta-data/iam/security-credentials/":
                self.reply(200, b"my-role")
            elif self.path == "/latest/meta-data/iam/security-credentials/my-role":
                self.reply(200, CREDS)
            else:
                self.reply(404, b"")
    server = HTTPServer(("127.0.0.1", 0), H)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """

  /// Starts the server; returns the process and its port.
  static func start() throws -> (Process, Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", server]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    return (process, Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
  }

  static func stop(_ process: Process) {
    guard process.processIdentifier > 0 else { return }  // never kill(0): the test's own group
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  @Test("container credentials: full URI with an authorization token")
  func container() async throws {
    let (process, port) = try Self.start()
    defer { Self.stop(process) }
    let chain = CredentialChain(
      environment: [
        "HOME": "/nonexistent",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/container/creds",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer abc",
      ], transport: AsyncHTTPTransport(connectTimeout: 1, readTimeout: 5))
    let (credentials, source) = try await chain.resolve()
    #expect(
      credentials
        == Credentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "s3cr3t", sessionToken: "tok"))
    #expect(source == "container credentials")
  }

  @Test("EC2 instance metadata, IMDSv2: token first, then role, then credentials")
  func instanceMetadata() async throws {
    let (process, port) = try Self.start()
    defer { Self.stop(process) }
    let chain = CredentialChain(
      environment: [
        "HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)",
      ],
      transport: AsyncHTTPTransport(connectTimeout: 1, readTimeout: 5))
    let (credentials, source) = try await chain.resolve()
    #expect(credentials.accessKeyID == "ASIAEXAMPLE" && credentials.sessionToken == "tok")
    #expect(source == "EC2 instance metadata")
  }
}
