# S3 Batch Operations backfill: what was uploaded before the trigger existed is processed by
# a Batch Operations job invoking the same function once per object of a manifest (a CSV of
# bucket,key lines, or an S3 Inventory report). The job's role:

data "aws_iam_policy_document" "assume_batch" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["batchoperations.s3.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "batch" {
  name               = "${local.iam_name}-backfill-role"
  assume_role_policy = data.aws_iam_policy_document.assume_batch.json
}

data "aws_iam_policy_document" "batch" {
  statement {
    sid       = "InvokeProcessor"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.processor.arn, "${aws_lambda_function.processor.arn}:*"]
  }
  # The manifest is put under backfill/ in the processed bucket (never in the upload
  # bucket: it would trigger the function), and the completion report beside it.
  statement {
    sid       = "ReadManifest"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${module.processed_bucket.arn}/backfill/*"]
  }
  statement {
    sid       = "WriteReport"
    actions   = ["s3:PutObject"]
    resources = ["${module.processed_bucket.arn}/backfill/reports/*"]
  }
}

resource "aws_iam_role_policy" "batch" {
  name   = "${local.iam_name}-backfill-policy"
  role   = aws_iam_role.batch.id
  policy = data.aws_iam_policy_document.batch.json
}
