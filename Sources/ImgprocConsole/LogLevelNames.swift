import Logging

extension Logger.Level {
  /// The level named `text`, any case: swift-log's words (`trace`, `debug`, `info`,
  /// `notice`, `warning`, `error`, `critical`) and `warn` for `warning`, as Lambda's own log
  /// settings and the Terraform variable `log_level` accept it. Nil for any other word. The
  /// one parser of `--log-level` and `LOG_LEVEL`, for the command line and the Lambda runtime.
  public init?(named text: String) {
    let word = text.lowercased()
    if word == "warn" {
      self = .warning
      return
    }
    guard let level = Logger.Level(rawValue: word) else { return nil }
    self = level
  }

  /// The words `init(named:)` accepts, for messages.
  public static let names = "trace, debug, info, notice, warning (or warn), error or critical"
}
