#!/usr/bin/env bash
# Host B's hypervisor: Debian's own Xen source package, rebuilt with one
# change, CONFIG_PV32=y (what Xen's osstest does to keep testing 32-bit PV
# guests), so that xl's domain builder loads a 32-bit PV guest directly.
#
#   tools/rig/xen-pv32.sh [-f] DEBIAN_CONFIG    -f: rebuild even if up to date
#
# DEBIAN_CONFIG: the .config of Debian's binary hypervisor (host A's,
# /boot/xen-4.17-amd64.config of xen-hypervisor-4.17-amd64): the rebuild
# starts from it, so that it differs from Debian's hypervisor in
# CONFIG_PV32 alone.
# The source is fetched with apt-get source through a private apt setup
# under out/rig/xen-src (the machine's own apt configuration is not
# touched), pinned by version and by the sha256 of its .dsc below;
# dpkg-source then checks the tarballs against the .dsc.  The hypervisor
# is configured from Debian's binary config plus CONFIG_PV32=y
# (olddefconfig; the source's own debian/xen-kconfig gives a different
# config: it has only CONFIG_DEBUG=n, so SHADOW_PAGING would come on by
# default, which Debian's binary has off), and built once: the result is cached as
# out/rig/xen-pv32/xen with its .config; a second run does nothing.
# Its versions go into out/rig/xen-pv32/xen.manifest, which build.sh puts
# into the rig's manifest with the config's difference from Debian's
# binary.
set -euo pipefail
{ # the whole script is read before it runs: editing it mid-run is safe
. "$(dirname "$0")/lib.sh"

XEN_SRC_VERSION=4.17.5+72-g01140da4e8-1
XEN_SRC_DSC_SHA256=f13956b67fb7a65707c2b0620d89b41ee5d203434dd7bb913017356791ee66c1

force=
[ "${1:-}" = -f ] && { force=1; shift; }
dcfg=${1:?usage: xen-pv32.sh [-f] DEBIAN_CONFIG, the .config of the Debian xen-hypervisor}
[ -f "$dcfg" ] || die "no Debian hypervisor config at $dcfg"
for t in apt-get dpkg-source make gcc python3 flex bison; do
	command -v "$t" >/dev/null || die "missing $t: run tools/deps.sh"
done

src=$RIG_OUT/xen-src
sum=$( { echo "$XEN_SRC_VERSION $XEN_SRC_DSC_SHA256"; gcc --version | head -n 1; cat "$0" "$dcfg"; } | sha256sum | cut -d' ' -f1)
if [ -z "$force" ] && [ -f "$RIG_XEN_PV32" ] && [ -f "$RIG_XEN_PV32.manifest" ] &&
   [ "$(cat "$RIG_XEN_PV32.stamp" 2>/dev/null)" = "$sum" ]; then
	step XENPV32 "host B hypervisor up to date ($RIG_XEN_PV32)"
	exit 0
fi
rm -f "$RIG_XEN_PV32.stamp"

# --- the source package, through a private apt setup.
step XENPV32 "source xen $XEN_SRC_VERSION (log: $RIG_LOGS/xen-pv32-source.log)"
apt=$src/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$src/dl"
srcs=/etc/apt/sources.list.d/debian.sources
[ -f "$srcs" ] || srcs=/etc/apt/sources.list
# deb-src lines for the suites the machine already uses for bookworm.
{
	echo "deb-src http://deb.debian.org/debian bookworm main"
	echo "deb-src http://deb.debian.org/debian bookworm-updates main"
	echo "deb-src http://deb.debian.org/debian-security bookworm-security main"
} >"$apt/sources.list"
aopt=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
	-o APT::Sandbox::User=root)
log=$RIG_LOGS/xen-pv32-source.log
: >"$log"
dsc=$src/dl/xen_${XEN_SRC_VERSION}.dsc
if [ "$(sha256sum "$dsc" 2>/dev/null | cut -d' ' -f1)" != "$XEN_SRC_DSC_SHA256" ]; then
	rm -rf "$src/dl"
	mkdir -p "$src/dl"
	apt-get "${aopt[@]}" update >>"$log" 2>&1 ||
		grep '^E:' "$log" | sed 's/^/  XENPV32  (apt-get update, not fatal) /' || true
	if ! (cd "$src/dl" && apt-get "${aopt[@]}" source --download-only "xen=$XEN_SRC_VERSION") >>"$log" 2>&1; then
		echo "error: cannot fetch Debian's xen source $XEN_SRC_VERSION; last lines of $log:" >&2
		tail -n 10 "$log" | sed 's/^/  | /' >&2
		echo "  (the pinned version may have left the archive: $0 names the version and .dsc sha256)" >&2
		exit 1
	fi
fi
got=$(sha256sum "$dsc" | cut -d' ' -f1)
[ "$got" = "$XEN_SRC_DSC_SHA256" ] ||
	die "checksum mismatch for $dsc: sha256 $got, $0 pins $XEN_SRC_DSC_SHA256"

tree=$src/xen-${XEN_SRC_VERSION%-*}
rm -rf "$tree"
# dpkg-source verifies the tarballs' checksums against the (pinned) .dsc
# and applies Debian's patch queue.
run_logged dpkg-source "$log.x" dpkg-source -x "$dsc" "$tree"

# --- configure as debian/rules does, plus CONFIG_PV32=y.
step XENPV32 "configure: Debian's binary config + CONFIG_PV32=y (olddefconfig)"
xmake=(make -C "$tree/xen" XEN_TARGET_ARCH=x86_64 XEN_COMPILE_ARCH=x86_64
	XEN_BUILD_DATE="Thu Jan  1 00:00:00 UTC 2026" XEN_BUILD_TIME=00:00:00
	XEN_BUILD_HOST=build XEN_WHOAMI=pvi386)
{ grep -v '^CONFIG_PV32=\|^# CONFIG_PV32 is not set' "$dcfg"; echo CONFIG_PV32=y; } >"$tree/xen/.config"
run_logged olddefconfig "$RIG_LOGS/xen-pv32-config.log" "${xmake[@]}" olddefconfig
grep -qx 'CONFIG_PV32=y' "$tree/xen/.config" || die "CONFIG_PV32=y did not survive olddefconfig ($tree/xen/.config)"

jobs=${JOBS:-$(nproc_jobs)}
step XENPV32 "make -j$jobs (log: $RIG_LOGS/xen-pv32-build.log)"
t0=$(date +%s)
run_logged "xen build" "$RIG_LOGS/xen-pv32-build.log" "${xmake[@]}" -j"$jobs"
mkdir -p "$(dirname "$RIG_XEN_PV32")"
cp "$tree/xen/xen" "$RIG_XEN_PV32"
cp "$tree/xen/.config" "$RIG_XEN_PV32.config"
{
	echo "xen-pv32 source xen $XEN_SRC_VERSION dsc-sha256 $XEN_SRC_DSC_SHA256"
	echo "xen-pv32 version $("${xmake[@]}" -s xenversion)"
	echo "xen-pv32 built with $(gcc --version | head -n 1)"
} >"$RIG_XEN_PV32.manifest"
rm -rf "$tree"
echo "$sum" >"$RIG_XEN_PV32.stamp"
step XENPV32 "done in $(( $(date +%s) - t0 )) s -> $RIG_XEN_PV32"
exit
}
