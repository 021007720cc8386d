#!/usr/bin/env bash
# hypercalls.sh [GUEST...]: hypercall accounting on the rig (make
# bench-hypercalls; Documentation/benchmarks.md, "Hypercalls per
# operation").  Default guests: peer64 pv32, both in one rig run;
# peer64shim (the peer through the PV shim, like pv32; one vCPU) is the
# control for what the shim does: hypercalls.sh peer64shim.
#
# One QEMU run of tools/rig/scenario.sh with
#   - the TCG plugin tools/bench/hcount.c (RIG_QEMU_EXTRA=-plugin ...),
#     counting int $0x82 (32-bit PV) and syscall (64-bit PV) hypercall
#     instructions and the call sites listed by tools/bench/hcsites.py
#     (hypercall number per site, the multicall in xen_mc_flush), per
#     QEMU vCPU, snapshotted at guest/hcbench.c's marker instructions;
#   - Xen's dom0 on one vCPU pinned to physical CPU 0
#     (dom0_max_vcpus=1 dom0_vcpus_pin) and the guests pinned to physical
#     CPU 1 (cpus = "1"), so dom0 (the same 64-bit kernel as peer64, at
#     the same addresses) never runs on the vCPU a guest is measured on;
#   - the guests given guest.tests=hcbench guest.hcbench=1 (the test
#     guest/tests/92-hcbench runs /tests/bin/hcbench).
# Then tools/bench/hcreport.py turns the snapshots into per-op counts and
# writes the table into Documentation/benchmarks.md.  Without arguments
# (make bench-hypercalls) a second rig run follows: pv32 alone with
# highmem=0 (no kmaps of highmem pages: what the 64-bit peer never has),
# results in out/bench/hc-nohigh/, and hcreport.py --nohigh writes that
# table against the first run's peer64 (the cover letter's figures).  Results of each
# guest are kept in out/bench/hc/ (GUEST.counts, .tap, .sites, .run), so
# a guest whose run failed can be run again alone: hypercalls.sh pv32.
#   HC_NOREPORT=1   only run, do not touch Documentation/benchmarks.md
#   HC_PV32_ARGS=.. more kernel arguments for pv32 (highmem=0: no highmem
#                   kmaps); with it, results go to
#                   out/bench/hc-args/ (or HC_DIR) and never into the
#                   document
#   HC_DIR=DIR      where the results of a run with HC_PV32_ARGS go
#   HC_PV32_MEM=MB  pv32's memory and maxmem (default: guest/xl/pv32.cfg's)
#   HC_CPU=intel    the emulated CPU's vendor (scenario.sh -C; default amd)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$TOP/tools/rig/lib.sh"

H=$OUT/bench/hc
[ -z "${HC_PV32_ARGS:-}" ] || H=${HC_DIR:-$OUT/bench/hc-args}
mkdir -p "$H"
if [ -n "${HC_PV32_ARGS:-}" ]; then
	HC_NOREPORT=1
	# the peer's last results, to compare with
	for f in "$OUT"/bench/hc/peer64.*; do
		[ ! -f "$f" ] || cp "$f" "$H/"
	done
fi
nohigh=
[ $# -gt 0 ] || [ -n "${HC_PV32_ARGS:-}" ] || [ -n "${HC_NOREPORT:-}" ] || nohigh=1
guests=("$@")
[ ${#guests[@]} -gt 0 ] || guests=(peer64 pv32)
for g in "${guests[@]}"; do
	case $g in pv32|peer64|peer64shim) ;; *) die "hypercalls.sh: guest $g? (pv32, peer64, peer64shim)" ;; esac
done

# The plugin (Debian ships no qemu-plugin.h: tools/bench has the subset).
so=$H/hcount.so
if [ ! -f "$so" ] || [ "$TOP/tools/bench/hcount.c" -nt "$so" ] || [ "$TOP/tools/bench/qemu-plugin.h" -nt "$so" ]; then
	step HCBENCH "building the hcount plugin"
	gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$so" "$TOP/tools/bench/hcount.c"
fi

# The guest programs: rebuild the guest trees when hcbench is not in them.
if [ "$TOP/guest/hcbench.c" -nt "$OUT/guest/root/tests/bin/hcbench" ] ||
   [ "$TOP/guest/tests/92-hcbench" -nt "$OUT/guest/root/tests/92-hcbench" ]; then
	step HCBENCH "guest tree without the current hcbench: tools/guest.sh"
	"$TOP/tools/guest.sh"
fi
if [[ " ${guests[*]} " == *" pv32 "* ]] &&
   ! cmp -s "$OUT/guest/root/tests/bin/hcbench" "$OUT/guest/debian/root/tests/bin/hcbench"; then
	step HCBENCH "Debian guest root without the current hcbench: tools/guest-debian.sh"
	"$TOP/tools/guest-debian.sh"
fi

# The kernels, and their hypercall sites.  pv32: a copy of the series'
# kernel (out/build may be rebuilt meanwhile); the run boots the copy.
i386k=${RIG_I386_KERNEL:-$OUT/build/i386-xen/vmlinux}
[ -f "$i386k" ] || die "no i386 Xen kernel at $i386k (make kernel CONFIG=i386-xen, or RIG_I386_KERNEL)"
peerk=$RIG_OUT/dom0-root/boot/rig-vmlinux
[ -f "$peerk" ] || die "no peer kernel $peerk (make rig)"
sites() { # NAME KERNEL [MAP]: out/bench/hc/NAME.sites, cached by checksums
	local sum; sum=$(cat "$2" "${3:-/dev/null}" "$TOP/tools/bench/hcsites.py" | sha256sum | cut -c1-16)
	if [ "$(cat "$H/$1.sites.sum" 2>/dev/null)" != "$sum" ] || [ ! -s "$H/$1.sites.new" ]; then
		step HCBENCH "$1: hypercall sites of $2 (objdump)"
		python3 "$TOP/tools/bench/hcsites.py" "$2" "$H/$1.sites.new" ${3:+"$3"}
		echo "$sum" >"$H/$1.sites.sum"
	fi
}
cp "$i386k" "$H/pv32-vmlinux.new"
sites pv32 "$H/pv32-vmlinux.new"
# The peer's vmlinux is stripped (Debian's System.map is a placeholder):
# its symbols come from its own kallsyms tables.
python3 "$TOP/tools/bench/kallsyms.py" "$peerk" >"$H/peer64.map"
sites peer64 "$peerk" "$H/peer64.map"
cat "$H/pv32.sites.new" "$H/peer64.sites.new" >"$H/all.sites"

name=hcbench-$(IFS=+; echo "${guests[*]}")
counts=$H/$name.counts
rm -f "$counts"
xargs=()
for g in "${guests[@]}"; do
	# peer64shim.cfg is the SMP control, with two vCPUs: one here (vcpus
	# below, and nr_cpus=1 in case xl takes the config's first vcpus)
	more=
	[ "$g" != peer64shim ] || more=" nr_cpus=1"
	[ "$g" != pv32 ] || more=${HC_PV32_ARGS:+ $HC_PV32_ARGS}
	xargs+=(-x "$g=guest.tests=hcbench guest.again=none guest.hcbench=1$more")
	# pv32 (host B): one vCPU, and none of its life cycle: its tests,
	# then xl shutdown
	[ "$g" != pv32 ] || xargs+=(-o pv32:vcpus=1 -m pv32:sysrq= -m pv32:end=shutdown)
	[ "$g" != pv32 ] || [ -z "${HC_PV32_MEM:-}" ] ||
		xargs+=(-o "pv32:memory=$HC_PV32_MEM" -o "pv32:maxmem=$HC_PV32_MEM")
	[ "$g" != peer64shim ] || xargs+=(-o peer64shim:vcpus=1)
done
step HCBENCH "rig run $name: ${guests[*]} (dom0 on pCPU 0, guests on pCPU 1, plugin counts vCPU 1)"
t0=$(date +%s)
rc=0
RIG_I386_KERNEL=$H/pv32-vmlinux.new \
RIG_XEN_CMDLINE="$RIG_XEN_CMDLINE dom0_max_vcpus=1 dom0_vcpus_pin" \
RIG_XL_EXTRA='cpus = "1"' \
RIG_QEMU_EXTRA="-plugin $so,out=$counts,sites=$H/all.sites" \
	"$TOP/tools/rig/scenario.sh" -q -n "$name" -C "${HC_CPU:-amd}" "${xargs[@]}" "${guests[@]}" || rc=$?
step HCBENCH "rig run $name ended (exit $rc) after $(( $(date +%s) - t0 )) s"

run=$RIG_OUT/runs/$name
ok=0
for g in "${guests[@]}"; do
	tap=$run/$g.tap
	if [ -f "$tap" ] && grep -q '^# hcbench 5 ' "$tap" && [ -s "$counts" ]; then
		cp "$counts" "$H/$g.counts"
		cp "$tap" "$H/$g.tap"
		if [ "$g" = pv32 ]; then
			cp "$H/pv32.sites.new" "$H/pv32.sites"
			mv "$H/pv32-vmlinux.new" "$H/pv32-vmlinux"
		else
			cp "$H/peer64.sites.new" "$H/$g.sites"
		fi
		k=$peerk
		[ "$g" != pv32 ] || k=$H/pv32-vmlinux
		more=
		[ "$g" != pv32 ] || more="; kernel arguments added: ${HC_PV32_ARGS:-none}"
		echo "run $name of $(date -u +%Y-%m-%d) ($(( $(date +%s) - t0 )) s wall, rig stages in ${run#"$TOP"/}/stages.txt; vmlinux sha256 $(sha256sum "$k" | cut -c1-16)$more)" >"$H/$g.run"
		step HCBENCH "$g: results kept in ${H#"$TOP"/}"
		ok=$((ok + 1))
	else
		step WARN "$g: no complete hcbench output (see ${run#"$TOP"/})"
	fi
done
[ "$ok" -gt 0 ] || die "no guest finished its hcbench windows"
if [ -z "${HC_NOREPORT:-}" ]; then
	python3 "$TOP/tools/bench/hcreport.py" "$H" --doc "$TOP/Documentation/benchmarks.md"
else
	python3 "$TOP/tools/bench/hcreport.py" "$H"
fi
[ "$ok" -eq ${#guests[@]} ] || exit 1
[ -n "$nohigh" ] || exit 0
# The same kernel without highmem, against this run's peer64.
N=$OUT/bench/hc-nohigh
rm -f "$N"/pv32.counts "$N"/pv32.tap "$N"/pv32.run
step HCBENCH "pv32 again with highmem=0 (results in ${N#"$TOP"/})"
RIG_I386_KERNEL=$H/pv32-vmlinux HC_DIR=$N HC_PV32_ARGS=highmem=0 "$0" pv32
python3 "$TOP/tools/bench/hcreport.py" --nohigh "$N" --doc "$TOP/Documentation/benchmarks.md"
