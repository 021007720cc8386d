#!/usr/bin/env bash
# A deliberately broken guest (guest/xl/broken-root.cfg: its root disk does
# not exist, so it hangs in its initramfs) fails within the bound of its
# stage (guest-userspace, set to 30 s here), the failure names the stage,
# the guest is destroyed, the log tail is shown and the run ends.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || bail "the rig needs root (mmdebstrap); run as root"
name=t-negative
bound=30
run=$OUT/rig/runs/$name
log=$OUT/rig/$name.out
mkdir -p "$OUT/rig"
"$TOP/tools/rig/scenario.sh" -q -n "$name" -T userspace=$bound broken-root >"$log" 2>&1
rc=$?
diag <"$log"
[ $rc -ne 0 ]
ok $? "the scenario fails (exit $rc)"
grep -qx 'FAIL guest-userspace broken-root' "$run/status" 2>/dev/null &&
	grep -q 'FAIL .*stage guest-userspace broken-root' "$log"
ok $? "the failure names the stage: guest-userspace of broken-root"
t=$(awk '$1 == "guest-userspace" && $2 == "broken-root" { sub(/s$/, "", $4); print $4 }' "$run/stages.txt" 2>/dev/null)
[ -n "$t" ] && awk -v t="$t" -v b=$bound 'BEGIN { exit !(t >= b - 1 && t <= b + 20) }'
ok $? "it failed at its bound (${t:-?} s for a bound of $bound s)"
sed -n '/TAIL-BEGIN .*console\/guest-broken-root.log/,/TAIL-END/p' "$log" | grep -q 'rig-initrd: \(waiting for\|root device\) .*/dev/xvdz'
ok $? "the tail of the guest's console log is shown (its initramfs waiting for /dev/xvdz)"
tr -d '\r' <"$run/serial.log" 2>/dev/null | grep -q '^RIG: destroying broken-root' &&
	! grep -q broken-root "$run/results/xl-list.txt" 2>/dev/null && [ -f "$run/results/xl-list.txt" ]
ok $? "the hung guest is destroyed"
grep -Eq '^total .*qemu exit 0$' "$run/stages.txt" 2>/dev/null
ok $? "the run ends at once: dom0 reboots and QEMU exits by itself"
done_testing
