#!/usr/bin/env python3
"""pcprof-sites.py DIR KERNEL: per benchmark op (last repeat of the pcprof
windows in DIR/KERNEL), how often each pv_ops call site of
out/build/KERNEL/vmlinux ran and how many instructions ran inside the
sites, per pv op.  Needs CONFIG_PARAVIRT_SITE_STATS (the .pv_sites
section and the pv_op_names table of arch/x86/kernel/paravirt-sites.c).

For each op: "runs" is how often a site was entered (the count at its
first byte), "insns" the instructions executed inside the site bytes
after boot-time patching: a site patched to native code runs its native
instruction(s) plus a padding NOP, a direct call site a call plus a
one-byte NOP, an identity site one NOP.  Instructions of the called
function (direct calls) are not included.  "nops" is the padding NOP
each site ends with (the one executed at the highest address of the
site; cpu.iret, whose site is a jmp, has none that runs)."""
import glob
import os
import re
import struct
import subprocess
import sys

d, k = sys.argv[1:3]
top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = os.environ.get("OUT", os.path.join(top, "out"))
vmlinux = os.path.join(out, "build", k, "vmlinux")
ops = re.findall(r'\{ "([^"]+)", op_\w+, (\d+) \}', open(os.path.join(top, "guest/bench.c")).read())

# Sections: name -> (addr, file offset, size)
secs = {}
for line in subprocess.run(["readelf", "-SW", vmlinux], capture_output=True, text=True).stdout.splitlines():
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
    if m:
        secs[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16), int(m.group(4), 16))
img = open(vmlinux, "rb").read()


def read(addr, n):
    for a, off, size in secs.values():
        if a and a <= addr and addr + n <= a + size:
            return img[off + addr - a: off + addr - a + n]
    raise ValueError(f"address {addr:#x} not in any section")


def cstr(addr):
    s = b""
    while True:
        c = read(addr, 1)
        if c == b"\0":
            return s.decode()
        s += c
        addr += 1


sym = {}
for line in subprocess.run(["nm", "-S", vmlinux], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) == 4:
        sym[f[3]] = (int(f[0], 16), int(f[1], 16))
names = {}
a, size = sym["pv_op_names"]
for i in range(0, size, 8):
    off, p = struct.unpack("<II", read(a + i, 8))
    names[off] = cstr(p)
a, _, size = secs[".pv_sites"]
sites = []
for i in range(0, size, 8):
    rel, opoff, ln, _ = struct.unpack("<iHBB", read(a + i, 8))
    sites.append((a + i + rel, ln, names.get(opoff, f"op+{opoff}")))

nwin = len(glob.glob(f"{d}/{k}/win.*"))
last = (nwin // len(ops) - 1) * len(ops)
for i, (op, n) in enumerate(ops):
    n = int(n)
    cnt = {}
    for line in open(f"{d}/{k}/win.{last + i}"):
        x, c = line.split()
        if x != "user":
            cnt[int(x, 16)] = int(c)
    per = {}
    for s, ln, name in sites:
        runs = cnt.get(s, 0)
        ran = [b for b in range(s, s + ln) if cnt.get(b, 0)]
        if ran:
            r = per.setdefault(name, [0, 0, 0, 0])
            r[0] += runs
            r[1] += sum(cnt[b] for b in ran)
            r[2] += 1
            r[3] += 0 if name == "cpu.iret" else cnt[ran[-1]]
    print(f"== {op} (per operation)")
    print(f"   {'pv op':28s} {'sites':>5s} {'runs':>10s} {'insns':>10s} {'nops':>10s}")
    tr = ti = tn = 0
    for name, (runs, ins, ns, nops) in sorted(per.items(), key=lambda x: -x[1][1]):
        print(f"   {name:28s} {ns:5d} {runs / n:10.2f} {ins / n:10.2f} {nops / n:10.2f}")
        tr += runs
        ti += ins
        tn += nops
    print(f"   {'total':28s} {'':5s} {tr / n:10.2f} {ti / n:10.2f} {tn / n:10.2f}")
    print()
