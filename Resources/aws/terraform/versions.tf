terraform {
  required_version = ">= 1.5.0"
  # The AWS provider only (names need no random provider), so `terraform init` works from a
  # local plugin folder. No lock file is committed: one made offline covers one platform;
  # commit the .terraform.lock.hcl your first `terraform init` writes (docs/aws.md).
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

provider "aws" {
  # null: AWS_REGION, then the profile's region, as the AWS CLI.
  region = var.aws_region
  default_tags {
    tags = {
      Project     = var.project_name
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
