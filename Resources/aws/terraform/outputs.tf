output "upload_bucket" {
  description = "Where images are uploaded."
  value       = module.upload_bucket.id
}

output "processed_bucket" {
  description = "Where the variants appear."
  value       = module.processed_bucket.id
}

output "function_arn" {
  description = "The Lambda function's ARN (what a Batch Operations job invokes)."
  value       = aws_lambda_function.processor.arn
}

output "backfill_role_arn" {
  description = "The role an S3 Batch Operations backfill job runs with."
  value       = aws_iam_role.batch.arn
}

output "account_id" {
  description = "The AWS account deployed into."
  value       = data.aws_caller_identity.current.account_id
}

output "aws_region" {
  description = "The region deployed into."
  value       = data.aws_region.current.name
}

output "function_name" {
  description = "The Lambda function."
  value       = aws_lambda_function.processor.function_name
}

output "log_group" {
  description = "The function's CloudWatch log group (JSON lines; query with Logs Insights)."
  value       = aws_cloudwatch_log_group.lambda.name
}

output "example_upload" {
  description = "Upload a photo; its variants appear in the processed bucket."
  value       = "aws s3 cp photo.jpg s3://${module.upload_bucket.id}/photos/ && aws s3 ls --recursive s3://${module.processed_bucket.id}/${var.processed_prefix}"
}

output "backfill_command" {
  description = "Converts what was uploaded before the trigger existed: a manifest of the upload bucket, then an S3 Batch Operations job invoking the function once per object."
  value       = "Resources/aws/backfill.sh"
}

output "failure_queue_url" {
  description = "The queue where S3 notifications that failed every retry wait, with their error."
  value       = aws_sqs_queue.failures.url
}

output "alarm_topic_arn" {
  description = "The SNS topic every alarm notifies: subscribe to it (or set alarm_email)."
  value       = aws_sns_topic.alarms.arn
}
