# Every variable is checked at plan time: a value AWS would refuse, or one that would make
# every invocation fail, stops `terraform plan` with the rule it breaks.

variable "aws_region" {
  description = "AWS region to deploy into; null (the default) takes it as the AWS CLI does: AWS_REGION, then the profile's region."
  type        = string
  default     = null
  validation {
    condition     = var.aws_region == null || can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be null or a region name such as us-east-1 or eu-west-3."
  }
}

variable "project_name" {
  description = "First part of every resource name: 2-16 lower-case letters, digits and hyphens, starting with a letter (bucket names are made from it)."
  type        = string
  default     = "imgproc"
  validation {
    condition = alltrue([
      can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.project_name)),
      !startswith(var.project_name, "xn--"),
      !startswith(var.project_name, "sthree-"),
    ])
    error_message = "project_name must be 2-16 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit, and not starting with xn-- or sthree- (S3 bucket naming rules)."
  }
}

variable "environment" {
  description = "Second part of every resource name and the Environment tag (dev, staging, prod): 1-8 lower-case letters, digits and hyphens."
  type        = string
  default     = "dev"
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$", var.environment))
    error_message = "environment must be 1-8 lower-case letters, digits and hyphens, starting and ending with a letter or digit (S3 bucket naming rules)."
  }
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
  description = "Lambda memory in MB, 128-10240 (CPU scales with it; 1769 MB and more give two vCPUs)."
  type        = number
  default     = 1024
  validation {
    condition     = var.memory_size == floor(var.memory_size) && var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be a whole number of MB from 128 to 10240 (Lambda's range)."
  }
}

variable "timeout" {
  description = "Lambda timeout in seconds, 1-900."
  type        = number
  default     = 60
  validation {
    condition     = var.timeout == floor(var.timeout) && var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be a whole number of seconds from 1 to 900 (Lambda's range)."
  }
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
  description = "Days CloudWatch keeps the function's logs: one of the values CloudWatch Logs accepts."
  type        = number
  default     = 30
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 (CloudWatch Logs' retention values)."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days both buckets keep a replaced or deleted version of an object before it expires (current objects never expire; unfinished multipart uploads are aborted after a day)."
  type        = number
  default     = 30
  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && var.noncurrent_version_retention_days <= 3650 && floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    error_message = "noncurrent_version_retention_days must be a whole number of days from 1 to 3650."
  }
}

variable "max_retry_attempts" {
  description = "Times Lambda retries an S3 notification whose invocation failed (a transient failure: throttling, 5xx, a deadline too close) before it goes to the failure queue: 0, 1 or 2."
  type        = number
  default     = 2
  validation {
    condition     = contains([0, 1, 2], var.max_retry_attempts)
    error_message = "max_retry_attempts must be 0, 1 or 2 (Lambda's limits for asynchronous invocations)."
  }
}

variable "max_event_age_seconds" {
  description = "Seconds Lambda keeps retrying an S3 notification before it goes to the failure queue: 60 to 21600 (six hours)."
  type        = number
  default     = 21600
  validation {
    condition     = var.max_event_age_seconds >= 60 && var.max_event_age_seconds <= 21600 && floor(var.max_event_age_seconds) == var.max_event_age_seconds
    error_message = "max_event_age_seconds must be a whole number from 60 to 21600 (Lambda's limits)."
  }
}

variable "alarm_email" {
  description = "An address the alarm topic mails (\"\": none). The subscription stays pending until the address follows the link AWS mails it."
  type        = string
  default     = ""
  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address, or \"\" for none."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the function: swift-log's trace, debug, info, notice, warning, error or critical (warn for warning)."
  type        = string
  default     = "info"
  validation {
    condition     = contains(["trace", "debug", "info", "notice", "warning", "warn", "error", "critical"], var.log_level)
    error_message = "log_level must be trace, debug, info, notice, warning (or warn), error or critical: another value makes every invocation fail at init."
  }
}

variable "recipe" {
  description = "RECIPE of the function: default, thumbs or modern (the recipes packaged in the zip), or a recipe as JSON (see docs/usage.md, Recipes)."
  type        = string
  default     = "default"
  validation {
    condition     = contains(["default", "thumbs", "modern"], var.recipe) || can(jsondecode(var.recipe).variants)
    error_message = "recipe must be default, thumbs, modern, or a JSON recipe with a variants list."
  }
}

variable "processed_prefix" {
  description = "Key prefix of the outputs in the processed bucket (\"\" for the bucket's root), such as web/."
  type        = string
  default     = ""
  validation {
    condition     = var.processed_prefix == "" || (can(regex("^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]*$", var.processed_prefix)) && length(var.processed_prefix) <= 256 && !strcontains(var.processed_prefix, "//"))
    error_message = "processed_prefix must be empty or up to 256 characters of letters, digits, / and !_.*'()- (S3's safe key characters), not starting with / and without //."
  }
}

variable "use_queue" {
  description = "Deliver upload events through an SQS queue (with a dead-letter queue) instead of invoking the function directly."
  type        = bool
  default     = false
}

variable "lambda_zip" {
  description = "Path of the package Resources/aws/build.sh makes (needed to create or update the function, not to destroy it)."
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
