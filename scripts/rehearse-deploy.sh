#!/usr/bin/env bash
# The deploy rehearsal of `make test`: Resources/aws deployed, checked and destroyed against a
# local moto server standing in for a fresh AWS account (scripts/rehearsal/run.py says what
# is checked), on a copy of the Terraform folder. Prepares what it needs: a virtual
# environment with moto's server and boto3 (PyPI, into .build-tools/rehearsal on first use)
# and the AWS provider from a local plugin folder (no registry is reached).
#
# Terraform and the AWS provider are not in Debian: without them the rehearsal says so in one
# line and is skipped, unless under CI (CI=true, or IMGPROC_REHEARSAL_REQUIRED=1), where that
# is a failure. The provider is looked for in $TF_PLUGIN_DIR, /opt/tf-plugins,
# ~/.terraform.d/plugins, ~/.local/share/terraform/plugins and /usr/share/terraform/plugins.
# usage: scripts/rehearse-deploy.sh [--function IMGPROC|ZIP] [--keep]
#        (--function: the function run against the deployment, as `imgproc lambda` or the
#        zip's bootstrap; --keep: keep the work folder)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.build-tools"
python="${PYTHON:-python3}"

skip() {
  if [ "${CI:-}" = true ] || [ "${IMGPROC_REHEARSAL_REQUIRED:-0}" = 1 ]; then
    echo "rehearse-deploy: FAILED: $1 (required under CI)" >&2
    exit 1
  fi
  echo "rehearse-deploy: skipped: $1" >&2
  exit 0
}
command -v terraform > /dev/null || skip "terraform is not installed (Terraform >= 1.5, from HashiCorp)"
plugins=""
for folder in ${TF_PLUGIN_DIR:-} /opt/tf-plugins "$HOME/.terraform.d/plugins" \
    "$HOME/.local/share/terraform/plugins" /usr/share/terraform/plugins; do
  if [ -d "$folder" ] && find "$folder" -name 'terraform-provider-aws_*' -print -quit | grep -q .; then
    plugins="$folder"
    break
  fi
done
[ -n "$plugins" ] || skip "no local copy of the AWS provider (terraform-provider-aws_*; set TF_PLUGIN_DIR)"

venv="$tools/rehearsal"
if [ ! -f "$venv/.installed" ] || ! "$venv/bin/python" -c "import moto, boto3, parliament" 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]" boto3 awscli parliament
  touch "$venv/.installed"
fi
exec "$venv/bin/python" "$root/scripts/rehearsal/run.py" --plugins "$plugins" "$@"
