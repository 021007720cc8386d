#!/usr/bin/env bash
# bench.sh BASE TEST: boot the two kernels natively, interleaved, BOOTS
# times each, under qemu-system-i386 -icount shift=0,sleep=off (one guest
# nanosecond is one instruction) with one vCPU; each boot runs
# guest/bench.c REPEATS times.  The median over all repeats of all boots is
# the cost of an op; the table of TEST/BASE ratios and a plot go to
# out/bench/ and into Documentation/benchmarks.md between its markers:
# <!-- MARK:begin --> and <!-- MARK:end -->, MARK=$BENCH_MARK (default
# bench: PARAVIRT=n against PARAVIRT_XXL, the one with the plot; make
# bench-pv writes bench-pv, PARAVIRT=y against PARAVIRT_XXL).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

base=${1:?usage: bench.sh BASE TEST}
test=${2:?usage: bench.sh BASE TEST}
BOOTS=${BOOTS:-3}
REPEATS=${REPEATS:-7}
MARK=${BENCH_MARK:-bench}
B=$OUT/bench/$MARK
mkdir -p "$B"
raw=$B/raw.tsv
: >"$raw"

for ((i = 1; i <= BOOTS; i++)); do
	for k in "$base" "$test"; do
		step BENCH "$k: boot $i of $BOOTS, $REPEATS repeats"
		CPUS=1 TIMEOUT=${TIMEOUT:-900} QEMU_EXTRA="-icount shift=0,sleep=off" \
		APPEND="guest.tests=bench guest.bench=$REPEATS" \
			"$TOP/tools/boot-native.sh" "$k" >"$B/boot.out" 2>&1 ||
			{ cat "$B/boot.out" >&2; die "benchmark boot of $k failed"; }
		grep -q '^ok .* - 90-bench$' "$LOGDIR/boot-$k.tap" ||
			die "the benchmark failed in the guest: see $LOGDIR/boot-$k.tap"
		sed -n 's/^# bench \([^ ]*\) \([0-9]*\) \([0-9.]*\)$/\1\t\2\t\3/p' "$LOGDIR/boot-$k.tap" |
			sed "s/^/$k\t$i\t/" >>"$raw"
	done
done

# Medians per op and kernel, the ratio, and the spread (max/min - 1) of
# each kernel's samples.
awk -F'\t' -v base="$base" -v test="$test" '
function median(key,   n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	lo[key] = a[1]; hi[key] = a[n]; cnt[key] = n
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ key = $1 SUBSEP $3; vals[key] = vals[key] " " $5; if (!($3 in seen)) { seen[$3] = 1; ops[++nops] = $3 } }
END {
	for (i = 1; i <= nops; i++) {
		op = ops[i]
		mb = median(base SUBSEP op); mt = median(test SUBSEP op)
		printf "%s\t%.1f\t%.1f\t%+.2f\t%.1f\t%.1f\t%d\n", op, mb, mt, (mt / mb - 1) * 100,
			(hi[base SUBSEP op] / lo[base SUBSEP op] - 1) * 100,
			(hi[test SUBSEP op] / lo[test SUBSEP op] - 1) * 100, cnt[test SUBSEP op]
	}
}' "$raw" >"$B/summary.tsv"

{
	echo "| op | $base (instructions) | $test (instructions) | change | spread $base | spread $test | samples |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' '{printf "| %s | %s | %s | %s%% | %s%% | %s%% | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$B/summary.tsv"
	echo
	echo "Median of $BOOTS boots x $REPEATS repeats per kernel, interleaved boots;"
	echo "one vCPU, \`qemu-system-i386 -icount shift=0,sleep=off\`; measured $(date -u +%Y-%m-%d)."
} >"$B/table.md"
cat "$B/table.md"

gnuplot <<EOG >"$LOGDIR/gnuplot.log" 2>&1 || step BENCH "gnuplot failed: $LOGDIR/gnuplot.log"
set terminal pngcairo size 900,420 font ",10"
set output "$B/ratios.png"
set title "$test against $base: extra instructions per op (median)"
set ylabel "change (%)"
set style fill solid 0.6
set boxwidth 0.6
set grid ytics
set xtics rotate by -20
set yrange [*<0:0.5<*]
set offsets 0, 0, graph 0.1, 0
set arrow from graph 0, first 0.3 to graph 1, first 0.3 nohead dt 2 lc rgb "red"
plot "$B/summary.tsv" using 0:4:xtic(1) with boxes notitle, \
     "" using 0:4:(sprintf("%+.2f", \$4)) with labels offset 0,1 notitle
EOG

# Into the documentation, between the markers.
doc=$TOP/Documentation/benchmarks.md
if [ -f "$doc" ] && grep -q "^<!-- $MARK:begin -->\$" "$doc"; then
	awk -v tbl="$B/table.md" -v b="<!-- $MARK:begin -->" -v e="<!-- $MARK:end -->" '
		$0 == b { print; while ((getline l < tbl) > 0) print l; skip = 1; next }
		$0 == e { skip = 0 }
		!skip' "$doc" >"$doc.new" && mv "$doc.new" "$doc"
	[ "$MARK" != bench ] || [ ! -f "$B/ratios.png" ] || cp "$B/ratios.png" "$TOP/Documentation/benchmarks.png"
	step BENCH "table written to Documentation/benchmarks.md ($MARK)"
else
	step BENCH "Documentation/benchmarks.md has no <!-- $MARK:begin --> marker: table only in $B/table.md"
fi
