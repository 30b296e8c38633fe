#!/usr/bin/env bash
# Deploys imgproc to AWS Lambda: checks the tools, builds the package for the architecture
# (Resources/aws/build.sh) unless --zip names one, shows the account and region, then
# terraform init and apply in Resources/aws/terraform.
#
# The settings given (the architecture, the zip, every -var NAME=VALUE) are kept in
# terraform/terraform.tfvars (not in git), which Terraform reads by itself: a later deploy.sh
# keeps them unless given again, and destroy.sh removes what they made.
#
# usage: Resources/aws/deploy.sh [--zip PATH] [--yes] [x86_64|arm64] [-var NAME=VALUE ...]
#   --zip PATH  deploy this package instead of building one
#   --yes       apply without asking
#   x86_64|arm64  the function's architecture (default: this machine's)
# The region is the AWS CLI's (AWS_REGION, then the profile), unless -var aws_region=... .
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
zip=""
approve=()
arch=""
variables=()
while [ $# -gt 0 ]; do
  case "$1" in
    --zip) zip="${2:?--zip needs a path}"; shift 2 ;;
    --yes) approve=(-auto-approve); shift ;;
    x86_64|amd64) arch=x86_64; shift ;;
    arm64|aarch64) arch=arm64; shift ;;
    -var) variables+=("${2:?-var needs NAME=VALUE}"); shift 2 ;;
    -var=*) variables+=("${1#-var=}"); shift ;;
    *) echo "deploy.sh: unknown argument '$1' (--zip PATH, --yes, x86_64|arm64, -var NAME=VALUE)" >&2; exit 2 ;;
  esac
done
if [ -z "$arch" ]; then
  case "$(uname -m)" in aarch64|arm64) arch=arm64 ;; *) arch=x86_64 ;; esac
fi
tools=(aws terraform python3)
[ -z "$zip" ] && tools+=(swift zip ldd objdump)
missing=()
for tool in "${tools[@]}"; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "deploy.sh: missing ${missing[*]}: the AWS CLI, Terraform (>= 1.5), Python 3, and to build the package Swift 6, zip and binutils" >&2
  exit 1
fi
account="$(aws sts get-caller-identity --query Account --output text)" || {
  echo "deploy.sh: the AWS CLI has no working credentials (aws configure, or AWS_PROFILE)" >&2
  exit 1
}
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region 2>/dev/null || true)}}"
for variable in "${variables[@]}"; do
  case "$variable" in aws_region=*) region="${variable#aws_region=}" ;; esac
done
if [ -z "$region" ]; then
  echo "deploy.sh: no region: set AWS_REGION, a region in your profile (aws configure), or -var aws_region=..." >&2
  exit 1
fi
if [ -z "$zip" ]; then
  "$here/build.sh" "$arch"
  zip="$root/dist/lambda/imgproc-lambda-$arch.zip"
fi
[ -f "$zip" ] || { echo "deploy.sh: $zip does not exist" >&2; exit 1; }
zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"
cd "$here/terraform"
# terraform.tfvars: what it held, then what was given now (given values win).
python3 - terraform.tfvars "architecture=$arch" "lambda_zip=$zip" "aws_region=$region" \
  "${variables[@]}" <<'PY'
import json, os, re, sys
path, given = sys.argv[1], sys.argv[2:]
values = {}
if os.path.exists(path):
    for line in open(path):
        found = re.match(r'^(\w+) = (.*)$', line.strip())
        if found:
            values[found[1]] = found[2]
for item in given:
    name, _, value = item.partition("=")
    if not re.fullmatch(r"\w+", name):
        sys.exit(f"deploy.sh: -var {item}: expected NAME=VALUE")
    # Strings, numbers and booleans alike: Terraform converts a string to the variable's type.
    values[name] = json.dumps(value)
with open(path + ".tmp", "w") as handle:
    handle.write("# Written by deploy.sh: the settings of this deployment (destroy.sh uses them too).\n")
    for name in sorted(values):
        handle.write(f"{name} = {values[name]}\n")
os.replace(path + ".tmp", path)
PY
echo "deploy.sh: account $account, region $region, architecture $arch, package $zip"
terraform init -input=false
terraform apply -input=false "${approve[@]}"
terraform output
