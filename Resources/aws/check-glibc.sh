#!/usr/bin/env bash
# Checks that no dynamic symbol of FILE... needs a glibc newer than MAX (2.34: Amazon Linux
# 2023, Lambda's provided.al2023). Prints the newest version needed; for each symbol that
# needs a newer one, one line naming the file, the symbol and the version, and exits 1.
#
# usage: Resources/aws/check-glibc.sh MAX FILE...
set -euo pipefail
max="GLIBC_$1"
shift
# Newer than MAX: sorts after it.
newer() { [ "$1" != "$max" ] && [ "$(printf '%s\n' "$max" "$1" | sort -V | tail -1)" = "$1" ]; }

# objdump -T writes a symbol's version bare or in parentheses, then the symbol's name.
versions() {
  objdump -T "$1" | awk '{
    for (i = 1; i < NF; i++) if ($i ~ /^\(?GLIBC_[0-9.]+\)?$/) { v = $i; gsub(/[()]/, "", v); print v, $NF }
  }' | sort -u
}

all=""
failed=0
for file in "$@"; do
  while read -r version symbol; do
    all+="$version"$'\n'
    if newer "$version"; then
      echo "check-glibc: $(basename "$file"): $symbol needs $version, newer than $max" >&2
      failed=1
    fi
  done < <(versions "$file")
done
newest="$(printf '%s' "$all" | sort -Vu | tail -1)"
echo "newest glibc symbol version needed: ${newest:-none} (at most $max)"
exit "$failed"
