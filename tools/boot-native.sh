#!/usr/bin/env bash
# boot-native.sh NAME: boot out/build/NAME under qemu-system-i386 (TCG)
# with the guest initramfs and disk, wait for the guest's TAP with a bound,
# and leave the serial log in out/logs/boot-NAME.log and the guest's TAP
# in out/logs/boot-NAME.tap.  Exit 0 when the guest printed its whole TAP
# (whatever the results), 1 on a hang, panic or early exit, with the log
# tail.
#
# Environment: CPUS (2), MEM (512), TIMEOUT (300 s), APPEND (extra kernel
# command line), QEMU_CPU (qemu32,+pae,+nx), KERNEL (default the bzImage).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: boot-native.sh NAME}
CPUS=${CPUS:-2}
MEM=${MEM:-512}
TIMEOUT=${TIMEOUT:-300}
QEMU_CPU=${QEMU_CPU:-qemu32,+pae,+nx}
KERNEL=${KERNEL:-$OUT/build/$name/arch/x86/boot/bzImage}
G=$OUT/guest
log=$LOGDIR/boot-$name.log
tap=$LOGDIR/boot-$name.tap

[ -f "$KERNEL" ] || die "no kernel $KERNEL (make kernel CONFIG=$name)"
[ -f "$G/initramfs.cpio.gz" ] || die "no guest initramfs (make guest)"
# One boot of a kernel at a time: its log, TAP and disk copy are per
# kernel (make bench and make test may run side by side).
exec 9>"$LOGDIR/boot-$name.lock"
if ! flock -w "$TIMEOUT" 9; then
	die "boot $name: another boot of $name held the lock for ${TIMEOUT}s"
fi
# The disk is a copy: the guest may write to it.
cp "$G/disk.img" "$OUT/boot-$name-disk.img"

rm -f "$log" "$tap"
step BOOT "$name: qemu-system-i386, $CPUS vCPUs, ${MEM}M, bound ${TIMEOUT}s (log: ${log#"$TOP"/})"
t0=$(date +%s)
timeout --kill-after=5 "$TIMEOUT" qemu-system-i386 -M pc -cpu "$QEMU_CPU" \
	-smp "$CPUS" -m "$MEM" -nographic -no-reboot -display none \
	-monitor none -nic none -serial "file:$log" \
	-kernel "$KERNEL" -initrd "$G/initramfs.cpio.gz" \
	-drive "file=$OUT/boot-$name-disk.img,if=virtio,format=raw" \
	-append "console=ttyS0 panic=-1 oops=panic guest.cpus=$CPUS guest.disk=vda ${APPEND:-}" \
	${QEMU_EXTRA:-} </dev/null >"$LOGDIR/qemu-$name.out" 2>&1 &
qpid=$!

# Wait for the end marker, a panic, or QEMU's exit, whichever is first.
state=running
while kill -0 $qpid 2>/dev/null; do
	if grep -q '^=== GUEST-TAP END ===' "$log" 2>/dev/null; then
		state=done
		break
	fi
	if grep -qE 'Kernel panic|end Kernel panic' "$log" 2>/dev/null; then
		state=panic
		break
	fi
	sleep 1
done
if [ $state = done ]; then
	# The guest powers off by itself; give it a bounded moment.
	for _ in $(seq 30); do kill -0 $qpid 2>/dev/null || break; sleep 1; done
fi
kill $qpid 2>/dev/null || true
wait $qpid 2>/dev/null && qrc=0 || qrc=$?
t1=$(date +%s)
tr -d '\r' <"$log" | sed -n '/^=== GUEST-TAP BEGIN ===/,/^=== GUEST-TAP END ===/p' >"$tap"

if grep -q '^=== GUEST-TAP END ===' "$tap"; then
	step BOOT "$name: guest finished its tests in $((t1 - t0)) s"
	exit 0
fi
case $state in
panic) why="the kernel panicked" ;;
running) if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
		why="no end of the guest's TAP within ${TIMEOUT}s (hang)"
	else
		why="QEMU exited (status $qrc) before the guest's TAP ended"
	fi ;;
*) why="unknown" ;;
esac
echo "error: boot $name: $why; last lines of $log:" >&2
tr -d '\r' <"$log" | tail -n 30 | sed 's/^/  | /' >&2
tail -n 5 "$LOGDIR/qemu-$name.out" | sed 's/^/  qemu| /' >&2
exit 1
