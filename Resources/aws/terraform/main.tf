# Names: "${project_name}-${environment}" for what is unique per account and region (the
# function, its log group, queues); IAM names, unique per account, add the region. Bucket
# names are global: each bucket takes a prefix and the provider adds a unique suffix.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name          = "${var.project_name}-${var.environment}"
  function_name = "${local.name}-processor"
  iam_name      = "${local.name}-${data.aws_region.current.name}"
}

# The two buckets, configured alike: versioning, AES256, no public access, owner-enforced
# ownership, TLS only.
module "upload_bucket" {
  source                            = "./modules/bucket"
  name_prefix                       = "${local.name}-upload-"
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  force_destroy                     = var.force_destroy
}

module "processed_bucket" {
  source                            = "./modules/bucket"
  name_prefix                       = "${local.name}-processed-"
  noncurrent_version_retention_days = var.noncurrent_version_retention_days
  force_destroy                     = var.force_destroy
}
