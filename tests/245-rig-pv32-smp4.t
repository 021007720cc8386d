#!/usr/bin/env bash
# The series' i386 domU on host B (Xen with PV32, xl's builder) with four
# vCPUs: the vDSO's SYSCALL (xen/0023) and the 32-bit x86 selftests
# pass on four vCPUs too; all four come up, the SMP check (cross-CPU
# pipe round trips, reschedule and call-function IPIs, timers on every CPU, worst wait
# bounded) passes; under a workload on all CPUs (stress-ng: cpu, vm,
# fork, pipe, switch, timer and mmap stressors, 60 s) `xl vcpu-set`
# takes it down to one vCPU and back to four: the guest logs each CPU
# going offline, the workload finishes clean, and afterwards all four
# CPUs are online and pass the SMP check again; `xl mem-set` balloons it
# down to 768 MB (giving back highmem pages) and up to 1408 MB, above the
# 1280 MB it started with, and it still runs its tests; `xl shutdown`
# powers it off; no WARN, Oops, lockup or RCU stall.  (tests/240: two vCPUs, the
# whole suite with a 2-minute soak and the life cycle; `make soak`: 30
# minutes.)
. "$(dirname "$0")/lib.sh"
vcpus=4
soak=60
domu_scenario t-pv32smp4 pv32 -H b -o pv32:vcpus=$vcpus -m pv32:sysrq= -m "pv32:end=vcpuset balloon shutdown" \
	-x "pv32=guest.tests=userspace,cpus,kernel,smp,clock,vdso,segreload,x86 guest.soak=$soak guest.timeout=$((soak + soak / 4 + 180))" \
	-T userspace=600 -T tests=$((soak + 900))
clean | grep -Eq 'smp: Brought up 1 node, '"$vcpus"' CPUs'
ok $? "all $vcpus vCPUs came up: $(clean | grep -Eo 'Brought up [^,]*, [0-9]+ CPUs' | head -n 1)"
# Known failures of the guest's tests (tests/lib.sh guest_results: each
# reported as TODO with its reason, never counted as a pass).
GUEST_TODO="61-kst-futex-futex_waitv=on 7.3 the domU fails futex_waitv's private case (futex_wake finds no waiter after 10 ms, pinned to CPU 0: 1 host-B run of 1, 2026-12-08) while the native PARAVIRT=n kernel passes it - not yet understood, issue 27's note"
guest_results "$run/pv32.tap" pv32-smp4
# The Intel CPU model is tests/250's (Xen double faults there when user
# space executes SYSENTER, as some x86 selftests do).
grep -Eq '^# \[OK\] vDSO system call: syscall ' "$run/pv32.tap" 2>/dev/null
ok $? "the vDSO enters the kernel with SYSCALL on four vCPUs: $(grep -E '^# \[(OK|FAIL)\] vDSO' "$run/pv32.tap" 2>/dev/null | head -n 1 | sed 's/^# //')"
grep -Eq '^ok [0-9]+ - 17-smp$' "$run/pv32.tap" 2>/dev/null
ok $? "SMP check on $vcpus vCPUs: $(grep -E '^# .*worst' "$run/pv32.tap" 2>/dev/null | head -n 3 | sed 's/^# //' | tr '\n' ';')"
grep -Eq '^guest-vcpuset +pv32 +ok ' "$run/stages.txt" 2>/dev/null
ok $? "xl vcpu-set $vcpus -> 1 -> $vcpus under stress: $(sed -n 's/^guest-vcpuset *pv32 *ok *//p' "$run/stages.txt" 2>/dev/null | cut -c1-100)"
guest_results "$run/pv32.2.tap" pv32-under-vcpuset
grep -Eq '^ok [0-9]+ - 95-stress$' "$run/pv32.2.tap" 2>/dev/null
ok $? "stress-ng ran ${soak} s while the vCPUs went $vcpus -> 1 -> $vcpus, with no WARN, Oops, lockup or RCU stall"
guest_results "$run/pv32.3.tap" pv32-after-vcpuset
grep -Eq '^guest-balloon +pv32 +ok ' "$run/stages.txt" 2>/dev/null
ok $? "balloon: xl mem-set down to 768 MB and up to 1408 MB, Xen's count followed: $(sed -n 's/^guest-balloon *pv32 *ok *//p' "$run/stages.txt" 2>/dev/null | cut -c1-100)"
guest_results "$run/pv32.4.tap" pv32-after-balloon
grep -Eq '^guest-shutdown +pv32 +ok .*by=xl-shutdown reason=poweroff' "$run/stages.txt" 2>/dev/null
ok $? "xl shutdown -w powered the four-vCPU guest off (reason code 0)"
! clean | grep -qE 'soft lockup|hard LOCKUP|rcu_.*(stall|detected)|blocked for more than'
ok $? "no lockup, RCU stall or hung task on the console"
domu_clean_log_ok
xen_log_ok "$run"
done_testing
