import Foundation

/// CloudWatch Embedded Metric Format: JSON log lines from which CloudWatch Logs makes
/// metrics, with no API call. The `_aws` member names the namespace, the dimension sets and
/// the metrics; their values are members of the line itself. (Amazon CloudWatch User Guide,
/// "Specification: Embedded metric format".)
///
/// Every metric has the dimension `FunctionName`. Per object: `Images` (1 when converted),
/// `BytesIn`, `BytesOut` (bytes) and `ImageMilliseconds`; per failed object, also by
/// `ErrorType`: `Failures` and `PermanentFailures` (those no retry can cure, which are not
/// invocation errors: the alarm counts these); per output, by `Variant`:
/// `EncodeMilliseconds` and `OutputBytes`.
public struct EmbeddedMetrics: Sendable {
  public let namespace: String
  public let functionName: String

  public init(namespace: String, functionName: String) {
    self.namespace = namespace
    self.functionName = functionName
  }

  /// One object converted (or up to date: `converted` false).
  func object(converted: Bool, bytesIn: Int, bytesOut: Int, milliseconds: Int) -> [String: Any] {
    line(
      dimensions: [["FunctionName"]],
      values: [
        ("Images", converted ? 1 : 0, "Count"), ("BytesIn", bytesIn, "Bytes"),
        ("BytesOut", bytesOut, "Bytes"), ("ImageMilliseconds", milliseconds, "Milliseconds"),
      ])
  }

  /// One failed object: `permanent` when no retry can cure it.
  func failure(errorType: String, permanent: Bool, milliseconds: Int) -> [String: Any] {
    var document = line(
      dimensions: [["FunctionName"], ["FunctionName", "ErrorType"]],
      values: [
        ("Failures", 1, "Count"), ("PermanentFailures", permanent ? 1 : 0, "Count"),
        ("ImageMilliseconds", milliseconds, "Milliseconds"),
      ])
    document["ErrorType"] = errorType
    return document
  }

  /// One output: its encode time and size.
  func output(variant: String, milliseconds: Int, bytes: Int) -> [String: Any] {
    var document = line(
      dimensions: [["FunctionName", "Variant"]],
      values: [
        ("EncodeMilliseconds", milliseconds, "Milliseconds"), ("OutputBytes", bytes, "Bytes"),
      ])
    document["Variant"] = variant
    return document
  }

  private func line(dimensions: [[String]], values: [(name: String, value: Int, unit: String)])
    -> [String: Any]
  {
    var document: [String: Any] = [
      "_aws": [
        "Timestamp": Int64((Date().timeIntervalSince1970 * 1000).rounded()),
        "CloudWatchMetrics": [
          [
            "Namespace": namespace, "Dimensions": dimensions,
            "Metrics": values.map { ["Name": $0.name, "Unit": $0.unit] },
          ]
        ],
      ],
      "FunctionName": functionName,
    ]
    for value in values { document[value.name] = value.value }
    return document
  }
}
