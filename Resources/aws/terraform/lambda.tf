resource "aws_cloudwatch_log_group" "lambda" {
  #checkov:skip=CKV_AWS_158:log lines hold keys and sizes, no image data; CloudWatch encrypts at rest by default
  #checkov:skip=CKV_AWS_338:retention is a variable (default 30 days), not the one year this check asks for
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "processor" {
  #checkov:skip=CKV_AWS_117:no VPC: the function reaches only S3 through its public endpoint, with IAM and TLS
  #checkov:skip=CKV_AWS_173:the environment holds bucket names and settings, no secrets (credentials come from the role)
  #checkov:skip=CKV_AWS_272:code signing needs a signing profile; the zip is built and deployed by the same pipeline
  #checkov:skip=CKV_AWS_115:reserved concurrency is a variable, unset by default: a new account has only 10 concurrent executions and AWS refuses to reserve below 10 unreserved
  #checkov:skip=CKV_AWS_116:direct S3 invocations retry twice; with use_queue=true the SQS queue has its dead-letter queue
  function_name = local.function_name
  description   = "imgproc: web-ready variants of every upload"
  role          = aws_iam_role.lambda.arn
  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = [var.architecture]
  filename      = var.lambda_zip
  # Read only when the zip exists: destroying needs no zip.
  source_code_hash               = fileexists(var.lambda_zip) ? filebase64sha256(var.lambda_zip) : null
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = {
      PROCESSED_BUCKET = module.processed_bucket.id
      PROCESSED_PREFIX = var.processed_prefix
      UPLOAD_BUCKET    = module.upload_bucket.id
      RECIPE           = var.recipe
      LOG_LEVEL        = var.log_level
    }
  }

  dynamic "tracing_config" {
    for_each = var.tracing ? [1] : []
    content {
      mode = "Active"
    }
  }

  lifecycle {
    precondition {
      condition     = fileexists(var.lambda_zip)
      error_message = "lambda_zip: ${var.lambda_zip} does not exist; build it with Resources/aws/build.sh ${var.architecture} (deploy.sh does)."
    }
  }

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.lambda]
}
