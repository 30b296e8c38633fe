import Foundation
import ImgprocHTTP
import ImgprocS3
import SigV4
import Testing

@Suite("S3 locations, configuration and credential precedence")
struct ConfigurationTests {
  @Test(
    "s3:// URLs keep every key byte",
    arguments: [
      ("s3://bucket", "bucket", ""), ("s3://my-bucket/", "my-bucket", ""),
      ("s3://b.c.d/photos/a b+c%/../x//y.jpg", "b.c.d", "photos/a b+c%/../x//y.jpg"),
    ])
  func locations(url: String, bucket: String, key: String) throws {
    let location = try #require(S3Location(url: url))
    #expect(location.bucket == bucket && location.key == key)
  }

  @Test(
    "invalid s3 URLs are refused",
    arguments: [
      "http://bucket/key", "s3://", "s3://ab/k", "s3://Upper/k", "s3://-bad/k", "s3://bad_/k",
    ])
  func invalidLocations(url: String) {
    #expect(S3Location(url: url) == nil)
  }

  @Test("region, endpoint and addressing follow the AWS CLI's precedence")
  func resolution() throws {
    let environment = ["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"]
    let aws = try S3Configuration.resolve(
      endpointURL: nil, region: nil, pathStyle: false, profile: nil, environment: environment)
    #expect(
      aws.region == "eu-west-1" && aws.host == "s3.eu-west-1.amazonaws.com" && !aws.pathStyle
        && aws.port == 443)
    let flag = try S3Configuration.resolve(
      endpointURL: nil, region: "ap-south-1", pathStyle: false, profile: nil,
      environment: environment)
    #expect(flag.region == "ap-south-1")
    let local = try S3Configuration.resolve(
      endpointURL: nil, region: nil, pathStyle: false, profile: nil,
      environment: [
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_ENDPOINT_URL_S3": "http://localhost:8085",
      ])
    #expect(
      local.host == "localhost" && local.port == 8085 && local.pathStyle && local.scheme == "http")
    #expect(local.region == "us-east-1")
    #expect(throws: S3Error.self) {
      try S3Configuration.resolve(
        endpointURL: "ftp://x", region: nil, pathStyle: false, profile: nil, environment: [:])
    }
  }

  @Test("credentials: flags, then environment, then the profile files")
  func credentialChain() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aws-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try """
    [default]
    aws_access_key_id = DEFAULTID
    aws_secret_access_key = defaultsecret

    [prod]
    aws_access_key_id = PRODID
    aws_secret_access_key = prodsecret
    aws_session_token = prodtoken
    """.write(to: folder.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
    try """
    [profile prod]
    region = eu-central-1
    """.write(to: folder.appendingPathComponent("config"), atomically: true, encoding: .utf8)
    let files = [
      "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("credentials").path,
      "AWS_CONFIG_FILE": folder.appendingPathComponent("config").path,
      "AWS_EC2_METADATA_DISABLED": "true",
    ]
    let transport = AsyncHTTPTransport(connectTimeout: 1, readTimeout: 1)
    let explicit = Credentials(accessKeyID: "FLAG", secretAccessKey: "flag")
    let environment = files.merging(["AWS_ACCESS_KEY_ID": "ENVID", "AWS_SECRET_ACCESS_KEY": "env"])
    { a, _ in a }
    #expect(
      try await CredentialChain(explicit: explicit, environment: environment, transport: transport)
        .resolve().credentials == explicit)
    #expect(
      try await CredentialChain(environment: environment, transport: transport).resolve()
        .credentials.accessKeyID == "ENVID")
    #expect(
      try await CredentialChain(environment: files, transport: transport).resolve().credentials
        .accessKeyID == "DEFAULTID")
    let prod = try await CredentialChain(
      environment: files.merging(["AWS_PROFILE": "prod"]) { a, _ in a }, transport: transport
    ).resolve()
    #expect(prod.credentials.sessionToken == "prodtoken" && prod.source == "profile prod")
    #expect(ProfileFiles.load(name: "prod", environment: files)?["region"] == "eu-central-1")
    let missing = try await #require(throws: S3Error.self) {
      _ = try await CredentialChain(profileName: "nope", environment: files, transport: transport)
        .resolve()
    }
    #expect(missing.description.contains("--profile"))
    let none = try await #require(throws: S3Error.self) {
      _ = try await CredentialChain(
        environment: ["HOME": folder.path + "/nowhere", "AWS_EC2_METADATA_DISABLED": "true"],
        transport: transport
      ).resolve()
    }
    #expect(none.code == .credentials)
  }
}
