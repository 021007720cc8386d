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
