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
			# A guest test the calling test names in GUEST_TODO
			# ("NAME=reason;..."), failing: a known failure, TODO.
			case "$line" in
			"not ok"*) _t=$(echo "$line" | sed -E 's/^not ok [0-9]+ - [^:]*: ([^ ]*).*/\1/')
				_r=$(printf '%s\n' "${GUEST_TODO:-}" | tr ';' '\n' | sed -n "s/^$_t=//p" | head -n 1)
				[ -z "$_r" ] || line="$line # TODO $_r" ;;
			esac
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

# rig_scenario NAME ARGS...: run a rig scenario (tools/rig/scenario.sh
# -q -n NAME ARGS) into $OUT/rig/NAME.out and return its status.  Never
# retried: a run that fails, in the guest or in the emulated host, fails.
# Kicks of a silent shim guest (host A, tools/rig/scenario.sh RIG_KICK)
# are printed as a diagnostic here; tests say them in their TAP lines
# (rig_kicks).
rig_scenario() {
	local name=$1 rc log=$OUT/rig/$1.out
	shift
	mkdir -p "$OUT/rig"
	"$TOP/tools/rig/scenario.sh" -q -n "$name" "$@" >"$log" 2>&1
	rc=$?
	return $rc
}
# rig_kicks RUN: "" when dom0 never kicked a guest of the run, else
# " (kicked N times: ...)" for a TAP line.
rig_kicks() {
	local f=$1/kicks.txt n
	n=$(wc -l <"$f" 2>/dev/null || echo 0)
	[ "$n" -gt 0 ] || return 0
	echo " (KICKED $n times by dom0 after its console was silent: $(cut -d' ' -f1-4,6- "$f" | tr '\n' ';'))"
}

# domu_scenario NAME GUEST RIG_SCENARIO_ARGS...: the series' i386-xen
# kernel as a domU (guest/xl/GUEST.cfg) on the Debian i386 root: bail out
# when the rig cannot run, run the scenario (rig_scenario), print its log,
# report it as the first test point (with any kicks).  Sets run (the
# run's directory) and con (the guest's console log); clean prints con
# without CRs.
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
	ok $rc "scenario $guest on host $(sed -n 's/^host \([ab]\) .*/\1/p' "$run/info.txt" 2>/dev/null): every stage passed$(rig_kicks "$run")"
}
# xen_log_ok RUN: the hypervisor's lines (xl dmesg and the serial log)
# and the PV shim's (the start of a shim guest's console log) name no
# crashed domain, no fatal error and no refused page-table update or
# other failed guest request; each hit is shown.
xen_log_ok() {
	local r=$1 hits
	hits=$( { tr -d '\r' <"$r/serial.log" | grep -a '^(XEN)'
		  cat "$r"/results/guest-*.log 2>/dev/null | tr -d '\r' | grep -a '^(XEN)'; } |
		grep -aE 'domain_crash|[Cc]rash(ed)?\b|Fatal|FATAL|PANIC|Bad L[1-4] flags|Bad type|Error while validating|[Cc]ould not get page|Attempt to (re)?map|Bad (pfn|mfn|gfn)|mm\.c:[0-9]+:.*(fail|[Bb]ad|[Ee]rror)' |
		grep -avE 'sysrq triggered crash|Dom0 kernel|Xen kernel' | sort | uniq -c | sort -rn | head -n 20)
	[ -z "$hits" ]
	ok $? "the hypervisor's and the shim's logs name no crashed domain, fatal error or refused guest request"
	[ -z "$hits" ] || echo "$hits" | diag
}
clean() { tr -d '\r' <"$con" 2>/dev/null; }
# pvsites_total VMLINUX: the number of pv call site records in the image
# (the .pv_sites section of PARAVIRT_SITE_STATS, 8 bytes each), for
# guest.pvsites_total=N; empty without the section.
pvsites_total() {
	local s e
	s=$(nm "$1" 2>/dev/null | awk '$3 == "__pv_sites_start" { print $1 }')
	e=$(nm "$1" 2>/dev/null | awk '$3 == "__pv_sites_end" { print $1 }')
	[ -n "$s" ] && [ -n "$e" ] && echo $(( (0x$e - 0x$s) / 8 ))
}
# domu_backtrace_ok: after `xl sysrq GUEST c`, the panic's backtrace is on
# the console.
domu_backtrace_ok() {
	clean | sed -n '/sysrq: Trigger a crash/,$p' | head -n 80 | grep -q 'Call Trace:'
	ok $? "the crash's console output has the panic with its backtrace"
}
# domu_clean_log_ok: no WARN, BUG, Oops or panic on the console but the
# shim's own lines and the crash `xl sysrq c` asked for; then the stages.
domu_clean_log_ok() {
	# (the guest tests' own output, "# " lines of their TAP, aside)
	! clean | grep -v '^(XEN)' | grep -v '^# ' | grep -v 'Kernel panic - not syncing: sysrq triggered crash' |
		grep -qE 'WARNING:|BUG:|Oops|Kernel panic|general protection'
	ok $? "no WARN, BUG, Oops or panic in the guest's console log (the shim's own lines, the tests' output and the crash asked for aside)"
	[ -f "$run/stages.txt" ] && diag <"$run/stages.txt"
}
