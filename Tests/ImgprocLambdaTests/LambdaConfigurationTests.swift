import Foundation
import Testing

@testable import ImgprocLambda

@Suite("Lambda configuration from the environment")
struct LambdaConfigurationTests {
  static func configuration(_ environment: [String: String]) throws(LambdaError)
    -> LambdaConfiguration
  {
    try LambdaConfiguration(environment: environment)
  }

  @Test("the original's variables, prefixes as folders, a recipe as JSON")
  func reads() throws {
    let configuration = try Self.configuration([
      "PROCESSED_BUCKET": "processed", "PROCESSED_PREFIX": "web", "UPLOAD_BUCKET": "upload",
      "LOG_LEVEL": "DEBUG", "MAX_PIXELS": "1000000",
      "RECIPE": #"{"name":"small","variants":[{"name":"t","format":"webp","width":100}]}"#,
    ])
    #expect(configuration.destination.folderPrefix == "web/")
    #expect(configuration.logLevel == .debug)
    #expect(configuration.engine.settings.decode.maxPixels == 1_000_000)
    #expect(configuration.engine.settings.recipe.name == "small")
    #expect(configuration.source(bucket: "upload").folderPrefix == "")
    let packaged = try Self.configuration([
      "PROCESSED_BUCKET": "p", "RECIPE": "thumbs",
      "LAMBDA_TASK_ROOT": URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Resources").standardized.path,
    ])
    #expect(packaged.engine.settings.recipe.name == "thumbs")
    let defaults = try Self.configuration(["PROCESSED_BUCKET": "processed"])
    #expect(defaults.engine.settings.recipe.variants.count == 5 && defaults.logLevel == .info)
  }

  @Test(
    "LOG_LEVEL takes every swift-log level, as the Terraform variable does",
    arguments: [
      ("trace", LogLevel.debug), ("debug", .debug), ("info", .info), ("notice", .notice),
      ("warning", .warning), ("warn", .warning), ("error", .error), ("critical", .error),
    ])
  func logLevels(text: String, level: LogLevel) throws {
    let configuration = try Self.configuration(["PROCESSED_BUCKET": "p", "LOG_LEVEL": text])
    #expect(configuration.logLevel == level)
  }

  @Test(
    "refused, naming the variable",
    arguments: [
      (["UPLOAD_BUCKET": "u"], "PROCESSED_BUCKET"),
      (["PROCESSED_BUCKET": "p", "MAX_PIXELS": "-3"], "MAX_PIXELS"),
      (["PROCESSED_BUCKET": "p", "LOG_LEVEL": "loud"], "LOG_LEVEL"),
      (["PROCESSED_BUCKET": "p", "RECIPE": #"{"name":"x","variants":[],"extra":1}"#], "RECIPE"),
      (["PROCESSED_BUCKET": "p", "RECIPE": "/no/such/recipe.json"], "RECIPE"),
      (["PROCESSED_BUCKET": "p", "RECIPE": "nosuchrecipe"], "RECIPE"),
      (["PROCESSED_BUCKET": "p", "MIN_REMAINING_MS": "soon"], "MIN_REMAINING_MS"),
    ])
  func refused(environment: [String: String], variable: String) {
    #expect {
      try Self.configuration(environment)
    } throws: { error in
      (error as? LambdaError)?.code == .configuration
        && (error as? LambdaError)?.message.contains(variable) == true
    }
  }

  @Test("outputs that would trigger the function again are refused; disjoint prefixes are not")
  func retrigger() throws {
    for environment in [
      ["PROCESSED_BUCKET": "b", "UPLOAD_BUCKET": "b"],
      ["PROCESSED_BUCKET": "b", "UPLOAD_BUCKET": "b", "PROCESSED_PREFIX": "out/"],
      [
        "PROCESSED_BUCKET": "b", "UPLOAD_BUCKET": "b", "UPLOAD_PREFIX": "in/",
        "PROCESSED_PREFIX": "in/web/",
      ],
    ] {
      #expect(throws: LambdaError.self, "\(environment)") { try Self.configuration(environment) }
    }
    let disjoint = try Self.configuration([
      "PROCESSED_BUCKET": "b", "UPLOAD_BUCKET": "b", "UPLOAD_PREFIX": "in/",
      "PROCESSED_PREFIX": "out/",
    ])
    #expect(disjoint.destination.folderPrefix == "out/")
  }
}
