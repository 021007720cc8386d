#!/usr/bin/env bash
# run-tests.sh [TEST...]: run the TAP tests under prove (all of tests/*.t
# by default), keep the whole output in out/logs/test.log and end with
# the line "N passed, N failed, N skipped, N todo".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$TOP"
[ $# -gt 0 ] || set -- tests/*.t
log=$LOGDIR/test.log
prove -v --timer "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# Test points of every test file (prove -v prints them unindented; the
# guest's own TAP is re-emitted by the host tests, never counted twice).
pass=$(grep -cE '^ok [0-9]+' "$log")
# A "not ok ... # TODO reason" is a known, named difference (e.g. an x86
# selftest that fails as a Xen PV guest): reported, not a failure.
todo=$(grep -cE '^not ok [0-9]+.*# TODO' "$log")
fail=$(( $(grep -cE '^not ok [0-9]+' "$log") - todo ))
skip=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
[ "$rc" -eq 0 ] || [ "$fail" -gt 0 ] || fail=1	# a test that died counts
[ -z "${RUN_START:-}" ] || echo "# whole run (setup, builds, tests): $(( $(date +%s) - RUN_START )) s"
echo "$((pass - skip)) passed, $fail failed, $skip skipped, $todo todo"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ]
