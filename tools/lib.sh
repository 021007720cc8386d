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

# verify_base: the pinned base tarball: BASE, or the one SHARED_BASE's
# SHA256SUMS names first; its sha256 checked against SUMS (default: the
# SHA256SUMS beside it if that lists it, else tools/base.sha256).  Sets
# BASE and BASE_SHA256; dies naming what is missing or wrong.
verify_base() {
	local shared=${SHARED_BASE:-$TOP/../shared/base} sums=${SUMS:-} want
	if [ -z "${BASE:-}" ]; then
		[ -f "$shared/SHA256SUMS" ] ||
			die "no base tarball: $shared/SHA256SUMS is missing (give BASE=path/to/linux-source-6.12*.tar.xz)"
		BASE=$shared/$(awk 'NR==1 {print $2}' "$shared/SHA256SUMS" | sed 's/^\*//')
	fi
	[ -f "$BASE" ] || die "base tarball not found: $BASE"
	if [ -z "$sums" ]; then
		sums=$(dirname "$BASE")/SHA256SUMS
		grep -q " \*\?$(basename "$BASE")\$" "$sums" 2>/dev/null || sums=$TOP/tools/base.sha256
	fi
	[ -f "$sums" ] || die "checksum file not found: $sums"
	want=$(awk -v f="$(basename "$BASE")" '{n=$2; sub(/^\*/, "", n)} n == f {print $1}' "$sums")
	[ -n "$want" ] || die "$sums has no checksum for $(basename "$BASE")"
	BASE_SHA256=$(sha256sum "$BASE" | cut -d' ' -f1)
	[ "$BASE_SHA256" = "$want" ] ||
		die "checksum mismatch for $BASE: sha256 $BASE_SHA256, $sums says $want"
}
