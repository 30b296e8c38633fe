/// Every request `S3Client` makes: its HTTP method and the IAM action a policy must allow for
/// it. `Resources/aws/terraform/iam.tf` grants the Lambda function these actions, and the
/// deploy rehearsal (`scripts/rehearsal/iam.py`) reads them from `permission` below to check
/// that the deployed role allows every one.
public enum S3Operation: String, CaseIterable, Sendable {
  case listObjectsV2 = "ListObjectsV2"
  case headObject = "HeadObject"
  case getObject = "GetObject"
  case putObject = "PutObject"
  case createMultipartUpload = "CreateMultipartUpload"
  case uploadPart = "UploadPart"
  case completeMultipartUpload = "CompleteMultipartUpload"
  case abortMultipartUpload = "AbortMultipartUpload"
  case deleteObject = "DeleteObject"
  case createBucket = "CreateBucket"

  /// What a request does to a bucket: imgproc reads where its sources are, reads and writes
  /// where its outputs go, and creates buckets only for tests and first runs against a new
  /// local server.
  public enum Access: String, Sendable {
    case read, write, administer
  }

  /// The IAM action that allows the request, and what it does. One line per operation, in
  /// this form: the deploy rehearsal parses them.
  public var permission: (action: String, access: Access) {
    switch self {
    case .listObjectsV2: ("s3:ListBucket", .read)
    case .headObject: ("s3:GetObject", .read)
    case .getObject: ("s3:GetObject", .read)
    case .putObject: ("s3:PutObject", .write)
    case .createMultipartUpload: ("s3:PutObject", .write)
    case .uploadPart: ("s3:PutObject", .write)
    case .completeMultipartUpload: ("s3:PutObject", .write)
    case .abortMultipartUpload: ("s3:AbortMultipartUpload", .write)
    case .deleteObject: ("s3:DeleteObject", .write)
    case .createBucket: ("s3:CreateBucket", .administer)
    }
  }

  /// The request's HTTP method.
  var method: String {
    switch self {
    case .listObjectsV2, .getObject: "GET"
    case .headObject: "HEAD"
    case .putObject, .uploadPart, .createBucket: "PUT"
    case .createMultipartUpload, .completeMultipartUpload: "POST"
    case .abortMultipartUpload, .deleteObject: "DELETE"
    }
  }
}
