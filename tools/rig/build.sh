#!/usr/bin/env bash
# Build the rig's host: Xen + Debian dom0 image + pvgrub images, from Debian
# packages only, under out/rig/.  Rebuilt only when the inputs change: the
# stamp is a checksum of the package versions and of the rig's own files.
#   tools/rig/build.sh [-f]     -f: rebuild even if up to date
set -euo pipefail
{ # the whole script is read before it runs: editing it mid-run is safe
. "$(dirname "$0")/lib.sh"

force=
[ "${1:-}" = -f ] && force=1
[ "$(id -u)" = 0 ] || die "the rig build needs root (mmdebstrap, loop-free mke2fs -d as root keeps owners)"

for t in mmdebstrap qemu-system-x86_64 mke2fs cpio xz grub-mkstandalone dpkg-deb apt-get gzip; do
	command -v "$t" >/dev/null || die "missing $t: run tools/deps.sh (tools/rig/packages.txt)"
done

# --- apt lists: the i386 architecture (placeholder busybox) and fresh lists.
lists_old=
if ! dpkg --print-foreign-architectures | grep -qx i386; then
	step RIG "adding dpkg architecture i386"
	dpkg --add-architecture i386
	lists_old=1
fi
# Refresh the lists if older than a day (or never fetched).  A failing
# mirror index (e.g. "Mirror sync in progress") is not fatal.
newest=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n1)
[ -n "$newest" ] || lists_old=1
if [ -n "$lists_old" ] || [ -n "${RIG_APT_UPDATE:-}" ]; then
	step APT "apt-get update (log: $RIG_LOGS/apt-update.log)"
	apt-get update >"$RIG_LOGS/apt-update.log" 2>&1 ||
		grep '^E:' "$RIG_LOGS/apt-update.log" | sed 's/^/  APT      (not fatal) /' || true
fi

KPKG=$(rig_kernel_pkg)
[ -n "$KPKG" ] || die "cannot find the linux-image-6.1.0-*-amd64 that linux-image-amd64 depends on"
KVER=${KPKG#linux-image-}

HOST_DEBS="xen-hypervisor-4.17-amd64 grub-xen-bin busybox-static:i386"
DOM0_PKGS="xen-utils-4.17,xenstore-utils,$KPKG,kmod,udev,busybox,iproute2,bridge-utils,mount,e2fsprogs,procps"

# The rig's manifest: host A's (manifest-host.txt, written with the image)
# and host B's hypervisor, with its config's difference from Debian's
# binary (host A's hypervisor).
# Host B's hypervisor: Debian's Xen source with Debian's binary config
# plus CONFIG_PV32=y, built once and cached by its own stamp.
pv32_host() { "$RIG_DIR/xen-pv32.sh" "$RIG_OUT/host/xen.config"; }
rig_manifest() {
	{
		cat "$RIG_OUT/manifest-host.txt"
		echo "# host B: Debian's xen source rebuilt with CONFIG_PV32=y (tools/rig/xen-pv32.sh)"
		cat "$RIG_XEN_PV32.manifest"
		diff <(grep '^CONFIG_\|^# CONFIG_' "$RIG_OUT/host/xen.config" | sort) \
		     <(grep '^CONFIG_\|^# CONFIG_' "$RIG_XEN_PV32.config" | sort) |
			sed -n 's/^\([<>]\) /xen-pv32 config \1 /p' || true	# diff: 1
	} >"$RIG_OUT/manifest.txt"
}

# --- the stamp: versions of every package named + the rig's own files.
manifest_tmp=$(mktemp)
trap 'rm -f "$manifest_tmp"' EXIT
{
	echo "# rig manifest: Debian package versions used (candidates at build time)"
	echo "kernel $KPKG"
	allp="$HOST_DEBS ${DOM0_PKGS//,/ } grub-common qemu-system-x86 mmdebstrap"
	# One apt-cache call for all (each call takes a second or more).
	declare -A cand=()
	while read -r n v; do cand[$n]=$v; done < <(LC_ALL=C apt-cache policy $allp 2>/dev/null |
		awk '/^[^ ].*:$/ { n = substr($0, 1, length($0) - 1) } /^  Candidate:/ { print n, $2 }')
	for p in $allp; do
		v=${cand[$p]:-}
		[ "$v" != "(none)" ] || v=
		[ -n "$v" ] || die "package $p not found in the apt lists"
		case $p in
		grub-common|qemu-system-x86|mmdebstrap) # build machine: installed one
			v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo "$v") ;;
		esac
		echo "pkg $p $v"
	done
} >"$manifest_tmp"
sum=$( { cat "$manifest_tmp"; cat "$RIG_DIR"/build.sh "$RIG_DIR"/lib.sh "$RIG_DIR"/initrd-init "$RIG_DIR"/placeholder-init "$RIG_DIR"/dom0/*; } | sha256sum | cut -d' ' -f1)

outputs_ok=1
for f in "$RIG_XEN" "$RIG_VMLINUZ" "$RIG_INITRD" "$RIG_DOM0_IMG" "$RIG_PVGRUB" "$RIG_PVGRUB_PAYLOAD" "$RIG_PLACEHOLDER/init"; do
	[ -e "$f" ] || outputs_ok=
done
if [ -z "$force" ] && [ -n "$outputs_ok" ] && [ "$(cat "$RIG_OUT/stamp" 2>/dev/null)" = "$sum" ]; then
	pv32_host
	rig_manifest
	step RIG "host image up to date ($RIG_OUT, kernel $KVER)"
	exit 0
fi
rm -f "$RIG_OUT/stamp"

# --- host-side files from debs (never installed on this machine).
debs=$RIG_OUT/debs
rm -rf "$debs" "$RIG_OUT/host" "$RIG_OUT/x"
mkdir -p "$debs" "$RIG_OUT/host" "$RIG_OUT/x"
step DOWNLOAD "$HOST_DEBS (log: $RIG_LOGS/download.log)"
run_logged download "$RIG_LOGS/download.log" \
	sh -c "cd '$debs' && apt-get download $HOST_DEBS"
for d in "$debs"/*.deb; do
	dpkg-deb -x "$d" "$RIG_OUT/x"
done
step XEN "gunzip xen-4.17-amd64.gz -> host/xen"
gzip -dc "$RIG_OUT"/x/boot/xen-4.17-amd64.gz >"$RIG_XEN"
cp "$RIG_OUT"/x/boot/xen-4.17-amd64.config "$RIG_OUT/host/xen.config"

# --- pvgrub2 (32-bit PV GRUB) images.
step PVGRUB "grub-mkstandalone -O i386-xen (log: $RIG_LOGS/pvgrub.log)"
gdir=$RIG_OUT/x/usr/lib/grub/i386-xen
cat >"$RIG_OUT/x/pvgrub.cfg" <<'CFG'
echo "RIG-PVGRUB: pvgrub32 started"
# The guest's own disk, an ext4 image without partitions.  Never `search`
# for /boot/grub/grub.cfg: the memdisk has one too (this file).
set root=(xen/xvda)
if [ -f /boot/grub/grub.cfg ]; then
	echo "RIG-PVGRUB: loading (xen/xvda)/boot/grub/grub.cfg"
	configfile /boot/grub/grub.cfg
fi
echo "RIG-PVGRUB: no grub.cfg on (xen/xvda)"
halt
CFG
cat >"$RIG_OUT/x/payload.cfg" <<'CFG'
echo "RIG-PAYLOAD: 32-bit PV payload kernel started (pvgrub2 #2, from xvda)"
halt
CFG
: >"$RIG_LOGS/pvgrub.log"
run_logged pvgrub "$RIG_LOGS/pvgrub.log" grub-mkstandalone -O i386-xen -d "$gdir" \
	-o "$RIG_PVGRUB" "boot/grub/grub.cfg=$RIG_OUT/x/pvgrub.cfg"
# The payload is read by the first pvgrub through blkfront, slowly under
# TCG: only the modules it needs (284 KB instead of 8.5 MB).
run_logged pvgrub "$RIG_LOGS/pvgrub-payload.log" grub-mkstandalone -O i386-xen -d "$gdir" \
	--install-modules="normal echo halt" --fonts= --locales= --themes= \
	-o "$RIG_PVGRUB_PAYLOAD" "boot/grub/grub.cfg=$RIG_OUT/x/payload.cfg"

# --- placeholder guest root (until `make guest` provides out/guest/root).
step GUEST "placeholder guest root (busybox-static i386) -> placeholder-root/"
rm -rf "$RIG_PLACEHOLDER"
mkdir -p "$RIG_PLACEHOLDER"/{bin,sbin,proc,sys,dev,tmp,root,etc}
cp "$RIG_OUT"/x/bin/busybox "$RIG_PLACEHOLDER/bin/busybox"
for a in sh mount umount cat echo ls sleep uname poweroff grep dmesg; do
	ln -sf busybox "$RIG_PLACEHOLDER/bin/$a"
done
ln -sf ../bin/busybox "$RIG_PLACEHOLDER/sbin/poweroff"
install -m 0755 "$RIG_DIR/placeholder-init" "$RIG_PLACEHOLDER/init"

# --- dom0 root: kept in out/rig/dom0-root between builds and made again
# only when its packages (names, versions) or the mmdebstrap call change.
root=$RIG_OUT/dom0-root
srcs=/etc/apt/sources.list.d/debian.sources
[ -f "$srcs" ] || srcs=/etc/apt/sources.list
mmargs=(--variant=essential --include="$DOM0_PKGS"
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
	--dpkgopt='path-exclude=/usr/share/locale/*' bookworm)
rootsum=$( { grep -v '^pkg \(grub-xen-bin\|busybox-static\)' "$manifest_tmp"; echo "${mmargs[*]}"; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$RIG_OUT/dom0-root.stamp" 2>/dev/null)" = "$rootsum" ] && [ -d "$root/usr/lib/xen-4.17" ]; then
	step DOM0ROOT "dom0 root up to date (kernel $KVER)"
else
	rm -rf "$root" "$RIG_OUT/dom0-root.stamp"
	step DOM0ROOT "dom0 root, kernel $KVER (log: $RIG_LOGS/mmdebstrap.log)"
	run_logged mmdebstrap "$RIG_LOGS/mmdebstrap.log" mmdebstrap "${mmargs[@]}" "$root" "$srcs"
	echo "$rootsum" >"$RIG_OUT/dom0-root.stamp"
fi
cp "$root/boot/vmlinuz-$KVER" "$RIG_VMLINUZ"
cp "$root/boot/initrd.img-$KVER" "$RIG_OUT/host/initrd-debian.img"
[ -f "$root/usr/lib/xen-4.17/boot/xen-shim" ] || die "dom0 root has no xen-shim"

# --- the rig's initramfs: static i386 busybox + the root-disk modules.
step INITRD "rig initramfs (virtio, xen-blkfront, ext4 modules of $KVER)"
ird=$RIG_OUT/x/initrd
mkdir -p "$ird"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$RIG_OUT"/x/bin/busybox "$ird/bin/busybox"
: >"$ird/modules"
for m in virtio_pci virtio_blk ext4 xen-blkfront; do
	chroot "$root" modprobe --show-depends -S "$KVER" "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	cp "$root$ko" "$ird/lib/modules/"
	basename "$ko" >>"$ird/modules"
done
install -m 0755 "$RIG_DIR/initrd-init" "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$RIG_INITRD"
chroot "$root" dpkg-query -W -f='dom0 ${Package} ${Version}\n' >"$RIG_OUT/dom0-packages.txt"

step DOM0 "rig files into the dom0 root"
install -m 0755 "$RIG_DIR/dom0/rig-init" "$root/sbin/rig-init"
install -m 0755 "$RIG_DIR/dom0/rig-scenario" "$root/usr/local/sbin/rig-scenario"
install -m 0644 "$RIG_DIR/dom0/profile" "$root/etc/profile.d/rig.sh"
install -m 0755 "$RIG_DIR/dom0/rig-block" "$RIG_DIR/dom0/rig-vif" "$root/etc/xen/scripts/"
echo rig-dom0 >"$root/etc/hostname"
mkdir -p "$root/rig" "$root/var/log/xen/console" "$root/var/lib/xen" "$root/var/run/xen"
install -m 0644 "$RIG_PVGRUB" "$root/usr/lib/xen-4.17/boot/pvgrub32.elf"
install -m 0644 "$RIG_INITRD" "$root/boot/rig-initrd.img"
# The 64-bit PV guests' kernel: the same vmlinuz, decompressed here once
# (its payload is xz), so that xl create in dom0 loads an ELF instead of
# decompressing 8 MB of xz under TCG for every guest.
step KERNEL "decompressed kernel for the PV guests -> /boot/rig-vmlinux"
vmlinux=$RIG_OUT/host/vmlinux
off=$(LC_ALL=C grep -abo $'\xfd''7zXZ' "$RIG_VMLINUZ" | head -n1 | cut -d: -f1 || true)
rm -f "$vmlinux"
# (xz complains about the data after the payload: the ELF is complete)
[ -z "$off" ] || tail -c +$((off + 1)) "$RIG_VMLINUZ" | xz -dc >"$vmlinux" 2>/dev/null || true
if [ "$(head -c 4 "$vmlinux" 2>/dev/null | tail -c 3)" = ELF ]; then
	install -m 0644 "$vmlinux" "$root/boot/rig-vmlinux"
else
	step KERNEL "no xz payload found: the guests get the compressed vmlinuz"
	install -m 0644 "$RIG_VMLINUZ" "$root/boot/rig-vmlinux"
fi

size_mb=$(( $(du -sm "$root" | cut -f1) + 512 ))
step MKE2FS "dom0.img (${size_mb} MB, log: $RIG_LOGS/mke2fs-dom0.log)"
rm -f "$RIG_DOM0_IMG"
run_logged mke2fs "$RIG_LOGS/mke2fs-dom0.log" \
	mke2fs -q -F -t ext4 -L rig-dom0 -d "$root" "$RIG_DOM0_IMG" "${size_mb}M"
rm -rf "$RIG_OUT/x"

{
	cat "$manifest_tmp"
	echo "xen $(strings "$RIG_XEN" | grep -m1 -o 'Xen version [^ ]*' || true)"
	cat "$RIG_OUT/dom0-packages.txt"
	echo "stamp $sum"
} >"$RIG_OUT/manifest-host.txt"
echo "$sum" >"$RIG_OUT/stamp"
pv32_host
rig_manifest
step RIG "host image ready: $RIG_OUT (manifest.txt)"
exit
}
