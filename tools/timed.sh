#!/usr/bin/env bash
# timed.sh NAME CMD...: run CMD and print how long it took, so that a
# make test run shows its own time per stage (CI has 90 minutes).
t0=$(date +%s)
"${@:2}"
rc=$?
printf '  %-8s %s: %d s%s\n' TIME "$1" $(( $(date +%s) - t0 )) "$([ $rc -eq 0 ] || echo " (failed, exit $rc)")"
exit $rc
