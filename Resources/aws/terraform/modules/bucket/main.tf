# One private bucket: versioning, AES256 server-side encryption, all four public-access
# blocks, BucketOwnerEnforced ownership (no ACLs), a policy refusing requests without TLS, and
# lifecycle rules that bound what versioning and unfinished uploads cost.

variable "name_prefix" {
  description = "The bucket name's prefix (at most 37 characters); the provider adds a unique suffix."
  type        = string
}

variable "noncurrent_version_retention_days" {
  description = "Days a replaced or deleted version of an object is kept before it expires."
  type        = number
}

variable "force_destroy" {
  description = "Let terraform destroy delete the bucket with its objects."
  type        = bool
  default     = false
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:access logging needs a third bucket; CloudTrail data events are the alternative for an audit
  #checkov:skip=CKV_AWS_144:cross-region replication doubles storage; the outputs can be made again from the uploads
  #checkov:skip=CKV_AWS_145:AES256 (SSE-S3) as specified; SSE-KMS adds a key and a per-request cost
  #checkov:skip=CKV2_AWS_62:the upload bucket's notification is in notifications.tf; the processed bucket needs none
  bucket_prefix = var.name_prefix
  force_destroy = var.force_destroy
}

# Versioning keeps every replaced or deleted object, and an upload cut off halfway leaves
# parts that are billed until removed. Current objects never expire: how long uploads and
# outputs live is the owner's choice. (Amazon S3 User Guide, "Examples of S3 Lifecycle
# configurations": noncurrent versions, expired object delete markers, incomplete multipart
# uploads.)
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "old-versions-and-unfinished-uploads"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }
    # A delete marker with no version left behind it (those expired above) is removed.
    expiration {
      expired_object_delete_marker = true
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
  # The rule is about versions: versioning first.
  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid     = "DenyWithoutTLS"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "tls_only" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.tls_only.json
  # The public-access block first: a policy put before it could be refused.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

output "id" {
  description = "The bucket's name."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "The bucket's ARN."
  value       = aws_s3_bucket.this.arn
}
