#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hcreport.py DIR [--doc FILE | --json]: hypercalls per operation from the runs of
tools/bench/hypercalls.sh.
hcreport.py --nohigh DIR [--doc FILE]: pv32 booted with highmem=0 against
peer64 (both in DIR; the block "hypercalls-nohigh" of FILE).

DIR holds, per guest G (pv32, peer64): G.counts (the hcount plugin's
snapshots of the run that had G), G.tap (the guest's TAP: hcbench's
"hcbench W NAME N SECONDS" and "hcsym ADDR T NAME" lines), G.sites
(tools/bench/hcsites.py of G's kernel) and G.run (when and how).
Prints the summary table and a per-hypercall breakdown as markdown;
with --doc, also puts them into FILE between "<!-- hypercalls:begin -->"
and "<!-- hypercalls:end -->".  With --json, prints the per-op numbers
of each guest instead (tests/250 checks the batching from them).
"""
import collections
import os
import re
import sys

GUESTS = (('pv32', 1000, 'int82'), ('peer64', 2000, 'syscall'), ('peer64shim', 2000, 'syscall'))
OPS = ('pipe-pingpong', 'fork-exec', 'page-fault', 'fork-exit', 'getppid', 'spin')
WHAT = {
    'pipe-pingpong': 'context switch: pipe round trip (2 switches)',
    'fork-exec': 'fork + exec + exit + wait',
    'page-fault': 'page fault: write to a fresh anonymous page',
    'fork-exit': 'fork + exit + wait (no exec)',
    'getppid': 'null system call (getppid)',
    'spin': 'no system call: 1000 iterations of a user loop',
}
# Hypercalls of event and timer work, whatever the op: reprogramming the
# one-shot timer, and the pending-event kick when interrupts are enabled.
TIMER = ('xen_vcpuop_set_next_event', 'xen_force_evtchn_callback')
# Xen's public/xen.h
HNAME = {0: 'set_trap_table', 1: 'mmu_update', 2: 'set_gdt', 3: 'stack_switch',
         4: 'set_callbacks', 5: 'fpu_taskswitch', 6: 'sched_op_compat',
         7: 'platform_op', 8: 'set_debugreg', 9: 'get_debugreg',
         10: 'update_descriptor', 12: 'memory_op', 13: 'multicall',
         14: 'update_va_mapping', 15: 'set_timer_op', 16: 'event_channel_op_compat',
         17: 'xen_version', 18: 'console_io', 19: 'physdev_op_compat',
         20: 'grant_table_op', 21: 'vm_assist', 22: 'update_va_mapping_otherdomain',
         23: 'iret', 24: 'vcpu_op', 25: 'set_segment_base', 26: 'mmuext_op',
         27: 'xsm_op', 28: 'nmi_op', 29: 'sched_op', 30: 'callback_op',
         31: 'xenoprof_op', 32: 'event_channel_op', 33: 'physdev_op',
         34: 'hvm_op', 35: 'sysctl', 36: 'domctl', 40: 'xenpmu_op', 41: 'dm_op'}


def read_counts(path):
    """{marker id: (header dict, {addr: count})} (the last of each id)"""
    snaps, cur = {}, None
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == 'M':
                hdr = dict(x.split('=') for x in w[2:])
                hdr = {k: int(v) for k, v in hdr.items()}
                cur = (hdr, {})
                snaps[int(w[1])] = cur
            elif w[0] == 'S' and cur:
                cur[1][int(w[1], 16)] = int(w[2])
    return snaps


def read_sites(path):
    sites = {}
    with open(path) as f:
        for line in f:
            if line.startswith('#'):
                continue
            a, kind, nr, func = line.split()
            sites[int(a, 16)] = (kind, nr, func)
    return sites


def read_tap(path):
    wins, syms, kernel = {}, {}, '?'
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith('# '):
                line = line[2:]
            w = line.split()
            if len(w) == 5 and w[0] == 'hcbench' and w[1].isdigit():
                wins[w[2]] = (int(w[1]), int(w[3]), float(w[4]))
            elif len(w) >= 4 and w[0] == 'hcsym':
                syms[w[3]] = int(w[1], 16)
            elif line.startswith('hcbench kernel '):
                kernel = ' '.join(w[2:4]).rstrip(',')
    return wins, syms, kernel


def analyse(d, g, base, counter):
    counts = read_counts(os.path.join(d, g + '.counts'))
    sites = read_sites(os.path.join(d, g + '.sites'))
    wins, syms, kernel = read_tap(os.path.join(d, g + '.tap'))
    mc_funcs = {s[2] for s in sites.values() if s[0] == 'hc' and s[1] == '13'}
    res, notes = {}, []
    # The site list against the symbols of the running kernel.
    with open(os.path.join(d, g + '.sites')) as f:
        m = re.search(r'trampoline ([0-9a-f]+)', f.readline())
    tramp = int(m.group(1), 16) if m else None
    if '__SCT__xen_hypercall' in syms:
        notes.append('trampoline from the disassembly %x, __SCT__xen_hypercall in '
                     '/proc/kallsyms %x: %s' % (tramp or 0, syms['__SCT__xen_hypercall'],
                                                'same' if tramp == syms['__SCT__xen_hypercall']
                                                else 'DIFFERENT'))
    if 'xen_mc_flush' in syms:
        mc = [a for a, s in sites.items() if s[0] == 'hc' and s[1] == '13']
        notes.append('multicall site %s, xen_mc_flush in /proc/kallsyms at %x' % (
            ' '.join('%x' % a for a in mc), syms['xen_mc_flush']))
    for op, (w, n, secs) in wins.items():
        a, b = counts.get(base + 2 * w), counts.get(base + 2 * w + 1)
        if not a or not b:
            notes.append('%s %s: no snapshots %d/%d' % (g, op, base + 2 * w, base + 2 * w + 1))
            continue
        ha, hb = a[0], b[0]
        dt = {k: hb[k] - ha[k] for k in hb}
        ds = {s: b[1].get(s, 0) - a[1].get(s, 0) for s in set(a[1]) | set(b[1])}
        ds = {s: v for s, v in ds.items() if v and s in sites}
        by = collections.Counter()
        mcalls = single = entries = hcret = upcalls = timer = iret = switches = 0
        callers = collections.Counter()
        fns = collections.Counter()
        for s, v in ds.items():
            kind, nr, func = sites[s]
            if kind == 'hc' and nr == '13':
                mcalls += v
            if kind == 'hcret':
                hcret += v
            if kind == 'upcall':
                upcalls += v
            if kind == 'switch':
                switches += v
            if kind == 'fn':
                fns[func] += v
            if kind == 'iret':
                iret += v
            if kind == 'hc' and func in TIMER:
                timer += v
            if kind == 'hc' and nr == '?' and func in mc_funcs:
                single += v
                by['mc-single'] += v
                continue
            if kind in ('hc', 'iret'):
                by[nr if nr != '?' else '?:' + func] += v
            elif kind == 'mcentry':
                entries += v
            elif kind == 'mccall':
                callers[func] += v
        total = dt[counter]
        cont = total - iret - hcret if hcret else 0
        by['continuation'] = cont
        by['unattributed'] = total - sum(v for k, v in by.items())
        res[op] = dict(n=n, secs=secs, total=total, mcalls=mcalls, single=single,
                       cont=cont, upcalls=upcalls, timer=timer, switches=switches, fns=fns,
                       net=total - cont - upcalls - timer,
                       entries=entries, callers=callers, by=by, vcpu=hb['vcpu'],
                       leak=dt['int82' if counter == 'syscall' else 'syscall'],
                       other=dt['other_' + counter])
    return res, syms, kernel, notes


def fmt(x):
    return '%.2f' % x


def by_hypercall(x):
    """One op's hypercalls per op, by name, most first."""
    return ', '.join('%s %s' % (HNAME.get(int(k), k) if k.isdigit() else k, fmt(v / x['n']))
                     for k, v in sorted(x['by'].items(), key=lambda kv: -kv[1]) if v)


def report(d):
    data, meta = {}, {}
    for g, base, counter in GUESTS:
        if not os.path.exists(os.path.join(d, g + '.counts')):
            continue
        data[g] = analyse(d, g, base, counter)
        try:
            with open(os.path.join(d, g + '.run')) as f:
                meta[g] = f.read().strip()
        except OSError:
            meta[g] = ''
    out = []
    if not data:
        return 'no results in %s\n' % d
    p, q = data.get('pv32', ({},))[0], data.get('peer64', ({},))[0]
    out.append('| op | pv32 hypercalls/op | pv32 multicalls/op | peer64 hypercalls/op '
               '| peer64 multicalls/op | ratio pv32/peer64 |')
    out.append('|---|---:|---:|---:|---:|---:|')
    for op in OPS:
        if op not in p and op not in q:
            continue
        cells = []
        for r in (p, q):
            if op in r:
                cells += [fmt(r[op]['total'] / r[op]['n']), fmt(r[op]['mcalls'] / r[op]['n'])]
            else:
                cells += ['-', '-']
        ratio = '-'
        if op in p and op in q and q[op]['total'] and op != 'spin':
            ratio = '%.2f' % ((p[op]['total'] / p[op]['n']) / (q[op]['total'] / q[op]['n']))
        out.append('| %s | %s | %s |' % (WHAT[op], ' | '.join(cells), ratio))
    ctl = data.get('peer64shim', ({},))[0]
    if ctl:
        out.append('')
        out.append('Control: the peer through the PV shim too (`peer64shim`, one vCPU), '
                   'hypercalls per op:')
        out.append('')
        out.append('| op | pv32 | peer64 | peer64shim | pv32/peer64shim | peer64shim continuations/op '
                   '| peer64shim event+timer/op | peer64shim without both | peer64shim context switches/op |')
        out.append('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
        for op in OPS:
            if op not in ctl:
                continue
            c = ctl[op]
            cells = [fmt(r[op]['total'] / r[op]['n']) if op in r else '-' for r in (p, q, ctl)]
            ratio = '-'
            if op in p and c['total'] and op != 'spin':
                ratio = '%.2f' % ((p[op]['total'] / p[op]['n']) / (c['total'] / c['n']))
            out.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                op, cells[0], cells[1], cells[2], ratio, fmt(c['cont'] / c['n']),
                fmt((c['upcalls'] + c['timer']) / c['n']), fmt(c['net'] / c['n']),
                fmt(c['switches'] / c['n'])))
    out.append('')
    out.append('Without the event and timer work (each event upcall\'s iret, timer '
               'reprogramming, the pending-event kick) and without continuations (Xen '
               'preempting a hypercall and making the guest issue it again):')
    out.append('')
    out.append('| op | pv32 | peer64 | ratio | pv32 continuations/op | pv32 event+timer/op '
               '| peer64 continuations/op | peer64 event+timer/op |')
    out.append('|---|---:|---:|---:|---:|---:|---:|---:|')
    for op in OPS:
        if op not in p and op not in q:
            continue
        cells = []
        for r in (p, q):
            cells.append(fmt(r[op]['net'] / r[op]['n']) if op in r else '-')
        ratio = '-'
        if op in p and op in q and q[op]['net'] and op != 'spin':
            ratio = '%.2f' % ((p[op]['net'] / p[op]['n']) / (q[op]['net'] / q[op]['n']))
        for r in (p, q):
            if op in r:
                cells += [fmt(r[op]['cont'] / r[op]['n']),
                          fmt((r[op]['upcalls'] + r[op]['timer']) / r[op]['n'])]
            else:
                cells += ['-', '-']
        out.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
            op, cells[0], cells[1], ratio, cells[2], cells[3], cells[4], cells[5]))
    out.append('')
    # the context switch itself: the pipe window per __switch_to
    rows = []
    for g in data:
        x = data[g][0].get('pipe-pingpong')
        if not x or not x['switches']:
            continue
        sw = x['switches']
        seg = x['by'].get('25', 0)
        rows.append('| %s | %d | %.3f | %.2f | %.2f | %.2f | %.2f |' % (
            g, sw, x['mcalls'] / sw, x['single'] / sw, x['cont'] / sw, seg / sw,
            (x['mcalls'] + x['single'] + x['cont'] + seg) / sw))
    if rows:
        out.append('Per context switch (pipe window, divided by the calls of `__switch_to` '
                   'in it):')
        out.append('')
        out.append('| guest | context switches | multicalls | single-entry flushes '
                   '| continuations | set_segment_base | together |')
        out.append('|---|---:|---:|---:|---:|---:|---:|')
        out += rows
        out.append('')
    # windows: iterations, seconds, checks
    out.append('| guest | op | iterations | window (s, guest clock) | hypercalls in window '
               '| multicalls | single-entry flushes | entries queued | continuations '
               '| event upcalls | context switches | vCPU | other kind on that vCPU |')
    out.append('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for g in data:
        r = data[g][0]
        for op in OPS:
            if op in r:
                x = r[op]
                out.append('| %s | %s | %d | %.3f | %d | %d | %d | %d | %d | %d | %d | %d | %d |' % (
                    g, op, x['n'], x['secs'], x['total'], x['mcalls'], x['single'], x['entries'],
                    x['cont'], x['upcalls'], x['switches'], x['vcpu'], x['leak']))
    out.append('')
    # breakdown per hypercall
    out.append('Per operation, by hypercall (`mc-single`: xen_mc_flush with one entry '
               'queued makes it a plain hypercall; `?:FUNC`: number not known statically):')
    out.append('')
    out.append('| guest | op | hypercalls per op |')
    out.append('|---|---|---|')
    for g in data:
        r = data[g][0]
        for op in OPS:
            if op not in r:
                continue
            out.append('| %s | %s | %s |' % (g, op, by_hypercall(r[op])))
    rows = []
    for g in data:
        r = data[g][0]
        for op in OPS:
            if op in r and r[op]['callers']:
                c = r[op]['callers']
                rows.append('| %s | %s | %s |' % (g, op, ', '.join(
                    '%s %s' % (f, fmt(v / r[op]['n'])) for f, v in c.most_common(8))))
    if rows:
        out.append('')
        out.append('Multicall entries queued per op (`__xen_mc_entry` calls, by caller; '
                   '`xen_mc_flush` sends one entry as a plain hypercall, more as a multicall):')
        out.append('')
        out.append('| guest | op | entries per op |')
        out.append('|---|---|---|')
        out += rows
    rows = []
    for g in data:
        r = data[g][0]
        for op in OPS:
            if op in r and r[op]['fns']:
                rows.append('| %s | %s | %s |' % (g, op, ', '.join(
                    '%s %s' % (f, fmt(v / r[op]['n'])) for f, v in sorted(r[op]['fns'].items()))))
    if rows:
        out.append('')
        out.append('Calls per op of some kernel functions (where the context switches and '
                   'the event work come from):')
        out.append('')
        out.append('| guest | op | calls per op |')
        out.append('|---|---|---|')
        out += rows
    out.append('')
    for g in data:
        _, syms, kernel, notes = data[g]
        out.append('- %s: kernel %s; %s' % (g, kernel, meta.get(g, '')))
        for n in notes:
            out.append('  - %s' % n)
    return '\n'.join(out) + '\n'


NOHIGH = (('pipe-pingpong', 'pipe round trip (2 context switches)'),
          ('fork-exec', 'fork + exec + exit + wait'),
          ('page-fault', 'page fault: write to a fresh anonymous page'),
          ('fork-exit', 'fork + exit + wait'),
          ('getppid', 'getppid'))


def nohigh(d):
    """pv32 booted with highmem=0 against peer64, both in DIR: the table
    the cover letter's hypercall figures come from."""
    try:
        with open(os.path.join(d, 'pv32.run')) as f:
            prun = f.read().strip()
        with open(os.path.join(d, 'peer64.run')) as f:
            qrun = f.read().strip()
    except OSError as e:
        sys.exit('hcreport: %s: %s' % (d, e))
    if 'kernel arguments added: highmem=0' not in prun:
        sys.exit('hcreport: %s/pv32.run is not a run with highmem=0: %s' % (d, prun))
    p = analyse(d, 'pv32', 1000, 'int82')
    q = analyse(d, 'peer64', 2000, 'syscall')
    out = ['| op | pv32, highmem=0 | peer64 | ratio | without event+timer and '
           'continuations: pv32 | peer64 | ratio |',
           '|---|---:|---:|---:|---:|---:|---:|']
    for op, what in NOHIGH:
        a, b = p[0].get(op), q[0].get(op)
        if not a or not b:
            sys.exit('hcreport: %s: no %s window for %s' % (d, op, 'pv32' if not a else 'peer64'))
        t = (a['total'] / a['n'], b['total'] / b['n'])
        n = (a['net'] / a['n'], b['net'] / b['n'])
        out.append('| %s | %s | %s | %.2f | %s | %s | %.2f |' % (
            what, fmt(t[0]), fmt(t[1]), t[0] / t[1], fmt(n[0]), fmt(n[1]), n[0] / n[1]))
    x = p[0]['pipe-pingpong']
    if x['switches']:
        sw = x['switches']
        out.append('')
        out.append('pv32 per context switch (the pipe window, %d switches): %.3f multicalls, '
                   '%.2f single-entry flushes, %.2f continuations.' % (
                       sw, x['mcalls'] / sw, x['single'] / sw, x['cont'] / sw))
    for g, r in (('pv32', p), ('peer64', q)):
        parts = []
        for op in ('page-fault', 'pipe-pingpong'):
            parts.append('%s: %s' % (op, by_hypercall(r[0][op])))
        out.append('')
        out.append('%s by hypercall, per op: %s.' % (g, '; '.join(parts)))
    out.append('')
    out.append('- pv32: kernel %s; %s' % (p[2], prun))
    out.append('- peer64: kernel %s; %s' % (q[2], qrun))
    return '\n'.join(out) + '\n'


def put_doc(doc, mark, text):
    s = open(doc).read()
    b, e = '<!-- %s:begin -->' % mark, '<!-- %s:end -->' % mark
    if b not in s or e not in s:
        sys.exit('hcreport: %s has no %s ... %s block' % (doc, b, e))
    s = re.sub(re.escape(b) + '.*?' + re.escape(e), lambda m: b + '\n' + text + e, s, flags=re.S)
    open(doc, 'w').write(s)


def dump_json(d):
    """The per-op numbers of every guest with results, for tests."""
    import json
    out = {}
    for g, base, counter in GUESTS:
        if not os.path.exists(os.path.join(d, g + '.counts')):
            continue
        res = analyse(d, g, base, counter)[0]
        out[g] = {op: dict(n=r['n'], total=r['total'], mcalls=r['mcalls'],
                           switches=r['switches'], entries=r['entries'],
                           cont=r['cont'], upcalls=r['upcalls'], timer=r['timer'],
                           callers=dict(r['callers']),
                           by={HNAME.get(int(k), k) if str(k).isdigit() else k: v
                               for k, v in r['by'].items()})
                  for op, r in res.items()}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


def main():
    if sys.argv[1] == '--nohigh':
        text = nohigh(sys.argv[2])
        sys.stdout.write(text)
        if len(sys.argv) > 4 and sys.argv[3] == '--doc':
            put_doc(sys.argv[4], 'hypercalls-nohigh', text)
        return
    d = sys.argv[1]
    if len(sys.argv) > 2 and sys.argv[2] == '--json':
        dump_json(d)
        return
    text = report(d)
    sys.stdout.write(text)
    if len(sys.argv) > 3 and sys.argv[2] == '--doc':
        put_doc(sys.argv[3], 'hypercalls', text)


if __name__ == '__main__':
    main()
