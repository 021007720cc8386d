# TAP helpers for the project's tests; sourced.
# shellcheck shell=bash
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$TOP/out}
_n=0
_failed=0
ok() {	# ok COND-STATUS DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}
diag() { sed 's/^/# /'; }
done_testing() { echo "1..$_n"; [ $_failed -eq 0 ]; }
# bail: the test cannot run at all; that is a failure, never a pass.
bail() { ok 1 "$1"; done_testing; exit 1; }

# guest_results TAPFILE PREFIX: re-emit a guest's TAP results as our own
# test points, the guest's comment lines as diagnostics.  A guest TAP that
# is missing, empty, or whose plan does not match its results, fails.
guest_results() {
	local tap=$1 prefix=$2 plan n=0 line
	if [ ! -s "$tap" ]; then
		ok 1 "$prefix: the guest printed no TAP"
		return
	fi
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
	while IFS= read -r line; do
		case "$line" in
		"ok "*|"not ok "*)
			n=$((n + 1))
			_n=$((_n + 1))
			line=$(echo "$line" | sed -E "s/^(not )?ok [0-9]+ - /\1ok $_n - $prefix: /")
			echo "$line"
			case "$line" in
			"not ok"*"# TODO"*) ;;	# a known difference, reported
			"not ok"*) _failed=$((_failed + 1)) ;;
			esac ;;
		"# "*) echo "$line" ;;
		esac
	done <"$tap"
	[ -n "$plan" ] && [ "$plan" -eq "$n" ] && [ "$n" -gt 0 ]
	ok $? "$prefix: the guest ran all ${plan:-?} of its tests"
}

# rig_scenario NAME GUEST...: run a rig scenario into $OUT/rig/NAME.out,
# return its status.  The emulated host is not always reliable under TCG:
# QEMU has died with SIGSEGV mid-run, and the PV shim has triple-faulted.
# Such a run says nothing about the guests: run again, at most four runs
# in all, saying so.  A run that fails in a guest is not repeated.
rig_scenario() {
	local name=$1 attempt rc infra log=$OUT/rig/$1.out
	shift
	mkdir -p "$OUT/rig"
	rm -rf "$OUT/rig/runs/$name".try* "$OUT/rig/$name".try*.out
	for attempt in 1 2 3 4; do
		"$TOP/tools/rig/scenario.sh" -q -n "$name" "$@" >"$log" 2>&1
		rc=$?
		[ $rc -ne 0 ] || return 0
		infra=$(grep -oE 'QEMU ended \(exit [0-9]+\)' "$log" | head -n 1)
		grep -q 'Triple fault' "$OUT/rig/runs/$name/results/xl-dmesg.txt" 2>/dev/null &&
			infra="the PV shim triple-faulted"
		[ -n "$infra" ] || return $rc
		echo "# run $attempt: $infra (the emulated host, not the guest); trying again"
		diag <"$log"
		# Keep what it left for a look: NAME.tryN next to the run.
		rm -rf "$OUT/rig/runs/$name.try$attempt"
		mv "$OUT/rig/runs/$name" "$OUT/rig/runs/$name.try$attempt" 2>/dev/null
		cp "$log" "$OUT/rig/$name.try$attempt.out"
		echo "# its logs: $OUT/rig/runs/$name.try$attempt"
	done
	return $rc
}

# domu_scenario NAME GUEST RIG_SCENARIO_ARGS...: the series' i386-xen
# kernel as a domU (guest/xl/GUEST.cfg) on the Debian i386 root: bail out
# when the rig cannot run, run the scenario (rig_scenario), print its log,
# report it as the first test point.  Sets run (the run's directory) and
# con (the guest's console log); clean prints con without CRs.
domu_scenario() {
	local name=$1 guest=$2 rc k=${RIG_I386_KERNEL:-$OUT/build/i386-xen/vmlinux}
	shift 2
	[ "$(id -u)" = 0 ] || bail "the rig needs root (mmdebstrap); run as root"
	[ -f "$k" ] || bail "no i386 Xen kernel at $k: run make kernels (TEST_CONFIGS has i386-xen)"
	[ -x "$OUT/guest/debian/root/init" ] ||
		bail "no Debian i386 guest root in $OUT/guest/debian/root: run make guest-debian"
	run=$OUT/rig/runs/$name
	con=$run/results/guest-$guest.log
	rig_scenario "$name" "$@" "$guest"
	rc=$?
	diag <"$OUT/rig/$name.out"
	ok $rc "scenario $guest: every stage passed"
}
clean() { tr -d '\r' <"$con" 2>/dev/null; }
# domu_backtrace_ok: after `xl sysrq GUEST c`, the panic's backtrace is on
# the console.
domu_backtrace_ok() {
	clean | sed -n '/sysrq: Trigger a crash/,$p' | head -n 80 | grep -q 'Call Trace:'
	ok $? "the crash's console output has the panic with its backtrace"
}
# domu_clean_log_ok: no WARN, BUG, Oops or panic on the console but the
# shim's own lines and the crash `xl sysrq c` asked for; then the stages.
domu_clean_log_ok() {
	! clean | grep -v '^(XEN)' | grep -v 'Kernel panic - not syncing: sysrq triggered crash' |
		grep -qE 'WARNING:|BUG:|Oops|Kernel panic|general protection'
	ok $? "no WARN, BUG, Oops or panic in the guest's console log (the shim's own lines and the crash asked for aside)"
	[ -f "$run/stages.txt" ] && diag <"$run/stages.txt"
}
