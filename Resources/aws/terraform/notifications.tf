# Uploads trigger the function: directly, or through an SQS queue with a dead-letter queue.

resource "aws_lambda_permission" "from_upload_bucket" {
  count          = var.use_queue ? 0 : 1
  statement_id   = "AllowInvokeFromUploadBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.processor.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = module.upload_bucket.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_sqs_queue" "dead_letters" {
  count                     = var.use_queue ? 1 : 0
  name                      = "${local.name}-uploads-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "uploads" {
  count = var.use_queue ? 1 : 0
  name  = "${local.name}-uploads"
  # Six times the function's timeout, as Lambda's SQS guidance asks.
  visibility_timeout_seconds = var.timeout * 6
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letters[0].arn
    maxReceiveCount     = 5
  })
}

data "aws_iam_policy_document" "uploads_queue" {
  count = var.use_queue ? 1 : 0
  statement {
    sid       = "UploadBucketSends"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.uploads[0].arn]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [module.upload_bucket.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "uploads" {
  count     = var.use_queue ? 1 : 0
  queue_url = aws_sqs_queue.uploads[0].id
  policy    = data.aws_iam_policy_document.uploads_queue[0].json
}

resource "aws_lambda_event_source_mapping" "uploads" {
  count            = var.use_queue ? 1 : 0
  event_source_arn = aws_sqs_queue.uploads[0].arn
  function_name    = aws_lambda_function.processor.arn
  batch_size       = 10
  # imgproc answers with batchItemFailures: only the failed messages return to the queue.
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = module.upload_bucket.id

  dynamic "lambda_function" {
    for_each = var.use_queue ? [] : [1]
    content {
      lambda_function_arn = aws_lambda_function.processor.arn
      events              = ["s3:ObjectCreated:*"]
    }
  }

  dynamic "queue" {
    for_each = var.use_queue ? [1] : []
    content {
      queue_arn = aws_sqs_queue.uploads[0].arn
      events    = ["s3:ObjectCreated:*"]
    }
  }

  depends_on = [aws_lambda_permission.from_upload_bucket, aws_sqs_queue_policy.uploads]
}
