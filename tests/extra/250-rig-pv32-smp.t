#!/usr/bin/env bash
# The series' i386 PAE kernel as a 32-bit Xen PV domU with two vCPUs, on
# the rig through the PV shim: both CPUs come up (VCPUOP_initialise), the
# second goes offline and comes back, and `xl sysrq c` makes it print
# its panic and end with reason code 3 (crash), with no WARN, BUG or Oops
# before that.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || bail "the rig needs root (mmdebstrap); run as root"
k=${RIG_I386_KERNEL:-$OUT/build/i386-xen/vmlinux}
[ -f "$k" ] || bail "no i386 Xen kernel at $k: run make kernels (TEST_CONFIGS has i386-xen)"
[ -x "$OUT/guest/debian/root/init" ] ||
	bail "no Debian i386 guest root in $OUT/guest/debian/root: run make guest-debian"
name=t-pv32smp
run=$OUT/rig/runs/$name
log=$OUT/rig/$name.out
# Two vCPUs through the shim reached userspace at 155-172 s (2026-11-27).
rig_scenario "$name" -T userspace=600 -T tests=900 pv32smp
rc=$?
diag <"$log"
ok $rc "scenario pv32smp: every stage passed"
con=$run/results/guest-pv32smp.log
clean() { tr -d '\r' <"$con" 2>/dev/null; }
clean | grep -Eq 'Brought up 1 node, 2 CPUs'
ok $? "the guest brought up its second vCPU: $(clean | grep -Eo 'Brought up [^,]*, [0-9]+ CPUs' | head -n 1)"
guest_results "$run/pv32smp.tap" pv32smp
grep -Eq '^ok [0-9]+ - 12-cpu-hotplug$' "$run/pv32smp.tap" 2>/dev/null
ok $? "CPU 1 went offline and came back (VCPUOP_down, VCPUOP_up)"
grep -Eq '^guest-shutdown +pv32smp +ok .*by=xl-sysrq-c reason=crash: Kernel panic - not syncing: sysrq triggered crash' "$run/stages.txt" 2>/dev/null
ok $? "xl sysrq pv32smp c: the guest printed its panic and ended with reason code 3 (crash)"
clean | sed -n '/sysrq: Trigger a crash/,$p' | head -n 80 | grep -q 'Call Trace:'
ok $? "the crash's console output has the panic with its backtrace"
! clean | grep -v '^(XEN)' | grep -v 'Kernel panic - not syncing: sysrq triggered crash' |
	grep -qE 'WARNING:|BUG:|Oops|Kernel panic|general protection'
ok $? "no WARN, BUG, Oops or panic in the guest's console log (the shim's own lines and the crash asked for aside)"
[ -f "$run/stages.txt" ] && diag <"$run/stages.txt"
done_testing
