#!/usr/bin/env bash
# check-x86_64.sh [CONFIG...]: the posted series must not change x86_64.
#
# For each CONFIG (default: $CHECK_X86_64, else x86_64-xen
# x86_64-defconfig) it builds vmlinux twice, from the pinned base with the
# series' leading fixes/ patches (the prerequisites that may change x86_64
# and are postable alone) and from the base with all of `series` (never
# the test queue), and compares the two images' machine code function by
# function (tools/series/objfuncs.py: objdump -d, addresses normalised).
# 0 functions may differ, appear or disappear.
#
# Its own trees (out/x86_64-check/{base,top}/linux) and build dirs
# (out/x86_64-check/{base,top}/NAME), the shared ccache, so a rerun only
# rebuilds what changed.  Per CONFIG the result and the list of differing
# functions go to out/x86_64-check/NAME.txt; a one-line summary each to
# stdout.  Exit 1 when any configuration differs or fails to build.
#
# The base side's function hashes can be kept in the repository
# (tools/series/x86_64-ref/NAME.sums.xz and NAME.key), so that a cold run
# (CI, make test) builds only the top:
#   --write-ref  after a full check, store the base side's hashes
#   --use-ref    take the base side from the reference when its key
#                matches (base tarball, the fixes/ patches' diffs, the config
#                fragments, gcc, objdump, objfuncs.py), else build it
# A run that used the reference says so; its report names the differing
# functions without their bodies (a full `make check-x86_64` shows them).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

XC=${XC:-$OUT/x86_64-check}
REF=${REF:-$TOP/tools/series/x86_64-ref}
mode=
case "${1:-}" in --write-ref|--use-ref) mode=$1; shift ;; esac
export CCACHE_DIR=${CCACHE_DIR:-$OUT/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP=2026-01-01 KBUILD_BUILD_USER=pvi386 KBUILD_BUILD_HOST=build
unset MAKEFLAGS MFLAGS MAKELEVEL
read -r -a configs <<<"${*:-${CHECK_X86_64:-x86_64-xen x86_64-defconfig}}"
for c in "${configs[@]}"; do
	[ -f "$TOP/configs/$c.config" ] || die "no such config: configs/$c.config"
	grep -q '^CONFIG_64BIT=y' "$TOP/configs/$c.config" || die "configs/$c.config is not an x86_64 configuration"
done
mkdir -p "$XC/base" "$XC/top"
exec 9>"$XC/lock"
if ! flock -n 9; then
	step WAIT "another check-x86_64 holds $XC/lock; waiting up to ${LOCK_WAIT:-3600} s"
	flock -w "${LOCK_WAIT:-3600}" 9 || die "another check-x86_64 still holds $XC/lock after ${LOCK_WAIT:-3600} s"
fi

# The trees: the base + the leading fixes/ patches, and the base + series
# (no test queue).
sed -e 's/#.*//' -e 's/[[:space:]].*//' "$TOP/series" | sed '/^$/d' |
	awk '!/^fixes\// { exit } { print }' >"$XC/fixes-series"
step TREE "x86_64 check: the base + $(grep -c . "$XC/fixes-series") fixes/ patches (${XC#"$TOP"/}/base/linux)"
TREE=$XC/base/linux SERIES=$XC/fixes-series TEST_SERIES= "$TOP/tools/tree.sh" >"$LOGDIR/x86_64-tree-base.log" 2>&1 ||
	{ tail -n 5 "$LOGDIR/x86_64-tree-base.log" >&2; die "the base tree failed; see $LOGDIR/x86_64-tree-base.log"; }
step TREE "x86_64 check: the base + series (${XC#"$TOP"/}/top/linux)"
TREE=$XC/top/linux SERIES=$TOP/series TEST_SERIES= "$TOP/tools/tree.sh" >"$LOGDIR/x86_64-tree-top.log" 2>&1 ||
	{ tail -n 5 "$LOGDIR/x86_64-tree-top.log" >&2; die "the series does not apply; see $LOGDIR/x86_64-tree-top.log"; }

# frags FRAGMENT: it and every fragment it includes, with their hashes
frags() {
	local inc
	echo "config $1 $(sha256sum <"$TOP/configs/$1" | cut -d' ' -f1)"
	for inc in $(sed -n 's/^# include:[[:space:]]*//p' "$TOP/configs/$1"); do
		frags "$inc"
	done
}

# key CONFIG: what the base side's code depends on
key() {
	local c=$1 f
	{
		echo "base $BASE_SHA256"
		# a patch's diff, not its changelog: editing the text keeps the key
		while read -r f; do
			echo "patch $f $(sed -n '/^--- a\//,$p' "$TOP/patches/$f" | sha256sum | cut -d' ' -f1)"
		done <"$XC/fixes-series"
		frags "$c.config" | sort -u
		echo "gcc $(gcc --version | head -n 1)"
		echo "objdump $(objdump --version | head -n 1)"
		echo "objfuncs $(sha256sum <"$TOP/tools/series/objfuncs.py" | cut -d' ' -f1)"
	}
}

build() {	# build SIDE CONFIG: XC/SIDE/CONFIG/vmlinux and its .funcs
	local side=$1 c=$2 b=$XC/$1/$2 log=$LOGDIR/x86_64-$1-$2.log t0
	TREE=$XC/$side/linux KCC="ccache gcc" "$TOP/tools/kconfig.sh" "$c" "$b" >/dev/null
	t0=$(date +%s)
	if ! nice -n "${NICE:-0}" make -C "$XC/$side/linux" O="$b" ARCH=x86_64 CC="ccache gcc" \
		-j"${JOBS:-$(nproc_jobs)}" vmlinux >"$log" 2>&1; then
		{ grep -E 'error:|Error [0-9]' "$log" | head -n 10; tail -n 5 "$log"; } | sed 's/^/  | /' >&2
		echo "build of $c at the $side failed; see $log" >&2
		return 1
	fi
	python3 "$TOP/tools/series/objfuncs.py" dump "$b/vmlinux" "$b/vmlinux.funcs" >/dev/null
	step BUILD "$c at the $side: $(($(date +%s) - t0)) s"
}

verify_base
rc=0
for c in "${configs[@]}"; do
	res=$XC/$c.txt
	basef=$XC/base/$c/vmlinux.funcs
	if [ "$mode" = --use-ref ] && [ -f "$REF/$c.sums.xz" ] && key "$c" | cmp -s - "$REF/$c.key"; then
		basef=$REF/$c.sums.xz
		step REF "$c: the base side from ${REF#"$TOP"/}/$c.sums.xz (its key matches)"
	elif [ "$mode" = --use-ref ]; then
		step REF "$c: no reference with a matching key: building the base side too"
	fi
	if { [ "$basef" = "$XC/base/$c/vmlinux.funcs" ] && ! build base "$c"; } || ! build top "$c"; then
		echo "$c: build failed" >"$res"
		step FAIL "$c: build failed"
		rc=1
		continue
	fi
	if [ "$mode" = --write-ref ]; then
		mkdir -p "$REF"
		python3 "$TOP/tools/series/objfuncs.py" sums "$basef" "$REF/$c.sums" &&
			xz -9 -f "$REF/$c.sums" && key "$c" >"$REF/$c.key"
		step REF "$c: wrote ${REF#"$TOP"/}/$c.sums.xz and $c.key"
	fi
	if python3 "$TOP/tools/series/objfuncs.py" diff "$basef" "$XC/top/$c/vmlinux.funcs" \
		--show "${SHOW:-5}" >"$res.new"; then
		step OK "$c: $(head -n 1 "$res.new")"
	else
		step FAIL "$c: $(head -n 1 "$res.new") (${res#"$TOP"/})"
		sed -n '2,12p' "$res.new" | sed 's/^/  | /'
		rc=1
	fi
	mv "$res.new" "$res"
done
exit $rc
