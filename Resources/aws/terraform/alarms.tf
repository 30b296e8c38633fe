# Every failure reaches a person: CloudWatch alarms on what can go wrong, sent to an SNS
# topic (encrypted with a key of this deployment whose policy lets CloudWatch use it), to
# which alarm_email subscribes an address. Each alarm: a 5-minute period, one breaching
# period, missing data is fine, notified when it fires and when it clears.

data "aws_iam_policy_document" "alarm_key" {
  #checkov:skip=CKV_AWS_111:a key policy; its "*" resource is the key itself (AWS KMS Developer Guide, "Key policies")
  #checkov:skip=CKV_AWS_356:a key policy; its "*" resource is the key itself, the only one it can name
  #checkov:skip=CKV_AWS_109:a key policy; the account's administration of its own key is AWS's default statement
  # The account administers the key (AWS's default key policy statement).
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  # CloudWatch encrypts what it publishes to the topic with the key: it needs the data key.
  # (Amazon SNS Developer Guide, "Enable compatibility between event sources from AWS
  # services and encrypted topics".)
  statement {
    sid       = "CloudWatchPublishes"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_kms_key" "alarms" {
  description             = "${local.name}: encrypts the alarm topic"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.alarm_key.json
}

resource "aws_kms_alias" "alarms" {
  name          = "alias/${local.name}-alarms"
  target_key_id = aws_kms_key.alarms.key_id
}

resource "aws_sns_topic" "alarms" {
  name              = "${local.name}-alarms"
  kms_master_key_id = aws_kms_key.alarms.arn
}

data "aws_iam_policy_document" "alarm_topic" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarm_topic.json
}

# An e-mail subscription stays "pending confirmation" until the address follows the link
# AWS mails it; until then nothing is delivered there.
resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  function_dimensions = { FunctionName = aws_lambda_function.processor.function_name }
  # name => what it watches. AWS/Lambda metrics: Amazon Lambda Developer Guide, "Types of
  # metrics for Lambda functions" (Errors, Throttles and Duration per invocation;
  # AsyncEventsDropped and DestinationDeliveryFailures for asynchronous invocations).
  alarms = merge(
    {
      errors = {
        description = "Invocations answered with an error (a failure a retry may cure); after the retries they are in the failure queue."
        namespace   = "AWS/Lambda", metric = "Errors", statistic = "Sum", threshold = 1
        dimensions  = local.function_dimensions
      }
      throttles = {
        description = "Invocations refused for lack of concurrency: raise reserved_concurrency or the account's quota."
        namespace   = "AWS/Lambda", metric = "Throttles", statistic = "Sum", threshold = 1
        dimensions  = local.function_dimensions
      }
      duration = {
        description = "An invocation ran over 80 % of the timeout: raise timeout or memory_size before an image is cut off."
        namespace   = "AWS/Lambda", metric = "Duration", statistic = "Maximum", threshold = var.timeout * 1000 * 0.8
        dimensions  = local.function_dimensions
      }
      events-dropped = {
        description = "S3 notifications Lambda dropped without running them (too old, or out of retries with no destination)."
        namespace   = "AWS/Lambda", metric = "AsyncEventsDropped", statistic = "Sum", threshold = 1
        dimensions  = local.function_dimensions
      }
      destination-failures = {
        description = "Failed S3 notifications Lambda could not send to the failure queue."
        namespace   = "AWS/Lambda", metric = "DestinationDeliveryFailures", statistic = "Sum", threshold = 1
        dimensions  = local.function_dimensions
      }
      permanent-failures = {
        description = "Uploads no retry can convert (undecodable, too large, gone): see the records under .imgproc/failures/ in the processed bucket, and the log's error lines."
        namespace   = "imgproc", metric = "PermanentFailures", statistic = "Sum", threshold = 1
        dimensions  = local.function_dimensions
      }
      failure-queue = {
        description = "S3 notifications that failed every retry wait in the failure queue: aws sqs receive-message --queue-url ${aws_sqs_queue.failures.url}"
        namespace   = "AWS/SQS", metric = "ApproximateNumberOfMessagesVisible", statistic = "Maximum", threshold = 1
        dimensions  = { QueueName = aws_sqs_queue.failures.name }
      }
    },
    var.use_queue ? {
      dead-letters = {
        description = "Upload messages that failed five receives wait in the dead-letter queue."
        namespace   = "AWS/SQS", metric = "ApproximateNumberOfMessagesVisible", statistic = "Maximum", threshold = 1
        dimensions  = { QueueName = aws_sqs_queue.dead_letters[0].name }
      }
    } : {}
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.alarms
  alarm_name          = "${local.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
