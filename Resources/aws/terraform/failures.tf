# Transient failures reach a queue a person can read.
#
# The function answers an error only for what a retry may cure (throttling, 5xx, a deadline
# too close). Lambda retries an asynchronous invocation (an S3 notification) that answers an
# error `max_retry_attempts` times, for at most `max_event_age_seconds`; then the event, with
# the error, goes to the failure queue instead of being discarded (an on-failure
# destination). In queue mode (use_queue) the uploads queue's dead-letter queue plays that
# part. Amazon Lambda Developer Guide, "Configuring error handling for asynchronous
# invocation" and "Capturing records of asynchronous invocations".
resource "aws_sqs_queue" "failures" {
  name = "${local.name}-failures"
  # 14 days, SQS's longest: time for a person to look.
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_lambda_function_event_invoke_config" "processor" {
  function_name                = aws_lambda_function.processor.function_name
  maximum_retry_attempts       = var.max_retry_attempts
  maximum_event_age_in_seconds = var.max_event_age_seconds
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failures.arn
    }
  }
  # Lambda checks that the role may send to the destination.
  depends_on = [aws_iam_role_policy.lambda]
}
