variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"
}

variable "project_name" {
  description = "Prefix of every resource name (a random suffix makes bucket names unique)."
  type        = string
  default     = "imgproc"
}

variable "environment" {
  description = "Environment tag and name part (dev, staging, prod)."
  type        = string
  default     = "dev"
}

variable "architecture" {
  description = "Lambda architecture: x86_64 or arm64 (the zip must be built for it: Resources/aws/build.sh ARCH)."
  type        = string
  default     = "x86_64"
  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "memory_size" {
  description = "Lambda memory in MB (CPU scales with it; 1769 MB and more give two vCPUs)."
  type        = number
  default     = 1024
}

variable "timeout" {
  description = "Lambda timeout in seconds."
  type        = number
  default     = 60
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and the most allowed to) the function; null (the default) reserves none. AWS refuses a value that leaves the account fewer than 10 unreserved: a new account has 10 in all, so leave it null there."
  type        = number
  default     = null
  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency == floor(var.reserved_concurrency) && var.reserved_concurrency >= 1 && var.reserved_concurrency <= 1000, false)
    error_message = "reserved_concurrency must be null (no reservation) or a whole number from 1 to 1000 (0 would stop every invocation; 1000 is an account's default quota)."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the function's logs."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "LOG_LEVEL of the function: debug, info, warning or error."
  type        = string
  default     = "info"
}

variable "recipe" {
  description = "RECIPE of the function: default, or a recipe as JSON (see README)."
  type        = string
  default     = "default"
}

variable "processed_prefix" {
  description = "Key prefix of the outputs in the processed bucket (\"\" for the bucket's root)."
  type        = string
  default     = ""
}

variable "use_queue" {
  description = "Deliver upload events through an SQS queue (with a dead-letter queue) instead of invoking the function directly."
  type        = bool
  default     = false
}

variable "lambda_zip" {
  description = "Path of the package Resources/aws/build.sh makes."
  type        = string
  default     = "../../../dist/lambda/imgproc-lambda-x86_64.zip"
}

variable "tracing" {
  description = "X-Ray active tracing of every invocation (the role is granted the X-Ray writes it needs)."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let terraform destroy delete the buckets with their objects (destroy.sh sets it)."
  type        = bool
  default     = false
}
