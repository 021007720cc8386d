#!/usr/bin/env bash
# summary.sh TAPFILE...: a short report of a guest's TAP, one file per
# life of the guest (after xl reboot, a crash, a restore), and the counts
# over all of them:
#   passed   "ok N ..." without a directive
#   failed   "not ok N ..." without a TODO directive ("not ok ... # SKIP"
#            counts as failed: a skip does not say not ok), "Bail out!",
#            and a file whose plan (1..N) and test lines disagree (the
#            guest died or its output was cut)
#   skipped  "ok N ... # SKIP ..."
#   todo     "not ok N ... # TODO ..." (a known failure), and "ok N ...
#            # TODO" (a todo that passed, said so on its line)
# Directives as TAP has them: after an unescaped "#", SKIP or TODO in any
# case (SKIPPED too).  The last line is "guest tests: N passed, N failed,
# N skipped, N todo"; exit 1 when anything failed or a file is missing
# or holds no test line.
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: summary.sh TAPFILE..." >&2; exit 2; }
pass=0 fail=0 skip=0 todo=0 bad=0
for tap in "$@"; do
	if [ ! -f "$tap" ]; then
		echo "error: no TAP in $tap" >&2
		bad=1
		continue
	fi
	[ $# -gt 1 ] && echo "$tap:"
	# One line per test point: "KIND<tab>line"; then "plan N", "tests M".
	out=$(tr -d '\r' <"$tap" | awk '
		function directive(s,   i, c, d) {
			# the text after the first "#" not preceded by a backslash
			for (i = 1; i <= length(s); i++) {
				c = substr(s, i, 1)
				if (c == "\\") { i++; continue }
				if (c == "#") {
					d = toupper(substr(s, i + 1))
					sub(/^[ \t]*/, "", d)
					if (d ~ /^SKIP/) return "skip"
					if (d ~ /^TODO/) return "todo"
					return ""
				}
			}
			return ""
		}
		/^1\.\.[0-9]+/ { p = $0; sub(/^1\.\./, "", p); sub(/[^0-9].*/, "", p); plan += p; plans++; next }
		/^Bail out!/ { print "bail\t" $0; next }
		/^(not )?ok( |$)/ {
			n++
			d = directive($0)
			if ($0 ~ /^ok/) k = d == "skip" ? "skip" : d == "todo" ? "todo-passed" : "pass"
			else k = d == "todo" ? "todo" : "fail"
			print k "\t" $0
		}
		END { print "plan\t" (plans ? plan : -1); print "tests\t" n + 0 }')
	plan=$(awk -F'\t' '$1 == "plan" { print $2 }' <<<"$out")
	n=$(awk -F'\t' '$1 == "tests" { print $2 }' <<<"$out")
	awk -F'\t' '$1 != "plan" && $1 != "tests" {
		tag = $1 == "pass" ? "" : $1 == "todo-passed" ? "   [todo, passed]" : "   [" $1 "]"
		print "  " $2 tag }' <<<"$out"
	p=$(grep -c $'^pass\t' <<<"$out")
	f=$(grep -c $'^fail\t' <<<"$out")
	s=$(grep -c $'^skip\t' <<<"$out")
	t=$(grep -cE $'^todo(-passed)?\t' <<<"$out")
	b=$(grep -c $'^bail\t' <<<"$out")
	if [ "$n" = 0 ]; then
		echo "  error: $tap holds no test line" >&2
		f=$((f + 1))
	elif [ "$plan" = -1 ]; then
		echo "  error: $tap has no plan (1..N): $n tests seen" >&2
		f=$((f + 1))
	elif [ "$plan" != "$n" ]; then
		echo "  error: $tap plans $plan tests, has $n (the guest stopped early?)" >&2
		f=$((f + 1))
	fi
	pass=$((pass + p)) fail=$((fail + f + b)) skip=$((skip + s)) todo=$((todo + t))
done
echo "guest tests: $pass passed, $fail failed, $skip skipped, $todo todo"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
