# The function's role: least privilege.
data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "${local.iam_name}-processor-role"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "lambda" {
  # Logs: its own log group only.
  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda.arn}:*"]
  }
  # Active tracing: Lambda refuses to create a traced function whose role cannot write
  # segments. These two actions take no resource-level permissions.
  dynamic "statement" {
    for_each = var.tracing ? [1] : []
    content {
      sid       = "WriteTraces"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
  # S3: exactly the requests imgproc's client makes (Sources/ImgprocS3/S3Operation.swift,
  # checked by the deploy rehearsal): reads where the uploads are, reads and writes where the
  # outputs go; never CreateBucket. HEAD is GetObject; without ListBucket, S3 answers 403
  # instead of 404 for an object that is gone.
  statement {
    sid       = "ReadUploads"
    actions   = ["s3:GetObject"]
    resources = ["${module.upload_bucket.arn}/*"]
  }
  statement {
    sid       = "ListUploads"
    actions   = ["s3:ListBucket"]
    resources = [module.upload_bucket.arn]
  }
  # The outputs and manifests: write them (multipart uploads are PutObject; a failed one is
  # aborted), read an earlier version's manifest, delete the outputs only that earlier version
  # had (a changed upload or recipe), list the manifests and outputs.
  statement {
    sid       = "ReadWriteOutputs"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"]
    resources = ["${module.processed_bucket.arn}/*"]
  }
  statement {
    sid       = "ListOutputs"
    actions   = ["s3:ListBucket"]
    resources = [module.processed_bucket.arn]
  }
  # The on-failure destination of asynchronous invocations: Lambda sends with the
  # function's role.
  statement {
    sid       = "SendFailures"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failures.arn]
  }
  dynamic "statement" {
    for_each = var.use_queue ? [1] : []
    content {
      sid       = "ConsumeQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.uploads[0].arn]
    }
  }
}

resource "aws_iam_role_policy" "lambda" {
  name   = "${local.iam_name}-processor-policy"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}
