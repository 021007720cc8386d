#!/usr/bin/env bash
# make soak: the series' i386 domU on host B (Xen with PV32, xl's builder)
# with two vCPUs runs Debian's stress-ng (cpu, vm, fork, pipe, switch,
# timer and mmap stressors) for SOAK_SECONDS (default 1800), after the SMP
# check, and powers off on `xl shutdown`; no WARN, Oops, lockup or RCU
# stall.  Not in make test (tests/240 soaks for 2 minutes).
. "$(dirname "$0")/../lib.sh"
soak=${SOAK_SECONDS:-1800}
domu_scenario t-pv32soak pv32 -H b -o pv32:vcpus=2 -m pv32:sysrq= -m pv32:end=shutdown \
	-x "pv32=guest.tests=userspace,cpus,stress,smp guest.soak=$soak guest.timeout=$((soak + soak / 4 + 180))" \
	-T userspace=600 -T tests=$((soak + 900))
guest_results "$run/pv32.tap" pv32-soak
grep -Eq '^ok [0-9]+ - 95-stress$' "$run/pv32.tap" 2>/dev/null
ok $? "stress-ng ran $soak s on 2 vCPUs with no WARN, Oops, lockup or RCU stall"
grep -Eq '^guest-shutdown +pv32 +ok .*by=xl-shutdown reason=poweroff' "$run/stages.txt" 2>/dev/null
ok $? "xl shutdown -w powered it off (reason code 0) after the soak"
! clean | grep -qE 'soft lockup|hard LOCKUP|rcu_.*(stall|detected)|blocked for more than'
ok $? "no lockup, RCU stall or hung task on the console"
domu_clean_log_ok
xen_log_ok "$run"
done_testing
