#!/usr/bin/env bash
# The series' i386 PAE kernel as a 32-bit Xen PV domU with two vCPUs, on
# the rig through the PV shim: both CPUs come up (VCPUOP_initialise), the
# second goes offline and comes back, an NMI IPI reaches it (sysrq l), and `xl sysrq c` makes it print
# its panic and end with reason code 3 (crash), with no WARN, BUG or Oops
# before that.
. "$(dirname "$0")/../lib.sh"
# Two vCPUs through the shim reached userspace at 145-172 s (2026-11-27).
domu_scenario t-pv32smp pv32smp -T userspace=600 -T tests=900
clean | grep -Eq 'Brought up 1 node, 2 CPUs'
ok $? "the guest brought up its second vCPU: $(clean | grep -Eo 'Brought up [^,]*, [0-9]+ CPUs' | head -n 1)"
guest_results "$run/pv32smp.tap" pv32smp
grep -Eq '^ok [0-9]+ - 12-cpu-hotplug$' "$run/pv32smp.tap" 2>/dev/null
ok $? "CPU 1 went offline and came back (VCPUOP_down, VCPUOP_up)"
grep -Eq '^ok [0-9]+ - 14-nmi-backtrace$' "$run/pv32smp.tap" 2>/dev/null
ok $? "sysrq l: both vCPUs printed a backtrace, CPU 1 on an NMI IPI (VCPUOP_send_nmi)"
grep -Eq '^guest-shutdown +pv32smp +ok .*by=xl-sysrq-c reason=crash: Kernel panic - not syncing: sysrq triggered crash' "$run/stages.txt" 2>/dev/null
ok $? "xl sysrq pv32smp c: the guest printed its panic and ended with reason code 3 (crash)"
domu_backtrace_ok
domu_clean_log_ok
done_testing
