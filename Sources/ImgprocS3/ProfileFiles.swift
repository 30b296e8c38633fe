import Foundation

/// The AWS CLI's shared files: `~/.aws/credentials` (sections `[name]`) and `~/.aws/config`
/// (sections `[profile name]`, or `[default]`), paths overridable with
/// `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`.
public enum ProfileFiles {
  /// One profile's keys, merged from both files (the credentials file wins).
  public struct Profile: Sendable {
    public var name: String
    public var values: [String: String]

    public subscript(key: String) -> String? { values[key] }
  }

  /// The profile `name` (default: `AWS_PROFILE`, else `default`), or nil when neither file
  /// has it.
  public static func load(
    name: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Profile? {
    let profile = name ?? environment["AWS_PROFILE"] ?? "default"
    let home = environment["HOME"] ?? NSHomeDirectory()
    let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials"
    let configPath = environment["AWS_CONFIG_FILE"] ?? home + "/.aws/config"
    let config = sections(configPath)
    let credentials = sections(credentialsPath)
    let fromConfig =
      config[profile == "default" ? "default" : "profile \(profile)"] ?? config[profile]
    let fromCredentials = credentials[profile]
    guard fromConfig != nil || fromCredentials != nil else { return nil }
    return Profile(
      name: profile, values: (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, new in new })
  }

  /// `[section]` → key → value, from an INI-style file (comments `#` and `;`; unreadable file: empty).
  static func sections(_ path: String) -> [String: [String: String]] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
    var result: [String: [String: String]] = [:]
    var current: String?
    for raw in text.split(whereSeparator: \.isNewline) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") && line.hasSuffix("]") {
        let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        current = name
        result[name, default: [:]] = result[name] ?? [:]
        continue
      }
      guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      result[section, default: [:]][key] = value
    }
    return result
  }
}
