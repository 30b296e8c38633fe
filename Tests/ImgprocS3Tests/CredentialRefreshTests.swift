import Foundation
import ImgprocConcurrency
import ImgprocHTTP
import SigV4
import Synchronization
import Testing

@testable import ImgprocS3

@Suite("Credentials that expire are refreshed before they do")
struct CredentialRefreshTests {
  final class Calls: Sendable {
    let count = Locked(0)
    func next() -> Int {
      count.withLock {
        $0 += 1
        return $0
      }
    }
    var value: Int { count.withLock { $0 } }
  }

  static func key(_ index: Int, expiring seconds: Double) -> ResolvedCredentials {
    ResolvedCredentials(
      credentials: Credentials(accessKeyID: "ASIA\(index)", secretAccessKey: "s\(index)"),
      source: "test", expiration: Date().addingTimeInterval(seconds))
  }

  @Test("refreshed once half their lifetime is gone (5 minutes at most), not before")
  func refresh() async throws {
    let calls = Calls()
    let provider = CredentialProvider(Self.key(0, expiring: 1.0)) { () async throws(S3Error) in
      Self.key(calls.next(), expiring: 1.0)
    }
    #expect(try await provider.current().accessKeyID == "ASIA0")
    #expect(calls.value == 0)
    try await Task.sleep(nanoseconds: 600_000_000)
    #expect(try await provider.current().accessKeyID == "ASIA1")
    #expect(try await provider.current().accessKeyID == "ASIA1")
    #expect(calls.value == 1)
    // Long-lived ones wait until 5 minutes before they expire.
    #expect(!CredentialProvider.isDue(Date().addingTimeInterval(3600), obtained: Date()))
    #expect(
      CredentialProvider.isDue(
        Date().addingTimeInterval(200), obtained: Date().addingTimeInterval(-3400)))
  }

  @Test("a failed refresh keeps credentials that still hold; fixed ones never refresh")
  func failures() async throws {
    let provider = CredentialProvider(Self.key(0, expiring: 0.4)) { () async throws(S3Error) in
      throw S3Error(.credentials, "endpoint down")
    }
    #expect(try await provider.current().accessKeyID == "ASIA0")
    try await Task.sleep(nanoseconds: 500_000_000)
    await #expect(throws: S3Error.self) { _ = try await provider.current() }
    let fixed = CredentialProvider(Credentials(accessKeyID: "AKID", secretAccessKey: "s"))
    #expect(try await fixed.current().accessKeyID == "AKID")
  }
}
