#!/usr/bin/env bash
# Deploys imgproc to AWS Lambda: checks the tools, builds the package for the architecture
# (Resources/aws/build.sh), then terraform init and apply in Resources/aws/terraform.
# usage: Resources/aws/deploy.sh [x86_64|arm64] [terraform apply options, e.g. -var environment=prod]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
arch="${1:-x86_64}"
[ $# -gt 0 ] && shift
missing=()
for tool in aws terraform swift zip; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "deploy.sh: missing ${missing[*]}: install the AWS CLI, Terraform (>= 1.5) and Swift 6" >&2
  exit 1
fi
aws sts get-caller-identity > /dev/null || {
  echo "deploy.sh: the AWS CLI has no working credentials (aws configure, or AWS_PROFILE)" >&2
  exit 1
}
"$here/build.sh" "$arch"
zip="$root/dist/lambda/imgproc-lambda-$arch.zip"
cd "$here/terraform"
terraform init -input=false
terraform apply -input=false -var "architecture=$arch" -var "lambda_zip=$zip" "$@"
terraform output
