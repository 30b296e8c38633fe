import Foundation
import ImgprocConcurrency
import SigV4
import Synchronization

/// Credentials as a credential source gave them: with where they came from (for messages;
/// never the secret) and, for temporary ones, when they expire.
public struct ResolvedCredentials: Sendable {
  public var credentials: Credentials
  public var source: String
  public var expiration: Date?

  public init(credentials: Credentials, source: String, expiration: Date? = nil) {
    self.credentials = credentials
    self.source = source
    self.expiration = expiration
  }
}

/// The credentials the S3 client signs with, asked for before every request. Credentials
/// that expire (container and instance-metadata ones) are fetched again before they do:
/// once less than 5 minutes, or half their lifetime, is left, so a long run (a watch) keeps
/// working. One refresh at a time; if a refresh fails while the old credentials still hold,
/// they are used and the next request tries again.
///
/// `current` and `obtained` are guarded by `state`'s mutex.
public final class CredentialProvider: Sendable {
  private let state: Locked<(current: ResolvedCredentials, obtained: Date)>
  private let refresh: (@Sendable () async throws(S3Error) -> ResolvedCredentials)?
  private let refreshing = ConcurrencyLimiter(limit: 1)

  /// Credentials that never change (flags, environment, profile files).
  public init(_ credentials: Credentials) {
    state = Locked((ResolvedCredentials(credentials: credentials, source: "given"), Date()))
    refresh = nil
  }

  /// `resolved`, fetched again with `refresh` before they expire.
  public init(
    _ resolved: ResolvedCredentials,
    refresh: @escaping @Sendable () async throws(S3Error) -> ResolvedCredentials
  ) {
    state = Locked((resolved, Date()))
    self.refresh = refresh
  }

  /// Where the credentials in use came from.
  public var source: String { state.withLock { $0.current.source } }

  public func current() async throws(S3Error) -> Credentials {
    let (current, obtained) = state.withLock { ($0.current, $0.obtained) }
    guard let refresh, Self.isDue(current.expiration, obtained: obtained) else {
      return current.credentials
    }
    return try await refreshing.run { () async throws(S3Error) -> Credentials in
      let (latest, since) = self.state.withLock { ($0.current, $0.obtained) }
      guard Self.isDue(latest.expiration, obtained: since) else { return latest.credentials }
      do throws(S3Error) {
        let fresh = try await refresh()
        self.state.withLock { $0 = (fresh, Date()) }
        return fresh.credentials
      } catch {
        guard let expiration = latest.expiration, expiration > Date() else { throw error }
        return latest.credentials
      }
    }
  }

  /// Whether credentials expiring at `expiration`, obtained at `obtained`, should be
  /// fetched again now.
  static func isDue(_ expiration: Date?, obtained: Date, now: Date = Date()) -> Bool {
    guard let expiration else { return false }
    let margin = min(300, expiration.timeIntervalSince(obtained) / 2)
    return expiration.timeIntervalSince(now) < margin
  }
}
