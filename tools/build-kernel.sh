#!/usr/bin/env bash
# build-kernel.sh NAME: configure and build configs/NAME.config out of tree
# in out/build/NAME with ccache.  One progress line per step; the full log
# goes to out/logs/build-NAME.log and its relevant tail is shown on failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: build-kernel.sh NAME}
# A kernel build of its own, not a job of an outer make's jobserver
# (make test builds the kernels beside the rig: make -j2 test-builds).
unset MAKEFLAGS MFLAGS MAKELEVEL
TREE=${TREE:-$OUT/linux}
B=$OUT/build/$name
export CCACHE_DIR=${CCACHE_DIR:-$OUT/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Kbuild stamps the build time and user into the image; fixing them keeps
# ccache hits and images comparable between builds.
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2026-01-01}
export KBUILD_BUILD_USER=pvi386 KBUILD_BUILD_HOST=build

[ -d "$TREE" ] || die "no kernel tree at $TREE (run make tree)"
KCC="ccache gcc" "$TOP/tools/kconfig.sh" "$name" "$B"
ARCH=$(cat "$B/.arch")

log=$LOGDIR/build-$name.log
jobs=${JOBS:-$(nproc_jobs)}
step BUILD "$name: make -j$jobs bzImage (log: ${log#"$TOP"/})"
t0=$(date +%s)
if ! make -C "$TREE" O="$B" ARCH="$ARCH" CC="ccache gcc" -j"$jobs" bzImage >"$log" 2>&1; then
	echo "error: kernel build $name failed; from $log:" >&2
	{ grep -E 'error:|Error [0-9]|undefined reference' "$log" | head -n 20
	  echo "  ..."; tail -n 15 "$log"; } | sed 's/^/  | /' >&2
	exit 1
fi
t1=$(date +%s)
warn=$(grep -c 'warning:' "$log" || true)
step BUILD "$name: done in $((t1 - t0)) s, $warn compiler warnings -> ${B#"$TOP"/}/arch/x86/boot/bzImage"
