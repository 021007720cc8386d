#!/usr/bin/env bash
# profile.sh BASE TEST: where the instructions of each benchmark op go.
# Boots each kernel once natively (one vCPU, -icount shift=0,sleep=off as
# make bench does) with guest.bench=PROFILE_REPEATS (default 2) and the
# TCG plugin
# tools/bench/pcprof.c, which counts executed instructions per kernel
# address inside each op's timed loop (guest/bench.c brackets the loops
# with marker instructions).  tools/bench/pcprof-report.py then folds the
# addresses into vmlinux functions and prints, per op, instructions per
# operation for each kernel and the functions that differ most, from the
# last repeat (the first fork loops of a boot cost less than later ones).
# Output: out/bench/prof/<kernel>/win.N and out/bench/prof/report.txt.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

base=${1:?usage: profile.sh BASE TEST}
test=${2:?usage: profile.sh BASE TEST}
P=$OUT/bench/prof
R=${PROFILE_REPEATS:-2}
mkdir -p "$P"

# The plugin API header is not packaged by Debian 12; tools/bench has the
# subset of QEMU 7.2's that the plugin needs.
so=$P/pcprof.so
if [ ! -f "$so" ] || [ "$TOP/tools/bench/pcprof.c" -nt "$so" ]; then
	gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$so" "$TOP/tools/bench/pcprof.c"
fi

for k in "$base" "$test"; do
	rm -rf "${P:?}/$k"
	mkdir -p "$P/$k"
	step PROFILE "$k: one boot, guest.bench=$R, pcprof plugin"
	CPUS=1 TIMEOUT=${TIMEOUT:-1800} \
	QEMU_EXTRA="-icount shift=0,sleep=off -plugin $so,out=$P/$k/win" \
	APPEND="guest.tests=bench guest.bench=$R" \
		"$TOP/tools/boot-native.sh" "$k" >"$P/boot-$k.out" 2>&1 ||
		{ cat "$P/boot-$k.out" >&2; die "profile boot of $k failed"; }
	cp "$LOGDIR/boot-$k.tap" "$P/$k/bench.tap"
	cp "$OUT/build/$k/System.map" "$P/$k/System.map"
done
python3 "$TOP/tools/bench/pcprof-report.py" "$P" "$base" "$test" "$TOP/guest/bench.c" \
	>"$P/report.txt"
step PROFILE "report: ${P#"$TOP"/}/report.txt"
