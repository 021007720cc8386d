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
# The wrappers of the kernel's selftests (60-x86-*, 61-kst-*) source this:
# st_run PROGRAM ARGS runs one invocation and judges it, st_end exits with
# the verdict of them all: 1 when one failed, 0 when one passed, 4 (the
# guest's SKIP) when all skipped.  An invocation skipped when it exits 4
# (kselftest's KSFT_SKIP) or exits 0 having printed SKIP results only
# ("[SKIP]", "ok N # SKIP", "1..0 # SKIP") and no pass ("[OK]", "ok N").
cat >"$R.new/tests/bin/selftest.sh" <<'EOS'
# /tests/bin/selftest.sh (tools/guest.sh): sourced by the selftest wrappers
st_pass=0 st_skip=0 st_fail=0 st_why=
st_run() {
	st_o=/tmp/selftest.$$.out st_cmd="$*"
	st_t0=$(date +%s)
	"$@" >"$st_o" 2>&1
	st_rc=$?
	st_t1=$(date +%s)
	cat "$st_o"
	st_p=$(grep -E '\[OK\]|^ok [0-9]+' "$st_o" | grep -vcE '# *SKIP')
	st_s=$(grep -cE '\[SKIP\]|^ok [0-9]+.*# *SKIP|^1\.\.0 # *SKIP' "$st_o")
	if [ $st_rc = 4 ] || { [ $st_rc = 0 ] && [ "$st_s" -gt 0 ] && [ "$st_p" = 0 ]; }; then
		st_v=skip st_skip=$((st_skip + 1))
		[ -n "$st_why" ] || st_why=$(grep -m 1 -E '\[SKIP\]|# *SKIP' "$st_o")
		[ -n "$st_why" ] || st_why=$(tail -n 1 "$st_o")
	elif [ $st_rc = 0 ]; then
		st_v=pass st_pass=$((st_pass + 1))
	else
		st_v=FAIL st_fail=$((st_fail + 1))
	fi
	rm -f "$st_o"
	echo "selftest: ${st_cmd#/tests/bin/}: $st_v (exit $st_rc, $((st_t1 - st_t0)) s)"
}
st_end() {
	[ $st_fail = 0 ] || exit 1
	[ $st_pass -gt 0 ] || [ $st_skip = 0 ] || { echo "only SKIP results: $st_why"; exit 4; }
	exit 0
}
EOS
# The kernel's own x86 selftests, from the patched tree, as 32-bit.
T=${TREE:-$OUT/linux}
S=$T/tools/testing/selftests/x86
if [ -d "$S" ]; then
	mkdir -p "$R.new/tests/bin/x86"
	while read -r t extra; do
		"$CC32" -static -O2 -std=gnu99 -pthread -Wall -no-pie -DCAN_BUILD_32 \
			-I"$T/tools/testing/selftests" \
			-o "$R.new/tests/bin/x86/${t}_32" "$S/$t.c" ${extra:+"$S/$extra"} \
			-lrt -ldl -lm >"$LOGDIR/guest-cc-$t.log" 2>&1 ||
			{ cat "$LOGDIR/guest-cc-$t.log" >&2; die "compiling selftest $t failed"; }
		printf '#!/bin/sh\n# tools/testing/selftests/x86/%s.c, 32-bit\n. /tests/bin/selftest.sh\nst_run /tests/bin/x86/%s_32\nst_end\n' \
			"$t" "$t" >"$R.new/tests/60-x86-$t"
		chmod 755 "$R.new/tests/60-x86-$t"
	done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/guest/x86-selftests.list")
else
	step GUEST "no kernel tree: x86 selftests left out (make tree)"
fi
# The kernel's selftests beyond x86 (guest/kselftests.list): each
# DIR/NAME becomes /tests/bin/kst/DIR/NAME and the guest test
# 61-kst-TOP-NAME (TOP: DIR's first component), one st_run a line.
K=$T/tools/testing/selftests
if [ -d "$K" ]; then
	mkdir -p "$R.new/tests/bin/kst" "$G/kst-include"
	# For "-D_TIME_BITS=64 -include futex-time64.h" (guest/kselftests.list):
	# the futex tests' futex() then calls futex_time64 with the 64-bit
	# struct timespec that futex_waitv always takes.
	cat >"$G/kst-include/futex-time64.h" <<'EOH'
/* tools/guest.sh: 32-bit futex selftests with a 64-bit time_t */
#include <sys/syscall.h>
#undef SYS_futex
#define SYS_futex SYS_futex_time64
EOH
	# Every one of them includes this first: the tree's
	# tools/include/uapi/linux/types.h (found before the system's, for
	# the newer uapi definitions the tests use) lacks the posix types
	# the system's <linux/time_types.h> needs.
	printf '/* tools/guest.sh */\n#include <linux/posix_types.h>\n' >"$G/kst-include/kst-prelude.h"
	while read -r line; do
		args=
		case "$line" in *" -- "*) args=${line#* -- }; line=${line%% -- *} ;; esac
		read -r t extra <<<"$line"
		# @cpu0: run it pinned to CPU 0 (taskset), for a test that
		# assumes another thread reaches a point within a fixed time
		pin=
		case " $extra " in *" @cpu0 "*) pin="taskset 0x1 " extra=$(echo " $extra " | sed 's/ @cpu0 / /') ;; esac
		d=${t%/*} n=${t##*/}
		w=$R.new/tests/61-kst-${d%%/*}-$n
		bin=/tests/bin/kst/$t
		if [ ! -e "$w" ]; then
			mkdir -p "$R.new${bin%/*}"
			src=("$K/$t.c") flags=() want=
			for e in $extra; do	# sources, and compiler flags (-include takes one more)
				if [ -n "$want" ]; then
					flags+=("$e") want=
				else
					case "$e" in
					-include) flags+=("$e") want=1 ;;
					-*) flags+=("$e") ;;
					*) src+=("$K/$d/$e") ;;
					esac
				fi
			done
			log=$LOGDIR/guest-cc-kst-${t//\//-}.log
			"$CC32" -static -O2 -pthread -Wall -no-pie -D_GNU_SOURCE= \
				-I"$K" -I"$K/$d" -I"$K/$d/../include" -I"$T" \
				-isystem "$T/tools/include/uapi" -I"$G/kst-include" -include kst-prelude.h "${flags[@]}" \
				-o "$R.new$bin" "${src[@]}" -lrt -lm >"$log" 2>&1 ||
				{ cat "$log" >&2; die "compiling selftest $t failed"; }
			printf '#!/bin/sh\n# tools/testing/selftests/%s.c, 32-bit (guest/kselftests.list)\n. /tests/bin/selftest.sh\n' \
				"$t" >"$w"
			chmod 755 "$w"
		fi
		echo "st_run $pin$bin${args:+ $args}" >>"$w"
	done < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$TOP/guest/kselftests.list")
	for w in "$R.new"/tests/61-kst-*; do
		[ -e "$w" ] && echo st_end >>"$w"
	done
else
	step GUEST "no kernel tree: kselftests left out (make tree)"
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
