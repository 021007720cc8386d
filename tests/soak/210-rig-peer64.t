#!/usr/bin/env bash
# The 64-bit PV peer (Debian's 6.1 amd64 kernel as a PV domU) on the rig:
# boots to userspace with its root on xvda, runs the guest tests, and ends
# cleanly; and `xl shutdown` ends a running peer (peer64hold) cleanly.
# In `make soak`, not `make test`: host A keeps one short run there
# (tests/220, pvgrub32), and this control has not failed since the rig
# was built; it costs two minutes of a 15-minute warm run.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || bail "the rig needs root (mmdebstrap); run as root"
name=t-peer64
run=$OUT/rig/runs/$name
log=$OUT/rig/$name.out
mkdir -p "$OUT/rig"
"$TOP/tools/rig/scenario.sh" -q -n "$name" peer64 peer64hold >"$log" 2>&1
rc=$?
diag <"$log"
ok $rc "scenario peer64 + peer64hold: every stage passed"
con=$run/results/guest-peer64.log
tr -d '\r' <"$con" 2>/dev/null | grep -q 'EXT4-fs (xvda): mounted' &&
	tr -d '\r' <"$con" | grep -q 'rig-initrd: /dev/xvda mounted, switching to /init'
ok $? "peer64 mounted its root from xvda and started /init"
guest_results "$run/peer64.tap" peer64
grep -Eq '^guest-shutdown +peer64 +ok .*reason=poweroff' "$run/stages.txt" 2>/dev/null
ok $? "peer64 ended with a clean power-off ($(grep -o 'by=[^ ]*' "$run/stages.txt" 2>/dev/null | head -n1))"
grep -Eq '^guest-shutdown +peer64hold +ok .*by=xl-shutdown reason=poweroff' "$run/stages.txt" 2>/dev/null &&
	tr -d '\r' <"$run/results/guest-peer64hold.log" | grep -q 'placeholder: shutdown requested'
ok $? "xl shutdown ends a running peer cleanly (peer64hold)"
! cat "$con" "$run/results/guest-peer64hold.log" 2>/dev/null | grep -qE 'BUG:|Oops|Kernel panic'
ok $? "no BUG, Oops or panic in the peers' console logs"
[ -f "$run/stages.txt" ] && diag <"$run/stages.txt"
done_testing
