#!/usr/bin/env bash
# Checks Resources/aws/terraform without Terraform's providers (no registry here): every
# .tf file parses with python-hcl2, and checkov reports no failed check (the checks that do
# not apply are skipped in the files, each with a one-line reason). Installs both from PyPI
# into .build-tools/ on first use (two environments: checkov pins its own HCL parser).
# usage: scripts/check-terraform.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.build-tools"
terraform_dir="$root/Resources/aws/terraform"
python="${PYTHON:-python3}"

venv() { # NAME PACKAGE...: a virtual environment with the packages, made once
  local name="$1"; shift
  local dir="$tools/$name"
  if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c "import sys; sys.exit(0)" 2>/dev/null \
      || [ ! -f "$dir/.installed" ]; then
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
    touch "$dir/.installed"
  fi
}
venv hcl2 python-hcl2
venv checkov checkov

count=0
while IFS= read -r -d '' file; do
  "$tools/hcl2/bin/python" - "$file" <<'PY'
import sys, hcl2
path = sys.argv[1]
with open(path) as handle:
    try:
        hcl2.load(handle)
    except Exception as error:
        print(f"{path}: does not parse: {error}", file=sys.stderr)
        sys.exit(1)
PY
  count=$((count + 1))
done < <(find "$terraform_dir" -name '*.tf' -print0)
echo "check-terraform: $count files parse (python-hcl2)"
# Where Terraform itself is installed, its formatting rules too (validate would need the
# providers from the registry).
if command -v terraform > /dev/null; then
  TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive "$terraform_dir" > /dev/null
  echo "check-terraform: terraform fmt -check passes"
fi

# --skip-download: no platform or module downloads (offline); BC_* keep it quiet.
if ! BC_SKIP_MAPPING=TRUE "$tools/checkov/bin/checkov" -d "$terraform_dir" --framework terraform \
    --compact --quiet --skip-download > "$tools/checkov.out" 2>&1; then
  cat "$tools/checkov.out" >&2
  echo "check-terraform: checkov reports failed checks" >&2
  exit 1
fi
grep -E "Passed checks|Failed checks" "$tools/checkov.out" | sed 's/^/check-terraform: checkov: /'
