# Names: project, environment and a random suffix (bucket names are global).
resource "random_id" "suffix" {
  byte_length = 4
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name             = "${var.project_name}-${var.environment}-${random_id.suffix.hex}"
  upload_bucket    = "${local.name}-upload"
  processed_bucket = "${local.name}-processed"
  function_name    = "${local.name}-processor"
}

# The two buckets, configured alike: versioning, AES256, no public access, owner-enforced
# ownership, TLS only.
module "upload_bucket" {
  source        = "./modules/bucket"
  name          = local.upload_bucket
  force_destroy = var.force_destroy
}

module "processed_bucket" {
  source        = "./modules/bucket"
  name          = local.processed_bucket
  force_destroy = var.force_destroy
}
