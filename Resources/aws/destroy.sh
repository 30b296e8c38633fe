#!/usr/bin/env bash
# Removes what deploy.sh created, the buckets' objects (every version) included, after asking.
# Uses the settings deploy.sh kept (terraform/terraform.tfvars); needs no package.
# usage: Resources/aws/destroy.sh [--yes]   (--yes: do not ask)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ask=true
case "${1:-}" in
  --yes) ask=false ;;
  "") ;;
  *) echo "destroy.sh: unknown argument '$1' (--yes)" >&2; exit 2 ;;
esac
command -v terraform > /dev/null || { echo "destroy.sh: terraform is not installed" >&2; exit 1; }
cd "$here/terraform"
# `terraform output -raw NAME` prints a warning and exits 0 when there is no state: read JSON.
output() {
  terraform output -json 2>/dev/null \
    | python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], {}).get("value", ""))' "$1" \
    2>/dev/null || true
}
upload="$(output upload_bucket)"
processed="$(output processed_bucket)"
if [ -z "$upload" ]; then
  echo "destroy.sh: nothing deployed from here (no terraform state)" >&2
  exit 1
fi
if $ask; then
  read -r -p "Delete $upload, $processed (with every object) and the function? [y/N] " answer
  [ "$answer" = y ] || [ "$answer" = Y ] || { echo "destroy.sh: nothing deleted"; exit 0; }
fi
# Versioned buckets are deleted with their objects only once force_destroy is set.
terraform apply -input=false -auto-approve -var force_destroy=true \
  -target=module.upload_bucket -target=module.processed_bucket
terraform destroy -input=false -auto-approve -var force_destroy=true
