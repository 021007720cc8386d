# Helpers shared by the rig's host-side scripts; sourced, not run.
# shellcheck shell=bash

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=${TOP:-$(cd "$RIG_DIR/../.." && pwd)}
OUT=${OUT:-$TOP/out}
RIG_OUT=${RIG_OUT:-$OUT/rig}
RIG_LOGS=$RIG_OUT/logs
mkdir -p "$RIG_OUT" "$RIG_LOGS"

# Everything the build produces that the runs use.
RIG_XEN=$RIG_OUT/host/xen
RIG_VMLINUZ=$RIG_OUT/host/vmlinuz
RIG_INITRD=$RIG_OUT/host/initrd.img
RIG_DOM0_IMG=$RIG_OUT/dom0.img
RIG_PVGRUB=$RIG_OUT/host/pvgrub32.elf
RIG_PVGRUB_PAYLOAD=$RIG_OUT/host/pvgrub32-payload.elf
RIG_PLACEHOLDER=$RIG_OUT/placeholder-root
# Host B: Debian's Xen source rebuilt with CONFIG_PV32=y (xen-pv32.sh),
# kept apart from host/ (which build.sh remakes) with its .config,
# .manifest and .stamp beside it.
RIG_XEN_PV32=$RIG_OUT/xen-pv32/xen

# QEMU: the CPU model is the one that lets both the 64-bit PV dom0 and the
# PV shim run (see Documentation/rig.md, "CPU model").
RIG_QEMU_CPU=${RIG_QEMU_CPU:-qemu64,+svm,+npt,family=23,model=1,stepping=2}
RIG_QEMU_MEM=${RIG_QEMU_MEM:-3072}
# TCG flavour: one host thread for both vCPUs.  With QEMU 7.2's default
# for this target, multi-threaded TCG ("tcg"), QEMU itself died with
# SIGSEGV whenever the x86 selftest mov_ss_trap (data watchpoints, MOV SS)
# ran in the 32-bit guest under the PV shim (3 of 3 runs on 2026-11-27);
# with thread=single it passed, and dom0 booted no slower on this 2-core
# machine (with a two-vCPU guest it still crashed QEMU: see
# Documentation/rig.md).  RIG_QEMU_ACCEL=tcg brings MTTCG back.
RIG_QEMU_ACCEL=${RIG_QEMU_ACCEL:-tcg,thread=single}
RIG_XEN_CMDLINE=${RIG_XEN_CMDLINE:-loglvl=all guest_loglvl=all console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M}
RIG_DOM0_CMDLINE=${RIG_DOM0_CMDLINE:-root=/dev/vda rw console=hvc0 init=/sbin/rig-init}

# step, die, run_logged: the project's (tools/lib.sh).
# shellcheck source=tools/lib.sh
. "$TOP/tools/lib.sh"

# The dom0 / peer kernel: whichever linux-image-6.1.0-N-amd64 the archive's
# linux-image-amd64 points at now.
rig_kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n1
}

rig_candidate() { # PKG -> candidate version
	apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | head -n1
}
