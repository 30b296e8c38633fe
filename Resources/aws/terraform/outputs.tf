output "upload_bucket" {
  description = "Where images are uploaded."
  value       = module.upload_bucket.id
}

output "processed_bucket" {
  description = "Where the variants appear."
  value       = module.processed_bucket.id
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

output "backfill_commands" {
  description = "Backfill the objects uploaded before the trigger: a manifest CSV, then an S3 Batch Operations job invoking the function."
  value       = <<-EOT
    aws s3api list-objects-v2 --bucket ${module.upload_bucket.id} --query 'Contents[].[Key]' --output text \
      | python3 -c 'import sys, urllib.parse; [print("${module.upload_bucket.id}," + urllib.parse.quote(k.rstrip("\n"), safe="/")) for k in sys.stdin]' > manifest.csv
    aws s3 cp manifest.csv s3://${module.processed_bucket.id}/backfill/manifest.csv
    aws s3control create-job --region ${var.aws_region} --account-id ${data.aws_caller_identity.current.account_id} \
      --no-confirmation-required --priority 10 --role-arn ${aws_iam_role.batch.arn} \
      --operation '{"LambdaInvoke":{"FunctionArn":"${aws_lambda_function.processor.arn}","InvocationSchemaVersion":"2.0"}}' \
      --manifest "{\"Spec\":{\"Format\":\"S3BatchOperations_CSV_20180820\",\"Fields\":[\"Bucket\",\"Key\"]},\"Location\":{\"ObjectArn\":\"${module.processed_bucket.arn}/backfill/manifest.csv\",\"ETag\":\"$(aws s3api head-object --bucket ${module.processed_bucket.id} --key backfill/manifest.csv --query ETag --output text)\"}}" \
      --report '{"Bucket":"${module.processed_bucket.arn}","Prefix":"backfill/reports","Format":"Report_CSV_20180820","Enabled":true,"ReportScope":"AllTasks"}'
  EOT
}
