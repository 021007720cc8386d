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

# verify_base: the pinned base tarball (tools/base.sha256 names it): BASE
# if given; else SHARED_BASE's copy when its SHA256SUMS lists that name;
# else $OUT/base's, fetched there from Debian by tools/fetch-base.sh the
# first time.  Its sha256 is checked against SUMS (default: the SHA256SUMS
# beside it if that lists it, else tools/base.sha256).  Sets BASE and
# BASE_SHA256; dies naming what is missing or wrong.
verify_base() {
	local shared=${SHARED_BASE:-$TOP/../shared/base} sums=${SUMS:-} want name
	if [ -z "${BASE:-}" ]; then
		name=$(awk 'NR==1 {n=$2; sub(/^\*/, "", n); print n}' "$TOP/tools/base.sha256")
		if grep -q " \*\?$name\$" "$shared/SHA256SUMS" 2>/dev/null && [ -f "$shared/$name" ]; then
			BASE=$shared/$name
		else
			BASE=$OUT/base/$name
			[ -f "$BASE" ] || "$TOP/tools/fetch-base.sh" "$OUT/base" >&2 ||
				die "no base tarball: $name is neither in $shared nor fetched (give BASE=path/to/$name)"
		fi
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
