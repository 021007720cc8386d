#!/usr/bin/env python3
"""pcprof-annotate.py DIR KERNEL OP FUNCTION...: the disassembly of each
FUNCTION of out/build/KERNEL/vmlinux with the executions per operation
of each instruction in the pcprof window of OP (DIR/KERNEL/win.N, N the
op's index in guest/bench.c, in the last repeat).

vmlinux holds the code before boot-time patching: a pv call site
(call *pv_ops+off) shows as the indirect call, and the instructions that
ran in its place (inline native code, NOPs) are listed after it with
their own addresses, marked "patched"."""
import glob
import os
import re
import subprocess
import sys

d, k, op = sys.argv[1:4]
funcs = sys.argv[4:]
top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = os.environ.get("OUT", os.path.join(top, "out"))
ops = re.findall(r'\{ "([^"]+)", op_\w+, (\d+) \}', open(os.path.join(top, "guest/bench.c")).read())
idx = [o for o, _ in ops].index(op)
n = int(ops[idx][1])
nwin = len(glob.glob(f"{d}/{k}/win.*"))
idx += (nwin // len(ops) - 1) * len(ops)
cnt = {}
for line in open(f"{d}/{k}/win.{idx}"):
    a, c = line.split()
    if a != "user":
        cnt[int(a, 16)] = int(c)
vmlinux = os.path.join(out, "build", k, "vmlinux")
syms = [(int(l.split()[0], 16), l.split()[2]) for l in open(f"{d}/{k}/System.map")
        if l.split()[1] in "tTwW"]
symaddrs = sorted(a for a, _ in syms)
for fn in funcs:
    starts = sorted(a for a, name in syms if name == fn)
    if not starts:
        print(f"{fn}: not in {d}/{k}/System.map")
        continue
    for lo in starts:
        # The function ends where the next symbol starts.
        hi = min((a for a in symaddrs if a > lo), default=lo + 4096)
        dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn",
                              f"--start-address={lo:#x}", f"--stop-address={hi:#x}", vmlinux],
                             capture_output=True, text=True).stdout
        lines = [l for l in dis.splitlines() if re.match(r"\s*[0-9a-f]+:\t", l)]
        addrs = [int(l.split(":")[0], 16) for l in lines]
        total = sum(c for a, c in cnt.items() if lo <= a < hi)
        print(f"== {k} {fn} at {lo:x} ({op}: {total / n:.2f} instructions per operation)")
        static = set(addrs)
        for i, l in enumerate(lines):
            a = addrs[i]
            c = cnt.get(a, 0)
            print(f"{c / n:9.2f} {l.strip()}")
            end = addrs[i + 1] if i + 1 < len(addrs) else hi
            for b in range(a + 1, end):
                if b in cnt and b not in static:
                    print(f"{cnt[b] / n:9.2f}   {b:x}: (patched)")
        print()
