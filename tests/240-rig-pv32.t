#!/usr/bin/env bash
# The series' i386 PAE kernel (out/build/i386-xen) as a 32-bit Xen PV domU
# on the rig, through the PV shim: boots as a PV guest, mounts its root from
# xvda (blkfront) holding a Debian i386 root (mmdebstrap), runs the guest
# suite (with the 32-bit x86 selftests), answers `xl sysrq`, comes back
# after `xl reboot` and after a crash (`xl sysrq c`, its panic on the
# console), is saved and restored (`xl save`, `xl restore`) and runs tests
# in the restored kernel, powers off on `xl shutdown` within the bound, and logs no
# WARN, BUG or Oops.  (Two vCPUs: tests/extra/250.)
. "$(dirname "$0")/lib.sh"
# 1280 MB through the shim under TCG: userspace came at 107 s on a quiet
# machine, at 286 s with two kernel builds beside it; wider bounds.
domu_scenario t-pv32 pv32 -T userspace=600 -T tests=1500
clean | grep -q 'Dom0 kernel: 32-bit, PAE' && clean | grep -q 'Booting kernel on Xen'
ok $? "the shim loaded a 32-bit PAE kernel and it booted as a Xen PV guest"
clean | grep -q 'Hypervisor detected: Xen PV' && clean | grep -q 'Xen version:'
ok $? "the kernel runs on Xen PV (start_info, hypercalls, shared info)"
clean | grep -Eq 'EXT4-fs \(xvda\): mounted'
ok $? "root file system mounted from xvda (blkfront)"
clean | grep -Eq 'xen_netfront|netfront'
ok $? "netfront registered"
clean | grep -Eq '[0-9]+MB HIGHMEM available'
ok $? "the guest has highmem (user pte pages stay in lowmem unless userpte=high): $(clean | grep -Eo '[0-9]+MB HIGHMEM available' | head -n 1)"
# Known differences from the native pass set, each with its reason: a
# failure there is reported as TODO (prove shows it; it does not fail the
# run).
declare -A todo=(
	[60-x86-syscall_nt]="killed by SIGTRAP in its first case (EFLAGS.NT set around a system call), before it sets up a SIGTRAP handler; natively it passes; not understood yet"
)
tap=$run/pv32.tap
if [ -f "$tap" ]; then
	for t in "${!todo[@]}"; do
		sed -i -E "s|^(not ok [0-9]+ - $t( .*)?)$|\1 # TODO ${todo[$t]}|" "$tap"
	done
fi
guest_results "$tap" pv32
# The same x86 selftests as natively (tests/10-native-boot.t).
want=$(ls "$OUT"/guest/root/tests/ | grep -c '^60-x86-')
got=$(grep -cE '^ok [0-9]+ - 60-x86-' "$tap" 2>/dev/null)
known=$(grep -cE '^not ok [0-9]+ - 60-x86-.*# TODO' "$tap" 2>/dev/null)
# Skipped: only mov_ss_trap (guest.skip in pv32.cfg), whose armed
# watchpoint makes QEMU 7.2 itself crash in about half the runs.
skipped=$(grep -cE '^ok [0-9]+ - 60-x86-.* # SKIP' "$tap" 2>/dev/null)
skipped_other=$(grep -E '^ok [0-9]+ - 60-x86-.* # SKIP' "$tap" 2>/dev/null | grep -vc mov_ss_trap)
got=$((got - skipped))
[ "$want" -gt 0 ] && [ $((got + known + skipped)) = "$want" ] && [ "$skipped_other" = 0 ]
ok $? "pv32 ran the $want 32-bit x86 selftests of the guest tree: $got passed, $known known differences (TODO), $skipped skipped (mov_ss_trap: the emulator crashes)"
# A 32-bit PV guest registers no fast system call callback (the patch for
# it is Documentation/wip/xen-fast-syscalls-32bit.patch): its vDSO must
# enter the kernel with int $0x80, and that must work.
grep -Eq '^# \[OK\] vDSO system call: int80' "$tap" 2>/dev/null
ok $? "the vDSO enters the kernel with int \$0x80 (no fast system call callback as a 32-bit PV guest) and it works"
grep -Eq '^guest-sysrq +pv32 +ok' "$run/stages.txt" 2>/dev/null
ok $? "xl sysrq pv32 h reached the guest's sysrq handler"
# The life cycle: each later life boots from the same root, which
# /init marks, and runs the guest.again tests.
grep -Eq '^guest-reboot +pv32 +ok .*reason=1 ' "$run/stages.txt" 2>/dev/null &&
	clean | grep -q '^guest: boot 2 of this root'
ok $? "xl reboot: pv32 shut down with reason code 1 (reboot), xl built it again, and it booted a second time"
guest_results "$run/pv32.2.tap" pv32-after-reboot
grep -Eq '^guest-crash +pv32 +ok .*reason=3 .*Kernel panic - not syncing: sysrq triggered crash' "$run/stages.txt" 2>/dev/null &&
	clean | grep -q '^guest: boot 3 of this root'
ok $? "xl sysrq pv32 c: the guest printed its panic, shut down with reason code 3 (crash), and xl built it again"
domu_backtrace_ok
guest_results "$run/pv32.3.tap" pv32-after-crash
# xl save: the guest suspends (xenstore control/shutdown), the shim and
# it are saved and the domain ends; xl restore builds it from the image,
# and the same kernel goes on: it answers sysrq and runs tests again.
grep -Eq '^guest-save +pv32 +ok .*answered sysrq .*, ran basic,clock,disk,net' "$run/stages.txt" 2>/dev/null
ok $? "xl save and xl restore: the restored pv32 answered xl sysrq h and ran tests: $(sed -n 's/^guest-save *pv32 *ok *[0-9.]*s *//p' "$run/stages.txt" 2>/dev/null | cut -c1-90)"
guest_results "$run/pv32.4.tap" pv32-after-restore
grep -Eq '^guest-shutdown +pv32 +ok .*by=xl-shutdown reason=poweroff' "$run/stages.txt" 2>/dev/null
ok $? "xl shutdown -w powered pv32 off (reason code 0) within the bound"
domu_clean_log_ok
done_testing
