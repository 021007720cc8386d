#!/usr/bin/env bash
# summary.sh TAPFILE: a short report of a guest's TAP.
set -euo pipefail
tap=${1:?usage: summary.sh TAPFILE}
[ -f "$tap" ] || { echo "error: no TAP in $tap" >&2; exit 1; }
grep -E '^(ok|not ok) ' "$tap" | sed 's/^/  /'
pass=$(grep -cE '^ok ' "$tap" || true)
fail=$(grep -cE '^not ok ' "$tap" || true)
echo "guest tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
