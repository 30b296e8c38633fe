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
  # Read the uploads (HEAD is GetObject).
  statement {
    sid       = "ReadUploads"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${module.upload_bucket.arn}/*"]
  }
  # Without ListBucket, S3 answers 403 instead of 404 for an upload deleted before its
  # event is handled; with it, that object is skipped as gone.
  statement {
    sid       = "ListUploads"
    actions   = ["s3:ListBucket"]
    resources = [module.upload_bucket.arn]
  }
  # Write the variants and the manifests.
  statement {
    sid       = "WriteOutputs"
    actions   = ["s3:PutObject"]
    resources = ["${module.processed_bucket.arn}/*"]
  }
  # The idempotence check: LIST the source's manifests, read an earlier version's manifest,
  # and delete the outputs only that earlier version had (a changed upload or recipe).
  statement {
    sid       = "ManifestsAndEarlierOutputs"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${module.processed_bucket.arn}/*"]
  }
  statement {
    sid       = "ListManifests"
    actions   = ["s3:ListBucket"]
    resources = [module.processed_bucket.arn]
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
