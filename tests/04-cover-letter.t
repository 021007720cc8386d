#!/usr/bin/env bash
# The cover letter's numbers are the measured ones: the native
# instruction-count ranges ("X% to Y%") are the smallest and largest
# "change" of the tables `make bench` (against PARAVIRT=n) and `make
# bench-pv` (against PARAVIRT=y) write into Documentation/benchmarks.md
# (between <!-- bench:begin --> and <!-- bench:end -->, and the same
# with bench-pv); the letter gives each range in a sentence with
# "without PARAVIRT" and "PARAVIRT=y" after it; its "within X% of no
# PARAVIRT" bounds the two tables' base columns, op by op; and each
# "OP: A against B" hypercall figure is the pv32 (highmem=0) and peer64
# column of that op's row in the table `make bench-hypercalls` writes
# into benchmarks.md (between <!-- hypercalls-nohigh:begin --> and
# <!-- hypercalls-nohigh:end -->), rounded as the letter rounds it.
# Its build claims are the table `make check-series` writes into
# Documentation/series-builds.md: "every prefix builds without warnings
# for X, ..." names columns whose every row (k = 0..N, for the series as
# it is now: a stale cell is "-") is "ok 0w"; "from patch N on each
# builds without warnings" is the i386-xen column, ok 0w from row N on
# and not before; "patches A-B add the 32-bit code file by file" are
# rows whose i386-xen cell is ok 0w or a FAIL with no compiler error on
# a line that row's patch adds.  A letter that says instead that "the
# per-prefix build walk ... has not been repeated" (for a new base) must
# make none of those claims.
. "$(dirname "$0")/lib.sh"
cl=$TOP/patches/cover-letter.txt
bm=$TOP/Documentation/benchmarks.md
out=$(python3 - "$cl" "$bm" <<'EOF2'
import re, sys
cl = ' '.join(open(sys.argv[1]).read().split())
bm = open(sys.argv[2]).read()
rc = 0
for mark, after in (('bench', 'without PARAVIRT'), ('bench-pv', 'PARAVIRT=y')):
    m = re.search(r'<!-- %s:begin -->(.*?)<!-- %s:end -->' % (mark, mark), bm, re.S)
    if not m:
        print('no %s table in benchmarks.md' % mark); rc = 1; continue
    ch = [float(c) for c in re.findall(r'^\|[^|]+\|[^|]+\|[^|]+\| *([+-][0-9.]+)% *\|', m.group(1), re.M)]
    if not ch:
        print('no "change" column in the %s table' % mark); rc = 1; continue
    want = '%.1f%% to %.1f%%' % (min(ch), max(ch))
    print('%s table: %d ops, change %s' % (mark, len(ch), want))
    if not re.search(re.escape(want) + r'[^.]*?' + re.escape(after), cl):
        print('the cover letter does not say "%s ... %s"' % (want, after)); rc = 1
# "PARAVIRT=y, whose own cost is within X% of no PARAVIRT": the base
# columns of the two tables (the same ops), op by op.
def base_col(mark):
    m = re.search(r'<!-- %s:begin -->(.*?)<!-- %s:end -->' % (mark, mark), bm, re.S)
    return dict(re.findall(r'^\| ([a-z-]+) \| ([0-9.]+) \|', m.group(1), re.M)) if m else {}
w = re.search(r'within ([0-9.]+)% of no PARAVIRT', cl)
nopv, pv = base_col('bench'), base_col('bench-pv')
if not w:
    print('the cover letter does not give the cost of PARAVIRT=y ("within X% of no PARAVIRT")'); rc = 1
elif not nopv or set(nopv) != set(pv):
    print('the bench and bench-pv tables do not have the same ops'); rc = 1
else:
    worst = max(abs(float(pv[o]) / float(nopv[o]) - 1) * 100 for o in nopv)
    print('PARAVIRT=y against PARAVIRT=n: at most %.2f%% per op (the letter: within %s%%)' % (worst, w.group(1)))
    if worst > float(w.group(1)):
        rc = 1
rows = {
    'pipe round trip': r'\| pipe round trip \(2 context switches\) \| ([0-9.]+) \| ([0-9.]+) \|',
    'fork + exec': r'\| fork \+ exec \+ exit \+ wait \| ([0-9.]+) \| ([0-9.]+) \|',
    'page fault': r'\| page fault: write to a fresh anonymous page \| ([0-9.]+) \| ([0-9.]+) \|',
}
m = re.search(r'<!-- hypercalls-nohigh:begin -->(.*?)<!-- hypercalls-nohigh:end -->', bm, re.S)
hm0 = m.group(1) if m else ''
if not m:
    print('no hypercalls-nohigh table (make bench-hypercalls) in benchmarks.md'); rc = 1
num = r'([0-9]+(?:\.[0-9]+)?)'
for op, rx in rows.items():
    said = re.search(re.escape(op) + ': ' + num + ' against ' + num, cl)
    row = re.search(rx, hm0)
    if not said or not row:
        print('%s: %s' % (op, 'not in the cover letter' if not said else 'no highmem=0 row in benchmarks.md')); rc = 1; continue
    for s, r in zip(said.groups(), row.groups()):
        nd = len(s.split('.')[1]) if '.' in s else 0
        if round(float(r), nd) != float(s):
            print('%s: the letter says %s, benchmarks.md %s' % (op, s, r)); rc = 1
    print('%s: %s against %s (benchmarks.md %s, %s)' % ((op,) + said.groups() + row.groups()))
sys.exit(rc)
EOF2
)
rc=$?
echo "$out" | diag
ok $rc "the cover letter's instruction and hypercall figures are benchmarks.md's"

sb=$TOP/Documentation/series-builds.md
out=$(python3 - "$cl" "$sb" <<'EOF2'
import re, sys
cl = ' '.join(open(sys.argv[1]).read().split())
sb = open(sys.argv[2]).read()
m = re.search(r'<!-- check-series:begin -->(.*?)<!-- check-series:end -->', sb, re.S)
if not m:
    print('no check-series table in series-builds.md'); sys.exit(1)
lines = [l for l in m.group(1).splitlines() if l.startswith('|')]
head = [c.strip() for c in lines[0].strip('|').split('|')]
rows = [[c.strip() for c in l.strip('|').split('|')] for l in lines[2:]]
col = lambda name: [(int(r[0]), r[head.index(name)]) for r in rows]
good = lambda cell: cell.startswith('ok 0w/')
names = {
    'i386 with PARAVIRT=y': 'i386-native',
    'i386 with PARAVIRT=n': 'i386-nopv',
    'x86_64 with XEN_PV': 'x86_64-xen',
    'x86_64 defconfig': 'x86_64-defconfig',
}
rc = 0
# A letter may instead say that the per-prefix walk has not been done for
# the series as it is (after a rebase, before the hours of building): then
# it must make none of the claims below.
if re.search(r'per-prefix build walk[^.]*has not been repeated', cl):
    claims = [c for c in (r'[Ee]very prefix builds without warnings', r'from patch [0-9]+ on each builds',
                          r'add the 32-bit code file by file') if re.search(c, cl)]
    print('the letter says the per-prefix walk has not been repeated; per-prefix claims it still makes: %s'
          % (', '.join(claims) or 'none'))
    sys.exit(1 if claims else 0)
said = re.search(r'[Ee]very prefix builds without warnings for ([^.;]*)', cl)
claimed = [p for p in names if said and p in said.group(1)]
if not claimed:
    print('the cover letter claims no configuration for "every prefix builds without warnings for ..."'); rc = 1
for p in claimed:
    bad = ['%d: %s' % (k, c) for k, c in col(names[p]) if not good(c)]
    print('%s (%s): %d prefixes, %s' % (p, names[p], len(rows), 'all ok 0w' if not bad else 'not ok 0w at ' + '; '.join(bad)))
    rc |= bool(bad)
f = re.search(r'from patch ([0-9]+) on each builds without warnings', cl)
if not f:
    print('the cover letter does not say from which patch on the i386 Xen PV build works'); rc = 1
else:
    n = int(f.group(1))
    cells = col('i386-xen')
    late = [k for k, c in cells if k >= n and not good(c)]
    early = [k for k, c in cells if k < n and good(c)]
    print('i386-xen: the letter says from patch %d; not ok 0w from there: %s; ok 0w before it: %s' % (n, late or 'none', early[-1:] or 'none'))
    rc |= bool(late) or (n - 1) in early
# "patches A-B add the 32-bit code file by file": at each of those k the
# i386-xen build either works or fails with no compiler error on a line
# patch k adds (the note own-errors.py writes into the cell).
a = re.search(r'patches ([0-9]+)-([0-9]+) add the 32-bit code file by file', cl)
if not a:
    print('the cover letter does not say which patches add the 32-bit code file by file'); rc = 1
else:
    lo, hi = int(a.group(1)), int(a.group(2))
    bad = ['%d: %s' % (k, c) for k, c in col('i386-xen') if lo <= k <= hi and not good(c)
           and not re.search(r'; [0-9]+ errors, 0 on lines the patch adds$', c)]
    print('i386-xen, patches %d-%d: %s' % (lo, hi, 'each builds or fails only outside the lines it adds'
                                          if not bad else 'not so at ' + '; '.join(bad)))
    rc |= bool(bad)
sys.exit(rc)
EOF2
)
rc=$?
echo "$out" | diag
ok $rc "the cover letter's per-prefix build claims are series-builds.md's"
done_testing
