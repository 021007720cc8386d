#!/usr/bin/env bash
# The rig's host image (tools/rig/build.sh): built from Debian packages
# under out/rig, with a manifest of the versions used, and not rebuilt when
# nothing changed.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || bail "the rig needs root (mmdebstrap); run as root"
R=$OUT/rig
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$TOP/tools/rig/build.sh" >"$log" 2>&1
rc=$?
diag <"$log"
ok $rc "tools/rig/build.sh builds (or finds up to date) the host image"
"$TOP/tools/rig/build.sh" >"$log" 2>&1 && grep -q "host image up to date" "$log"
ok $? "a second build has nothing to do (stamp on the inputs' checksum)"
head -c 4 "$R/host/xen" 2>/dev/null | grep -q ELF
ok $? "host/xen is the gunzipped ELF Xen (for QEMU's multiboot -kernel)"
grep -q '^pkg xen-hypervisor-4.17-amd64 4\.17' "$R/manifest.txt" &&
	grep -q '^kernel linux-image-6\.1\.0-[0-9]*-amd64$' "$R/manifest.txt" &&
	grep -q '^dom0 xen-utils-4.17 4\.17' "$R/manifest.txt"
ok $? "manifest.txt records the Xen, kernel and dom0 package versions"
grep -E '^(kernel|pkg xen|xen|dom0 (xen-utils|linux-image))' "$R/manifest.txt" | diag
[ -s "$R/dom0.img" ] && [ -s "$R/host/pvgrub32.elf" ] && [ -s "$R/host/initrd.img" ]
ok $? "dom0.img, the initramfs and the 32-bit pvgrub image exist"
! dpkg-query -W -f='${db:Status-Status}' xen-hypervisor-4.17-amd64 2>/dev/null | grep -q installed
ok $? "xen-hypervisor is not installed on the build machine"
done_testing
