#!/usr/bin/env bash
# run-tests.sh [TEST...]: run the TAP tests under prove, keep the whole
# output in out/logs/test.log and end with the line
# "N passed, N failed, N skipped, N todo".
#
# Without arguments, in two phases:
#   1. tests/[0-8]*.t, TEST_JOBS (2) at a time: a rig QEMU runs on one
#      host thread (tools/rig/lib.sh) and tools/rig/scenario.sh lets two
#      run at once (RIG_QEMU_SLOTS), so the emulated hosts fill both
#      cores.  The slow ones start first (TEST_FIRST), the rest follow in
#      name order.  tests/05 first of all: on a cold run its x86_64
#      build (nice 19) is the longest and takes what the QEMUs leave.
#   2. tests/9*.t, one by one: checks across the first phase's results
#      (e.g. the domU's selftest pass set against the native one), which
#      only this run's results may feed: the files they read are removed
#      before phase 1.
# With arguments, only those tests, TEST_JOBS at a time.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$TOP"
jobs=${TEST_JOBS:-2}
case $jobs in ''|*[!0-9]*|0) die "TEST_JOBS must be a number from 1 up, not '$jobs'" ;; esac
log=$LOGDIR/test.log
: >"$log"
phase2=()
if [ $# -gt 0 ]; then
	phase1=("$@")
else
	rm -f "$LOGDIR"/selftests-*.txt "$OUT"/rig/runs/*/selftests.txt
	first=(${TEST_FIRST:-tests/05-x86_64-objects.t tests/240-rig-pv32.t tests/245-rig-pv32-smp4.t tests/220-rig-pvgrub32.t tests/10-native-boot.t tests/250-rig-pv32-hypercalls.t})
	phase1=()
	for t in "${first[@]}"; do [ ! -f "$t" ] || phase1+=("$t"); done
	for t in tests/[0-8]*.t; do
		case " ${first[*]} " in *" $t "*) ;; *) phase1+=("$t") ;; esac
	done
	for t in tests/9*.t; do [ ! -f "$t" ] || phase2+=("$t"); done
fi
# prove -j buffers each file's output and prints it whole when it ends.
prove -j"$jobs" -v --timer "${phase1[@]}" 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}
if [ ${#phase2[@]} -gt 0 ]; then
	prove -v --timer "${phase2[@]}" 2>&1 | tee -a "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
fi
# Test points of every test file (prove -v prints them unindented; the
# guest's own TAP is re-emitted by the host tests, never counted twice).
pass=$(grep -cE '^ok [0-9]+' "$log")
# A "not ok ... # TODO reason" is a known, named difference (e.g. an x86
# selftest that fails as a Xen PV guest): reported, not a failure.
todo=$(grep -cE '^not ok [0-9]+.*# TODO' "$log")
fail=$(( $(grep -cE '^not ok [0-9]+' "$log") - todo ))
skip=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
[ "$rc" -eq 0 ] || [ "$fail" -gt 0 ] || fail=1	# a test that died counts
# Each failure again at the end, where a truncated log still shows it:
# the "not ok" line with the diagnostics printed since the test point
# before it (a guest test's own [FAIL] lines among them), at most 25;
# all as comments, so that nothing reading the output counts them twice.
if [ "$fail" -gt 0 ]; then
	echo "# ---- the failures again, each with the diagnostics before it ----"
	awk '/^(not )?ok [0-9]+/ {
		if ($0 ~ /^not ok/ && $0 !~ /# TODO/) {
			for (i = (n > 25 ? n - 25 : 0); i < n; i++) print buf[i % 25]
			print "# again: " $0; print "#"
		}
		n = 0; next }
	     /^#/ { buf[n % 25] = $0; n++ }' "$log"
fi
[ -z "${RUN_START:-}" ] || echo "# whole run (setup, builds, tests): $(( $(date +%s) - RUN_START )) s"
echo "$((pass - skip)) passed, $fail failed, $skip skipped, $todo todo"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ]
