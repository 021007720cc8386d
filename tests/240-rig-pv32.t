#!/usr/bin/env bash
# The series' i386 PAE kernel (out/build/i386-xen) as a 32-bit Xen PV domU
# on host B (Xen with CONFIG_PV32=y: xl's own domain builder loads it, no
# shim), with two vCPUs: boots as a PV guest, mounts its root from xvda
# (blkfront) holding a Debian i386 root (mmdebstrap), runs the guest suite
# (the 32-bit x86 selftests and the SMP check among them), answers `xl
# sysrq`, comes back after `xl reboot` and after a crash (`xl sysrq c`,
# its panic on the console), is saved and restored (`xl save`, `xl
# restore`: new machine frames) and runs tests in the restored kernel,
# powers off on `xl shutdown` within the bound, and logs no WARN, BUG or
# Oops; the hypervisor logs no refused request.  Four vCPUs: tests/245.
. "$(dirname "$0")/lib.sh"
vcpus=2
# Every pv call site patched, as many as the image has (50-pv-sites).
sites=$(pvsites_total "${RIG_I386_KERNEL:-$OUT/build/i386-xen/vmlinux}")
domu_scenario t-pv32 pv32 -H b -o pv32:vcpus=$vcpus -x "pv32=guest.pvsites=1 guest.pvsites_total=$sites" \
	-T userspace=600 -T tests=1800
clean | grep -q 'Booting kernel on Xen' && ! clean | grep -q 'Dom0 kernel: 32-bit' &&
	grep -q '^host b ' "$run/info.txt" 2>/dev/null
ok $? "xl's domain builder on host B (PV32) loaded the 32-bit kernel directly, no shim, and it booted as a Xen PV guest"
clean | grep -q 'Hypervisor detected: Xen PV' && clean | grep -q 'Xen version: 4\.17'
ok $? "the kernel runs on Xen PV (start_info, hypercalls, shared info): $(clean | grep -o 'Xen version: [^ ]*' | head -n 1)"
# maxvcpus (4) are brought up at boot; the toolstack's vcpus (2) stay
# online (drivers/xen/cpu_hotplug.c takes the rest down): 10-cpus checks.
clean | grep -Eq 'smp: Brought up 1 node, [0-9]+ CPUs' && grep -Eq '^ok [0-9]+ - 10-cpus$' "$run/pv32.tap" 2>/dev/null
ok $? "the vCPUs came up (VCPUOP_initialise; $(clean | grep -Eo 'Brought up [^,]*, [0-9]+ CPUs' | head -n 1)) and $vcpus are online"
clean | grep -Eq 'EXT4-fs \(xvda\): mounted'
ok $? "root file system mounted from xvda (blkfront)"
clean | grep -Eq '[0-9]+MB HIGHMEM available'
ok $? "the guest has highmem: $(clean | grep -Eo '[0-9]+MB HIGHMEM available' | head -n 1)"
tap=$run/pv32.tap
# Known failures of the guest's tests (tests/lib.sh guest_results: each
# reported as TODO with its reason, never counted as a pass).
GUEST_TODO="61-kst-futex-futex_waitv=on 7.3 the domU fails futex_waitv's private case (futex_wake finds no waiter after 10 ms, pinned to CPU 0: 1 host-B run of 1, 2026-12-08) while the native PARAVIRT=n kernel passes it - not yet understood, issue 27's note"
guest_results "$tap" pv32
# The same selftests as natively (tests/10-native-boot.t): every x86 and
# timers/futex/mm one of the guest tree ran and passed, but those named
# here, each with its reason (tests/900-selftest-sets.t names the same
# ones when it compares the pass set with the native one).
declare -A differs=(
	[60-x86-entry_from_vm86]="skip: vm86 is refused under Xen PV (xen/0013: a 64-bit Xen clears EFLAGS.VM on return to a 32-bit PV guest), so every vm86 case skips"
)
want=$(ls "$OUT"/guest/root/tests/ | grep -cE '^6[01]-(x86|kst)-')
got=$(grep -cE '^ok [0-9]+ - 6[01]-(x86|kst)-[^ ]*$' "$tap" 2>/dev/null)
known=0
for t in "${!differs[@]}"; do
	if grep -Eq "^ok [0-9]+ - $t # SKIP" "$tap" 2>/dev/null; then
		known=$((known + 1))
		echo "# $t: ${differs[$t]}"
	fi
done
# ... and the known failures (GUEST_TODO), counted and named as such.
for t in $(printf '%s\n' "$GUEST_TODO" | tr ';' '\n' | sed 's/=.*//'); do
	if grep -Eq "^not ok [0-9]+ - $t( |$)" "$tap" 2>/dev/null; then
		known=$((known + 1))
		echo "# $t: a known failure (TODO)"
	fi
done
[ "$want" -gt 0 ] && [ $((got + known)) = "$want" ]
ok $? "pv32 ran all $want 32-bit x86 and timers/futex/mm selftests of the guest tree: $got passed, $known skipped or failing as named"
# The pass set, for tests/900-selftest-sets.t to compare with the native
# PARAVIRT=n kernel's (tests/10) once both have run.
grep -E '^(not )?ok [0-9]+ - 6[01]-(x86|kst)-' "$tap" 2>/dev/null |
	sed -E -e 's/^(not ok|ok) [0-9]+ - ([^ ]*)( .*# SKIP.*)?.*/\2 \1\3/' -e 's/ # SKIP.*/ skip/' | sort >"$run/selftests.txt"
grep -q '^# \[OK\] [0-9]* sites, as the vmlinux has' "$tap" 2>/dev/null
ok $? "the guest's pv site table holds the image's $sites sites: $(grep -E '^# pv sites: total' "$tap" 2>/dev/null | head -n 1 | sed 's/^# pv sites: //')"
grep -Eq '^ok [0-9]+ - 45-net$' "$tap" 2>/dev/null
ok $? "netfront carried traffic both ways: $(grep -E '^# eth0 counters' "$tap" 2>/dev/null | head -n 1 | sed 's/^# //')"
# On the rig's AMD CPU model Xen gives a 32-bit PV guest's user space
# SYSCALL through the syscall32 callback (xen/0023): the vDSO uses it,
# and it works (tests/245 checks the same on four vCPUs).
grep -Eq '^# \[OK\] vDSO system call: syscall ' "$tap" 2>/dev/null
ok $? "the vDSO enters the kernel with SYSCALL (Xen's syscall32 callback) and it works: $(grep -E '^# \[(OK|FAIL)\] vDSO' "$tap" 2>/dev/null | head -n 1 | sed 's/^# //')"
# The guest's clock against dom0's: the guest writes "guest-clock: T"
# (CLOCK_REALTIME) to its console and dom0's console mirror appends its
# own time when it passes the line on (within about a second: tail -F
# polls once a second).
clock=$(tr -d '\r' <"$run/serial.log" 2>/dev/null | sed -n 's/^G pv32| guest-clock: \([0-9.]*\) dom0-clock: \([0-9.]*\)$/\1 \2/p')
n=$(printf '%s' "$clock" | grep -c .)
worst=$(printf '%s\n' "$clock" | awk 'NF == 2 { d = $2 - $1; if (d < 0) d = -d; if (d > w) w = d } END { printf "%.2f", w }')
# Bound 5 s: the mirror's delay was up to 1.7 s with the rig alone and
# about 3.7 s with a kernel build and a second rig beside it (2026-12-06);
# a guest whose wall clock is wrong (broken by hand: xen_read_wallclock()
# 30 s ahead) is off by tens of seconds.
[ "$n" -ge 2 ] && awk -v w="$worst" 'BEGIN { exit !(w < 5) }'
ok $? "the guest's clock follows dom0's: $n readings over the run, worst difference ${worst} s (bound 5 s: the console mirror's delay)"
grep -Eq '^guest-sysrq +pv32 +ok' "$run/stages.txt" 2>/dev/null
ok $? "xl sysrq pv32 h reached the guest's sysrq handler"
grep -Eq '^guest-reboot +pv32 +ok .*reason=1 ' "$run/stages.txt" 2>/dev/null &&
	clean | grep -q '^guest: boot 2 of this root'
ok $? "xl reboot: pv32 shut down with reason code 1 (reboot), xl built it again, and it booted a second time"
guest_results "$run/pv32.2.tap" pv32-after-reboot
grep -Eq '^guest-crash +pv32 +ok .*reason=3 .*Kernel panic - not syncing: sysrq triggered crash' "$run/stages.txt" 2>/dev/null &&
	clean | grep -q '^guest: boot 3 of this root'
ok $? "xl sysrq pv32 c: the guest printed its panic, shut down with reason code 3 (crash), and xl built it again"
domu_backtrace_ok
guest_results "$run/pv32.3.tap" pv32-after-crash
grep -Eq '^guest-save +pv32 +ok .*answered sysrq .*, ran basic,clock,disk,net,smp' "$run/stages.txt" 2>/dev/null
ok $? "xl save and xl restore: the restored pv32 answered xl sysrq h and ran tests: $(sed -n 's/^guest-save *pv32 *ok *[0-9.]*s *//p' "$run/stages.txt" 2>/dev/null | cut -c1-90)"
guest_results "$run/pv32.4.tap" pv32-after-restore
grep -Eq '^guest-shutdown +pv32 +ok .*by=xl-shutdown reason=poweroff' "$run/stages.txt" 2>/dev/null
ok $? "xl shutdown -w powered pv32 off (reason code 0) within the bound"
domu_clean_log_ok
xen_log_ok "$run"
done_testing
