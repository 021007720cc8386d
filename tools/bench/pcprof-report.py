#!/usr/bin/env python3
"""pcprof-report.py DIR BASE TEST BENCH_C: per op, the instructions per
operation of the kernels BASE and TEST, kernel and user, and the kernel
functions whose counts differ most, from the pcprof windows in
DIR/<kernel>/win.N (one per op and repeat, in guest/bench.c order; the
last repeat is used) and DIR/<kernel>/System.map.  Also writes
DIR/<kernel>/<op>.tsv: function, instructions per operation."""
import glob
import bisect
import re
import sys

d, base, test, bench_c = sys.argv[1:5]
ops = re.findall(r'\{ "([^"]+)", op_\w+, (\d+) \}', open(bench_c).read())


def symbols(path):
    addrs, names = [], []
    for line in open(path):
        a, t, n = line.split()[:3]
        if t in "tTwW":
            addrs.append(int(a, 16))
            names.append(n)
    order = sorted(range(len(addrs)), key=lambda i: addrs[i])
    return [addrs[i] for i in order], [names[i] for i in order]


def window(k, i, syms):
    addrs, names = syms
    funcs, user, kern = {}, 0, 0
    for line in open(f"{d}/{k}/win.{i}"):
        a, c = line.split()
        c = int(c)
        if a == "user":
            user = c
            continue
        j = bisect.bisect_right(addrs, int(a, 16)) - 1
        n = names[j] if j >= 0 else "?"
        funcs[n] = funcs.get(n, 0) + c
        kern += c
    return funcs, user, kern


def bench_numbers(k):
    r = {}
    for line in open(f"{d}/{k}/bench.tap"):
        m = re.match(r"# bench (\S+) \d+ ([0-9.]+)", line.strip())
        if m:
            r[m.group(1)] = float(m.group(2))   # the last repeat's
    return r


syms = {k: symbols(f"{d}/{k}/System.map") for k in (base, test)}
nwin = min(len(glob.glob(f"{d}/{k}/win.*")) for k in (base, test))
last = (nwin // len(ops) - 1) * len(ops)   # first window of the last repeat
if last < 0:
    sys.exit(f"fewer than {len(ops)} pcprof windows in {d}")
bn = {k: bench_numbers(k) for k in (base, test)}
for i, (op, n) in enumerate(ops):
    n = int(n)
    w = {k: window(k, last + i, syms[k]) for k in (base, test)}
    for k in (base, test):
        with open(f"{d}/{k}/{op}.tsv", "w") as f:
            for fn, c in sorted(w[k][0].items(), key=lambda x: -x[1]):
                f.write(f"{fn}\t{c / n:.2f}\n")
    kb, kt = w[base][2] / n, w[test][2] / n
    ub, ut = w[base][1] / n, w[test][1] / n
    print(f"== {op} (loop of {n}; instructions per operation)")
    print(f"   kernel  {base} {kb:10.1f}  {test} {kt:10.1f}  diff {kt - kb:+8.1f} ({(kt / kb - 1) * 100:+.2f}%)")
    print(f"   user    {base} {ub:10.1f}  {test} {ut:10.1f}  diff {ut - ub:+8.1f}")
    tb, tt = kb + ub, kt + ut
    print(f"   total   {base} {tb:10.1f}  {test} {tt:10.1f}  diff {tt - tb:+8.1f} ({(tt / tb - 1) * 100:+.2f}%)"
          f"   [bench timing this boot: {bn[base].get(op, 0):.1f} / {bn[test].get(op, 0):.1f}]")
    fb, ft = w[base][0], w[test][0]
    diffs = []
    for fn in set(fb) | set(ft):
        cb, ct = fb.get(fn, 0) / n, ft.get(fn, 0) / n
        if abs(ct - cb) >= 0.05:
            diffs.append((ct - cb, fn, cb, ct))
    diffs.sort(key=lambda x: -abs(x[0]))
    print(f"   {'function':40s} {base:>10s} {test:>10s} {'diff':>9s}")
    for dd, fn, cb, ct in diffs[:40]:
        print(f"   {fn:40s} {cb:10.2f} {ct:10.2f} {dd:+9.2f}")
    print()
