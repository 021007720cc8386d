#!/usr/bin/env bash
# Host A, Debian's Xen as shipped (no PV32), the path hosted users have:
# the 32-bit PV guest through the PV shim (type="pvh", pvshim=1): pvgrub2
# (i386-xen) starts, reads grub.cfg from its own disk (xen/xvda), loads and
# boots the 32-bit PV kernel it names from that disk (the series' i386
# kernel in the Debian root's /boot; without it the test fails), runs a
# few tests and powers off, and the shim's log shows it ran a 32-bit PAE
# PV guest.  The emulated host loses a wakeup of the shim's vCPU at times
# (Documentation/rig.md): dom0 then kicks the guest after 60 s of console
# silence, and the first test point says so; it is never silent.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || bail "the rig needs root (mmdebstrap); run as root"
# The series' kernel, never a stand-in: without it there is nothing to test.
k=${RIG_I386_KERNEL:-$OUT/build/i386-xen/vmlinux}
[ -f "$k" ] || bail "no i386 Xen kernel at $k: run make kernels (TEST_CONFIGS has i386-xen)"
name=t-pvgrub32
run=$OUT/rig/runs/$name
log=$OUT/rig/$name.out
# With the series' i386 kernel built, pvgrub boots it from the Debian i386
# root's /boot (tools/guest-debian.sh): a short test selection, the domU
# test (240) runs the whole suite.  The guest has highmem, and its user pte
# pages must stay in lowmem under Xen PV (xen/0010): 22-highpte checks.
rig_scenario "$name" -H a -x "pvgrub32=guest.highpte=low guest.tests=userspace,debian,pae,highpte,basic,disk" pvgrub32
rc=$?
diag <"$log"
ok $rc "scenario pvgrub32 on host A (through the shim): every stage passed$(rig_kicks "$run")"
con=$run/results/guest-pvgrub32.log
has() { tr -d '\r' <"$con" 2>/dev/null | grep -q -- "$1"; }
has 'RIG-PVGRUB: pvgrub32 started'
ok $? "pvgrub2 (32-bit PV) runs under the shim and prints its marker"
has 'RIG-PVGRUB-DISK: grub.cfg read from (xen/xvda)'
ok $? "pvgrub reads grub.cfg from the guest's own disk (xen/xvda)"
kern=$(sed -n 's/^pvgrub-kernel //p' "$run/info.txt" 2>/dev/null)
[ "${kern:-payload}" != payload ]
ok $? "pvgrub's disk carries the series' i386 kernel ($kern), not the stand-in payload"
has '=== GUEST-TAP BEGIN ==='
ok $? "the series' i386 kernel loaded from xvda reaches userspace"
clean | grep -Eq '[1-9][0-9]*MB HIGHMEM available'
ok $? "booted with highmem: $(clean | grep -Eo '[0-9]+MB HIGHMEM available' | head -n 1)"
grep -Eq '^ok [0-9]+ - 22-highpte$' "$run/pvgrub32.tap" 2>/dev/null
ok $? "user pte pages in lowmem under Xen PV, highmem or not: $(grep -E '^# \[(OK|FAIL)\]' "$run/pvgrub32.tap" 2>/dev/null | grep -i 'page table' | head -n 1 | sed 's/^# //')"
guest_results "$run/pvgrub32.tap" i386-pv
has 'Dom0 kernel: 32-bit, PAE'
ok $? "the shim's log: it runs a 32-bit PAE PV guest (\"Dom0 kernel: 32-bit, PAE\")"
tr -d '\r' <"$con" 2>/dev/null | grep -E 'Xen kernel:|Dom0 kernel:' | diag
grep -Eq '^guest-shutdown +pvgrub32 +ok .*reason=poweroff' "$run/stages.txt" 2>/dev/null
ok $? "the 32-bit guest powers off cleanly"
[ -f "$run/stages.txt" ] && diag <"$run/stages.txt"
xen_log_ok "$run"
done_testing
