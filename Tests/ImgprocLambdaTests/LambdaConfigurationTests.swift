import Foundation
import Logging
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
      "PROCESSED_BUCKET": "processed", "RECIPE": "thumbs",
      "LAMBDA_TASK_ROOT": URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Resources").standardized.path,
    ])
    #expect(packaged.engine.settings.recipe.name == "thumbs")
    let defaults = try Self.configuration(["PROCESSED_BUCKET": "processed"])
    #expect(defaults.engine.settings.recipe.variants.count == 5 && defaults.logLevel == .info)
  }

  @Test("MAX_PIXELS is by default what the function's memory holds; set, it wins")
  func maxPixelsFromMemory() throws {
    let variables = ["PROCESSED_BUCKET": "processed", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"]
    let derived = try Self.configuration(variables).engine.settings.decode.maxPixels
    #expect(derived == LambdaConfiguration.maxPixels(memoryMiB: 1024))
    // Below the command line's 268 megapixels, which 1024 MB cannot decode: 121.6 megapixels
    // for one image at a time (96 MiB + 8 B/pixel).
    #expect(derived > 100_000_000 && derived < 150_000_000, "\(derived)")
    #expect(LambdaConfiguration.maxPixels(memoryMiB: 10240) > 8 * derived)
    var set = variables
    set["MAX_PIXELS"] = "1000"
    #expect(try Self.configuration(set).engine.settings.decode.maxPixels == 1000)
  }

  @Test(
    "LOG_LEVEL takes every swift-log level, as the Terraform variable does",
    arguments: [
      ("trace", Logger.Level.trace), ("debug", .debug), ("info", .info), ("notice", .notice),
      ("warning", .warning), ("warn", .warning), ("WARN", .warning), ("error", .error),
      ("critical", .critical), ("", .info),
    ])
  func logLevels(text: String, level: Logger.Level) throws {
    let configuration = try Self.configuration(["PROCESSED_BUCKET": "processed", "LOG_LEVEL": text])
    #expect(configuration.logLevel == level)
  }

  @Test(
    "refused, naming the variable",
    arguments: [
      (["UPLOAD_BUCKET": "upload"], "PROCESSED_BUCKET"),
      (["PROCESSED_BUCKET": "processed", "MAX_PIXELS": "-3"], "MAX_PIXELS"),
      (["PROCESSED_BUCKET": "processed", "LOG_LEVEL": "loud"], "LOG_LEVEL"),
      (
        ["PROCESSED_BUCKET": "processed", "RECIPE": #"{"name":"x","variants":[],"extra":1}"#],
        "RECIPE"
      ),
      (["PROCESSED_BUCKET": "processed", "RECIPE": "/no/such/recipe.json"], "RECIPE"),
      (["PROCESSED_BUCKET": "processed", "RECIPE": "nosuchrecipe"], "RECIPE"),
      (["PROCESSED_BUCKET": "processed", "MIN_REMAINING_MS": "soon"], "MIN_REMAINING_MS"),
    ])
  func refused(environment: [String: String], variable: String) {
    #expect {
      try Self.configuration(environment)
    } throws: { error in
      (error as? LambdaError)?.code == .configuration
        && (error as? LambdaError)?.message.contains(variable) == true
    }
  }

  @Test(
    "a bucket given as a URL or an invalid name is refused at start, with the variables to set",
    arguments: [
      (
        ["PROCESSED_BUCKET": "s3://processed/"],
        "PROCESSED_BUCKET is 's3://processed/', not a bucket name: give the bucket's name alone: PROCESSED_BUCKET=processed"
      ),
      (
        ["PROCESSED_BUCKET": "processed", "UPLOAD_BUCKET": "s3://upload/photos/"],
        "UPLOAD_BUCKET=upload and UPLOAD_PREFIX=photos/"
      ),
      (["PROCESSED_BUCKET": "Processed_Bucket"], "3 to 63 lower-case letters"),
    ])
  func bucketNames(environment: [String: String], message: String) {
    #expect {
      try Self.configuration(environment)
    } throws: { error in
      (error as? LambdaError)?.code == .configuration
        && (error as? LambdaError)?.message.contains(message) == true
    }
  }

  @Test(
    "a bad RECIPE is named once, with advice for the function, never about --recipe",
    arguments: [
      (#"{"name":"x","variants":[],"extra":1}"#, "RECIPE: unknown key 'extra'"),
      ("nosuch", "RECIPE is 'nosuch'"),
      ("/no/such/recipe.json", "RECIPE is '/no/such/recipe.json'"),
    ])
  func recipeMessages(value: String, message: String) {
    #expect {
      try Self.configuration(["PROCESSED_BUCKET": "processed", "RECIPE": value])
    } throws: { error in
      let text = (error as? LambdaError)?.message ?? ""
      return text.contains(message) && text.components(separatedBy: "RECIPE").count == 2
        && !text.contains("--recipe")
    }
  }

  @Test("outputs that would trigger the function again are refused; disjoint prefixes are not")
  func retrigger() throws {
    for environment in [
      ["PROCESSED_BUCKET": "photos", "UPLOAD_BUCKET": "photos"],
      ["PROCESSED_BUCKET": "photos", "UPLOAD_BUCKET": "photos", "PROCESSED_PREFIX": "out/"],
      [
        "PROCESSED_BUCKET": "photos", "UPLOAD_BUCKET": "photos", "UPLOAD_PREFIX": "in/",
        "PROCESSED_PREFIX": "in/web/",
      ],
    ] {
      #expect(throws: LambdaError.self, "\(environment)") { try Self.configuration(environment) }
    }
    let disjoint = try Self.configuration([
      "PROCESSED_BUCKET": "photos", "UPLOAD_BUCKET": "photos", "UPLOAD_PREFIX": "in/",
      "PROCESSED_PREFIX": "out/",
    ])
    #expect(disjoint.destination.folderPrefix == "out/")
  }
}
