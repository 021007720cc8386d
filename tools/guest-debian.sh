#!/usr/bin/env bash
# guest-debian.sh: a Debian i386 root for the guests, out/guest/debian/:
#   base/        mmdebstrap --arch=i386 --variant=minbase bookworm, from
#                Debian's archive; made once and kept (base.stamp says
#                from which call and package list)
#   root/        base/ plus the project's guest tree: /init, /tests (the
#                guest tests and the static 32-bit programs), the static
#                busybox at /bin/busybox for the applets Debian's minbase
#                lacks (poweroff, ip, ping, ...).  Debian's own programs
#                (dash as /bin/sh, coreutils, glibc's dynamic loader, dpkg,
#                apt) stay as Debian ships them.
# The rig builds a guest's xvda from root/ when its xl config says
# "# rig-disk: debian" (guest/xl/pv32.cfg).  Needs root (mmdebstrap).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

G=$OUT/guest
D=$G/debian
[ -x "$G/root/init" ] || die "no guest tree in $G/root: run make guest first"
[ "$(id -u)" = 0 ] || die "the Debian guest root needs root (mmdebstrap keeps owners)"
command -v mmdebstrap >/dev/null || die "missing mmdebstrap: run tools/deps.sh"
dpkg --print-foreign-architectures | grep -qx i386 ||
	die "dpkg has no i386 architecture: run tools/deps.sh as root"
mkdir -p "$D"

# mmdebstrap runs the i386 packages' maintainer scripts, so i386 programs
# must run here: natively (a kernel with IA32 emulation), or else through
# qemu-i386-static registered with binfmt_misc ("F": the interpreter is
# opened now, so it also runs inside mmdebstrap's chroot).  Debian's
# qemu-user-static registers no i386 handler on amd64, so this registers
# one for the mmdebstrap call and removes it when the script exits.
BINFMT=/proc/sys/fs/binfmt_misc
QEMU_I386=/usr/bin/qemu-i386-static
binfmt_name=pvi386-qemu-i386
binfmt_added=
i386_binfmt_off() {
	if [ -n "$binfmt_added" ] && [ -e "$BINFMT/$binfmt_name" ]; then
		echo -1 >"$BINFMT/$binfmt_name" || true
	fi
}
i386_binfmt_on() {
	# ELF, 32-bit, little endian, executable or shared object, EM_386
	local magic='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
	local mask='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
	[ -x "$QEMU_I386" ] ||
		die "this kernel cannot run i386 programs and $QEMU_I386 is missing: run tools/deps.sh as root"
	if [ ! -e "$BINFMT/register" ]; then
		mount -t binfmt_misc binfmt_misc "$BINFMT" ||
			die "this kernel cannot run i386 programs, and binfmt_misc does not mount at $BINFMT"
	fi
	if [ ! -e "$BINFMT/$binfmt_name" ]; then
		printf ':%s:M::%s:%s:%s:F\n' "$binfmt_name" "$magic" "$mask" "$QEMU_I386" >"$BINFMT/register" ||
			die "could not register $QEMU_I386 with binfmt_misc"
		binfmt_added=1
		trap i386_binfmt_off EXIT
	fi
	arch-test i386 >/dev/null 2>&1 ||
		die "i386 programs still do not run through $QEMU_I386 (arch-test i386)"
	step DEBIAN "this kernel runs no i386 programs: mmdebstrap runs them with $QEMU_I386 (binfmt_misc entry $binfmt_name, for this call)"
}

# The machine's Debian mirror (GUEST_DEBIAN_MIRROR overrides it), suites
# bookworm and bookworm-updates.  Not bookworm-security: its i386 index on
# this machine's mirror failed apt's size check in every try on 2026-11-27
# ("File has unexpected size ... Mirror sync in progress?"), and a test
# root gains nothing from it.
srcs=/etc/apt/sources.list.d/debian.sources
[ -f "$srcs" ] || srcs=/etc/apt/sources.list
mirror=${GUEST_DEBIAN_MIRROR:-$(awk '/^URIs:/ && !/security/ { print $2; exit }
	/^deb / && !/security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' "$srcs" 2>/dev/null)}
mirror=${mirror:-http://deb.debian.org/debian}
# Packages beyond minbase: stress-ng for guest/tests/95-stress (guest.soak).
mmargs=(--arch=i386 --variant=minbase --include=stress-ng
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
	--dpkgopt='path-exclude=/usr/share/locale/*' bookworm)
mirrors=("deb $mirror bookworm main" "deb $mirror bookworm-updates main")
sum=$( { echo "${mmargs[*]}"; printf '%s\n' "${mirrors[@]}"; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$D/base.stamp" 2>/dev/null)" = "$sum" ] && [ -x "$D/base/usr/bin/dpkg" ]; then
	step DEBIAN "i386 base up to date ($(cat "$D/base/etc/debian_version"), $(du -sm "$D/base" | cut -f1) MB)"
else
	rm -rf "$D/base" "$D/base.new" "$D/base.stamp"
	step DEBIAN "mmdebstrap ${mmargs[*]} from $mirror (log: ${LOGDIR#"$TOP"/}/guest-debian.log)"
	t0=$(date +%s)
	command -v arch-test >/dev/null || die "missing arch-test: run tools/deps.sh"
	arch-test i386 >/dev/null 2>&1 || i386_binfmt_on
	# A mirror caught mid-sync ("File has unexpected size") fails the
	# index download; that passes after a while, so up to three tries.
	for try in 1 2 3; do
		rm -rf "$D/base.new"
		timeout 1800 mmdebstrap "${mmargs[@]}" "$D/base.new" "${mirrors[@]}" >"$LOGDIR/guest-debian.log" 2>&1 && break
		grep -E '^E: ' "$LOGDIR/guest-debian.log" | head -n 3 | sed 's/^/  | /' >&2
		if [ $try = 3 ] || ! grep -q 'Mirror sync in progress\|failed to download\|Could not resolve\|Connection failed' "$LOGDIR/guest-debian.log"; then
			tail -n 15 "$LOGDIR/guest-debian.log" | sed 's/^/  | /' >&2
			rm -rf "$D/base.new"
			die "mmdebstrap of the Debian i386 root failed (full log: $LOGDIR/guest-debian.log)"
		fi
		step DEBIAN "try $try failed on the archive's side; again in 30 s"
		sleep 30
	done
	mv "$D/base.new" "$D/base"
	echo "$sum" >"$D/base.stamp"
	step DEBIAN "i386 base: Debian $(cat "$D/base/etc/debian_version"), $(du -sm "$D/base" | cut -f1) MB in $(( $(date +%s) - t0 )) s"
fi

# The root: a fresh copy of the base with the guest tree on top.
rm -rf "$D/root.new"
cp -a "$D/base" "$D/root.new"
R=$D/root.new
install -m 755 "$G/root/bin/busybox" "$R/bin/busybox"
rm -f "$R/init"
install -m 755 "$G/root/init" "$R/init"
cp -a "$G/root/tests" "$R/tests"
echo "Debian i386 root ($(cat "$R/etc/debian_version"), mmdebstrap minbase) + $(cat "$G/root/guest-disk-marker")" \
	>"$R/guest-disk-marker"
rm -rf "$D/root"
mv "$R" "$D/root"
step DEBIAN "guest root: ${D#"$TOP"/}/root ($(du -sm "$D/root" | cut -f1) MB)"
