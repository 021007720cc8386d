#!/usr/bin/env bash
# Batching, measured: the series' i386 domU on host B (one vCPU, 512 MB
# and highmem=0, so that no kmap of a highmem page adds its own
# hypercalls; it is also the rig's 512 MB boot under xl's builder, and
# its run on an Intel CPU model, where Xen checks PV page-table writes
# for L1TF: xen/0010 writes boot-time entries whole for it) runs
# guest/hcbench.c's windows while the QEMU plugin tools/bench/hcount.c
# counts its hypercalls (tools/bench/hypercalls.sh pv32; the counts per
# op come from tools/bench/hcreport.py --json).
#   - lazy CPU mode: a context switch's hypervisor work (kernel stack,
#     TLS, cr3) goes to Xen as one multicall: 0.9-1.1 multicalls per
#     context switch in the pipe round trips, and almost no single
#     hypercall flushed from a batch of one;
#   - multicall batching in fork: the page-table work of fork + exit +
#     wait (pinning the child's tables, queued pte and mmuext updates,
#     TLB flushes, the switches) is queued with xen_mc_entry() and sent
#     in batches: at least 1.5 queued entries per hypercall that carried
#     them (a multicall, or a batch of one sent as a plain hypercall).
#     Sent one by one, the ratio is 1.
#     (Not asserted: lazy MMU batching of the pte updates themselves.
#     In 6.12 a fork's write-protection of the parent's ptes is a plain
#     write to a pinned table, which Xen emulates, not a pv op, so the
#     fork window shows few queued pte updates; hcbench has no mprotect
#     window, where they would show.)
# Bounds from the runs of 2026-12-06 on host B: 1.00 multicalls per
# switch (2.03-2.08 per round trip of as many switches), 2.34-2.6 queued
# entries per carrying hypercall in fork + exit + wait.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || bail "the rig needs root (mmdebstrap); run as root"
k=${RIG_I386_KERNEL:-$OUT/build/i386-xen/vmlinux}
[ -f "$k" ] || bail "no i386 Xen kernel at $k: run make kernels (TEST_CONFIGS has i386-xen)"
log=$OUT/rig/t-hypercalls.out
mkdir -p "$OUT/rig"
# No stale counts: only this run's may be judged.
rm -f "$OUT"/bench/hc-args/pv32.counts "$OUT"/bench/hc-args/pv32.tap "$OUT"/bench/hc-args/pv32.run
HC_CPU=intel HC_PV32_MEM=512 HC_PV32_ARGS=highmem=0 RIG_I386_KERNEL=$k "$TOP/tools/bench/hypercalls.sh" pv32 >"$log" 2>&1
rc=$?
diag <"$log"
ok $rc "hypercall counting run of pv32 on host B (tools/bench/hypercalls.sh pv32, Intel CPU model, 512 MB, highmem=0)"
tr -d '\r' <"$OUT/rig/runs/hcbench-pv32/serial.log" 2>/dev/null | grep -q '^(XEN) CPU Vendor: Intel'
ok $? "the emulated CPU is an Intel model: $(tr -d '\r' <"$OUT/rig/runs/hcbench-pv32/serial.log" 2>/dev/null | grep -o 'CPU Vendor: .*' | head -n 1)"
con=$OUT/rig/runs/hcbench-pv32/results/guest-pv32.log
low=$(tr -d '\r' <"$con" 2>/dev/null | grep -Eo '[0-9]+MB LOWMEM available' | head -n 1)
tr -d '\r' <"$con" 2>/dev/null | grep -Eq '(^|[^0-9])0MB HIGHMEM available' &&
	[ "${low%%MB*}" -ge 480 ] 2>/dev/null && [ "${low%%MB*}" -le 512 ] &&
	grep -Eq '^ok [0-9]+ - 92-hcbench$' "$OUT/bench/hc-args/pv32.tap" 2>/dev/null
ok $? "xl's builder booted the domU with 512 MB (no highmem: $low) and it ran its test"
json=$OUT/rig/t-hypercalls.json
python3 "$TOP/tools/bench/hcreport.py" "$OUT/bench/hc-args" --json >"$json" 2>&1
# The two ratios, from the counts of the run.
read -r per_switch singles_per_switch per_flush < <(python3 - "$json" <<'EOF2' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1])).get('pv32', {})
p, f = d.get('pipe-pingpong'), d.get('fork-exit')
if not p or not f:
    print('- - -')
    sys.exit(0)
sw = max(p['switches'], 1)
carried = max(f['mcalls'] + f['by'].get('mc-single', 0), 1)
print('%.2f %.2f %.2f' % (p['mcalls'] / sw, p['by'].get('mc-single', 0) / sw, f['entries'] / carried))
EOF2
)
awk -v a="$per_switch" -v b="$singles_per_switch" 'BEGIN { exit !(a + 0 >= 0.9 && a + 0 <= 1.1 && b + 0 < 0.1 && a != "-") }'
ok $? "lazy CPU mode: one multicall per context switch (pipe round trips): ${per_switch:-?} multicalls and ${singles_per_switch:-?} single flushed hypercalls per switch"
awk -v c="$per_flush" 'BEGIN { exit !(c != "-" && c + 0 >= 1.5) }'
ok $? "fork + exit + wait: its page-table work goes in batches: ${per_flush:-?} queued entries per hypercall that carried them (bound 1.5)"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1])).get("pv32", {})
for op, r in sorted(d.items()):
    n = r["n"]
    print("%s: %.2f hypercalls, %.2f multicalls, %.2f queued updates, %.2f context switches per op" % (
        op, r["total"] / n, r["mcalls"] / n, r["entries"] / n, r["switches"] / n))' "$json" 2>/dev/null | diag
done_testing
