#!/usr/bin/env bash
# The i386-native kernel boots under qemu-system-i386 (TCG, 2 vCPUs) with
# the guest initramfs and a virtio disk, and the guest's tests pass:
# userspace, both CPUs online, PAE paging, fork/exec/pipes/signals/mmap.
. "$(dirname "$0")/lib.sh"
name=${CONFIG:-i386-native}
k=$OUT/build/$name/arch/x86/boot/bzImage
[ -f "$k" ] || bail "no kernel $k: run make kernel CONFIG=$name first"
command -v qemu-system-i386 >/dev/null || bail "qemu-system-i386 is not installed (tools/deps.sh)"

"$TOP/tools/boot-native.sh" "$name" >"$OUT/logs/t-boot-$name.out" 2>&1
rc=$?
diag <"$OUT/logs/t-boot-$name.out"
ok $rc "$name boots to userspace and finishes its tests within the bound"
if [ $rc -eq 0 ]; then
	guest_results "$OUT/logs/boot-$name.tap" "$name"
	! grep -qE 'WARNING:|BUG:|Oops|Call Trace' "$OUT/logs/boot-$name.log"
	ok $? "$name: the kernel log has no WARNING, BUG or Oops"
fi
done_testing
