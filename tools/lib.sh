# Common helpers for the project's scripts; sourced, not run.
# shellcheck shell=bash

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
OUT=${OUT:-$TOP/out}
LOGDIR=${LOGDIR:-$OUT/logs}
mkdir -p "$LOGDIR"

# One progress line per step.
step() { printf '  %-8s %s\n' "$1" "$2"; }

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# run_logged NAME LOG CMD...: run CMD with all output in LOG; on failure
# print the tail of LOG and exit.
run_logged() {
	local name=$1 log=$2
	shift 2
	if ! "$@" >"$log" 2>&1; then
		printf 'error: %s failed; last lines of %s:\n' "$name" "$log" >&2
		tail -n 40 "$log" | sed 's/^/  | /' >&2
		exit 1
	fi
}

nproc_jobs() { nproc 2>/dev/null || echo 2; }
