#!/usr/bin/env bash
# guest.sh: build the guest userspace, out/guest/:
#   root/                 the tree: busybox-static (i386, from Debian's
#                         archive), /init, /tests and the static -m32
#                         programs built from guest/*.c
#   initramfs.cpio.gz     that tree as an initramfs
#   disk.img              that tree as an ext4 disk image (xvda, vda)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

G=$OUT/guest
R=$G/root
CC32=${CC32:-i686-linux-gnu-gcc}
mkdir -p "$G/debs"

# busybox-static for i386, downloaded once.
deb=$(ls "$G"/debs/busybox-static_*_i386.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	step GUEST "downloading busybox-static:i386"
	(cd "$G/debs" && apt-get download busybox-static:i386) >"$LOGDIR/guest-apt.log" 2>&1 ||
		{ tail -n 5 "$LOGDIR/guest-apt.log" >&2
		  die "apt-get download busybox-static:i386 failed (is the i386 architecture added? run tools/deps.sh as root)"; }
	deb=$(ls "$G"/debs/busybox-static_*_i386.deb | tail -n 1)
fi

step GUEST "assembling out/guest/root"
rm -rf "$R.new"
mkdir -p "$R.new"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,mnt,tests/bin}
dpkg-deb -x "$deb" "$G/bb"
cp "$G/bb/bin/busybox" "$R.new/bin/busybox"
rm -rf "$G/bb"
ln -s busybox "$R.new/bin/sh"
install -m 755 "$TOP/guest/init" "$R.new/init"
ln -s ../init "$R.new/sbin/init"
install -m 755 "$TOP"/guest/tests/[0-9]* "$R.new/tests/"
for c in "$TOP"/guest/*.c; do
	n=$(basename "$c" .c)
	"$CC32" -static -O2 -Wall -Werror -o "$R.new/tests/bin/$n" "$c" >"$LOGDIR/guest-cc-$n.log" 2>&1 ||
		{ cat "$LOGDIR/guest-cc-$n.log" >&2; die "compiling guest/$n.c failed"; }
done
# The kernel's own x86 selftests, from the patched tree, as 32-bit.
S=${TREE:-$OUT/linux}/tools/testing/selftests/x86
if [ -d "$S" ]; then
	mkdir -p "$R.new/tests/bin/x86"
	while read -r t extra; do
		"$CC32" -static -O2 -std=gnu99 -pthread -Wall -no-pie -DCAN_BUILD_32 \
			-o "$R.new/tests/bin/x86/${t}_32" "$S/$t.c" ${extra:+"$S/$extra"} \
			-lrt -ldl -lm >"$LOGDIR/guest-cc-$t.log" 2>&1 ||
			{ cat "$LOGDIR/guest-cc-$t.log" >&2; die "compiling selftest $t failed"; }
		printf '#!/bin/sh\n# tools/testing/selftests/x86/%s.c, 32-bit\nexec /tests/bin/x86/%s_32\n' \
			"$t" "$t" >"$R.new/tests/60-x86-$t"
		chmod 755 "$R.new/tests/60-x86-$t"
	done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/guest/x86-selftests.list")
else
	step GUEST "no kernel tree: x86 selftests left out (make tree)"
fi
echo "guest tree of $(date -u +%Y-%m-%d) from $(basename "$deb")" >"$R.new/guest-disk-marker"
rm -rf "$R"
mv "$R.new" "$R"

step GUEST "initramfs.cpio.gz, disk.img"
(cd "$R" && find . | sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9n >"$G/initramfs.cpio.gz.new"
mv "$G/initramfs.cpio.gz.new" "$G/initramfs.cpio.gz"
rm -f "$G/disk.img.new"
mke2fs -q -F -t ext4 -L guest -d "$R" "$G/disk.img.new" 64M >"$LOGDIR/guest-mke2fs.log" 2>&1 ||
	{ cat "$LOGDIR/guest-mke2fs.log" >&2; die "mke2fs of the guest disk failed"; }
mv "$G/disk.img.new" "$G/disk.img"
