#!/usr/bin/env bash
# Install the Debian packages the project needs, only those missing.
# Reads tools/packages.txt and every tools/*/packages.txt.  Not root: print
# the apt-get command and stop.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)

shopt -s nullglob
pkgs=$(cat "$TOP"/tools/packages.txt "$TOP"/tools/*/packages.txt |
	sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=()
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
# The guest userspace is i386: its .debs come from the i386 archive.
need_i386=
dpkg --print-foreign-architectures | grep -qx i386 || need_i386=1

if [ ${#missing[@]} -eq 0 ] && [ -z "$need_i386" ]; then
	exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "error: missing packages; run as root:" >&2
	[ -n "$need_i386" ] && echo "  dpkg --add-architecture i386 && apt-get update" >&2
	echo "  $cmd" >&2
	exit 1
fi
echo "  DEPS     installing: ${missing[*]}${need_i386:+ (and the i386 architecture)}"
[ -n "$need_i386" ] && dpkg --add-architecture i386
log=$(mktemp)
# A mirror in the middle of a sync fails one index; apt then keeps the old
# one, which is fine for us, so apt-get update's status is not fatal.
apt-get update -q >"$log" 2>&1 || grep '^E:' "$log" | sed 's/^/  DEPS     (apt-get update) /' >&2
if [ ${#missing[@]} -gt 0 ] &&
   ! DEBIAN_FRONTEND=noninteractive $cmd -q >>"$log" 2>&1; then
	echo "error: apt-get install failed; last lines:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
rm -f "$log"
