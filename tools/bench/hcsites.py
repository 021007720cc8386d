#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hcsites.py KERNEL OUT [MAP]: the hypercall sites of a Xen PV kernel, for the
QEMU plugin tools/bench/hcount.c (which reads the first field of each
line) and for tools/bench/hcreport.py (which reads all of them).

Output lines: "ADDR KIND NR FUNC"
  hc        a call (or tail jump) to the xen_hypercall static call
            trampoline; NR is the hypercall number loaded into %eax
            before it (looked back for in the same straight-line code),
            "?" when it comes from elsewhere (xen_mc_flush's single-entry
            path, xen_single_call, privcmd)
  iret      the hypercall instruction of xen_iret (int $0x82 / syscall
            after mov $23,%eax)
  mcentry   the first instruction of __xen_mc_entry (one multicall
            entry queued); only with symbols
  mccall    a call of __xen_mc_entry; FUNC says from where; only with
            symbols
  mcflush   the first instruction of xen_mc_flush; only with symbols
  hcret     the instruction after the hypercall instruction of
            xen_hypercall_pv: hypercalls that returned (the hypercall
            instruction runs once more per continuation)
  switch    the first instruction of __switch_to: context switches
  fn        the first instruction of a function of WATCH (diagnosis)
  upcall    the first instruction of asm_exc_xen_hypervisor_callback:
            event upcalls (each returns with an iret hypercall)

MAP: a symbol map ("ADDR TYPE NAME", e.g. from tools/bench/kallsyms.py)
for a kernel without ELF symbols.

The trampoline is found without symbols too (the 64-bit peer's vmlinux
is stripped): the static call trampoline ("jmp X; ud1 %esp,%ecx") that
is the most frequent call target right after "mov $N,%eax" with N a
hypercall number.  FUNC is the enclosing symbol (from the ELF or MAP),
else "fn@ADDR", a guessed function start.
"""
import bisect
import collections
import re
import subprocess
import sys

# Functions whose calls are counted too, to tell where context switches
# and hypercalls come from (kind "fn").
WATCH = ('do_idle', 'process_one_work', 'rcu_core', 'handle_softirqs', '__do_softirq',
         'xen_pgd_pin', 'xen_pgd_unpin', 'xen_timer_interrupt', 'schedule_tail',
         'do_exit', 'kernel_clone', 'bprm_execve', 'xen_leave_lazy_mmu',
         'xen_enter_lazy_mmu', 'pick_next_task_fair', 'smpboot_thread_fn')
INSN = re.compile(r'^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(\S+)\s*(.*)$')
FUNC = re.compile(r'^([0-9a-f]+) <([^>]+)>:$')
TARGET = re.compile(r'^(?:\*?)(?:0x)?([0-9a-f]+)(?: <([^>]+)>)?$')
MOVEAX = re.compile(r'^\$0x([0-9a-f]+),%eax$')
BRANCH = ('jmp', 'je', 'jne', 'jg', 'jge', 'jl', 'jle', 'ja', 'jae', 'jb',
          'jbe', 'js', 'jns', 'jo', 'jno', 'jp', 'jnp', 'jecxz', 'jrcxz',
          'loop', 'call')


def disassemble(kernel):
    """[(addr, bytes, mnemonic, operands, func)] of the kernel's .text"""
    p = subprocess.run(['objdump', '-d', '-w', '--section=.text', kernel],
                       check=True, capture_output=True, text=True)
    out, func, stripped, prev = [], '-', None, None
    for line in p.stdout.splitlines():
        m = FUNC.match(line)
        if m:
            func = m.group(2)
            stripped = func == '.text'
            continue
        m = INSN.match(line)
        if m:
            a = int(m.group(1), 16)
            mn = m.group(3)
            # Without symbols: a function starts at a 16-byte aligned
            # instruction after int3/nop padding or an unconditional
            # jump or return (a guess; only used for labels).
            if stripped and a % 16 == 0 and mn not in ('int3', 'nop', 'xchg') and \
                    prev in ('int3', 'nop', 'xchg', 'ret', 'jmp', 'ud2', 'data16', 'cs'):
                func = 'fn@%x' % a
            prev = mn
            out.append((a, bytes.fromhex(m.group(2).replace(' ', '')), mn, m.group(4), func))
    return out


def writes_eax(mn, ops):
    """could this instruction change %eax (other than mov $imm,%eax)?"""
    if mn in ('call', 'ret', 'jmp', 'int3', 'ud2', 'cltq', 'cwtl', 'cltd', 'cqto',
              'xchg', 'cmpxchg', 'rdmsr', 'rdtsc', 'cpuid', 'lods', 'div', 'idiv',
              'mul', 'imul', 'in', 'popa', 'popal'):
        return True
    dst = ops.split(',')[-1].strip() if ops else ''
    return dst in ('%eax', '%rax', '%ax', '%al', '%ah')


def relabel(ins, mapfile):
    """function names from a symbol map ("ADDR TYPE NAME" lines)"""
    syms = []
    with open(mapfile) as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[1] in 'TtWw':
                syms.append((int(w[0], 16), w[2]))
    syms.sort()
    addrs = [a for a, _ in syms]
    out = []
    for a, b, mn, ops, f in ins:
        i = bisect.bisect_right(addrs, a) - 1
        out.append((a, b, mn, ops, syms[i][1] if i >= 0 else '-'))
    return out


def main():
    kernel, outname = sys.argv[1], sys.argv[2]
    ins = disassemble(kernel)
    if len(sys.argv) > 3:
        ins = relabel(ins, sys.argv[3])
    by_addr = {a: i for i, (a, *_rest) in enumerate(ins)}
    targets = set()
    for a, b, mn, ops, f in ins:
        if mn.rstrip('lq') in BRANCH or mn in BRANCH:
            m = TARGET.match(ops.split()[0]) if ops else None
            if m and not ops.startswith('*'):
                targets.add(int(m.group(1), 16))

    def tramp_like(t):
        i = by_addr.get(t)
        if i is None or i + 1 >= len(ins):
            return False
        return ins[i][1][:1] == b'\xe9' and ins[i + 1][1] == b'\x0f\xb9\xcc'

    # The trampoline: most frequent call target right after mov $N,%eax.
    cnt = collections.Counter()
    for i in range(1, len(ins)):
        a, b, mn, ops, f = ins[i]
        if mn.startswith('call') and MOVEAX.match(ins[i - 1][3]) and ins[i - 1][2].startswith('mov'):
            if int(MOVEAX.match(ins[i - 1][3]).group(1), 16) < 64:
                m = TARGET.match(ops)
                if m:
                    t = int(m.group(1), 16)
                    if tramp_like(t):
                        cnt[t] += 1
    if not cnt:
        sys.exit('hcsites: no xen_hypercall static call trampoline found')
    tramp = cnt.most_common(1)[0][0]

    syms = {f: a for a, b, mn, ops, f in reversed(ins)}   # first address of each func
    syms = {f: a for f, a in syms.items() if ins[by_addr[a]][4] == f}
    lines = ['# hcsites %s: trampoline %x (%d sites after mov $N,%%eax)' %
             (kernel, tramp, cnt[tramp])]

    def lookback(i):
        """the hypercall number in %eax at instruction i, or '?'"""
        for j in range(i - 1, max(i - 40, -1), -1):
            a, b, mn, ops, f = ins[j]
            if f != ins[i][4]:
                return '?'
            m = MOVEAX.match(ops)
            if mn.startswith('mov') and m:
                # a branch into the code between here and the site
                # could come with another %eax
                if any(ins[k][0] in targets for k in range(j + 1, i + 1)):
                    return '?'
                return str(int(m.group(1), 16))
            if writes_eax(mn, ops):
                return '?'
        return '?'

    for i, (a, b, mn, ops, f) in enumerate(ins):
        if (mn.startswith('call') or mn.startswith('jmp')) and ops:
            m = TARGET.match(ops)
            if m and not ops.startswith('*') and int(m.group(1), 16) == tramp:
                lines.append('%x hc %s %s' % (a, lookback(i), f))
        if b in (b'\xcd\x82', b'\x0f\x05') and i and MOVEAX.match(ins[i - 1][3]) and \
                int(MOVEAX.match(ins[i - 1][3]).group(1), 16) == 23:
            lines.append('%x iret 23 %s' % (a, f))
        elif b in (b'\xcd\x82', b'\x0f\x05') and f == 'xen_hypercall_pv':
            # the instruction after it runs once per hypercall; the
            # hypercall instruction once more per continuation (Xen
            # preempted the hypercall and rewound the guest to redo it)
            lines.append('%x hcret - %s' % (ins[i + 1][0], f))
    if '__switch_to' in syms:
        lines.append('%x switch - __switch_to' % syms['__switch_to'])
    for f in WATCH:
        if f in syms:
            lines.append('%x fn - %s' % (syms[f], f))
    if 'asm_exc_xen_hypervisor_callback' in syms:
        lines.append('%x upcall - asm_exc_xen_hypervisor_callback' %
                     syms['asm_exc_xen_hypervisor_callback'])
    if '__xen_mc_entry' in syms:
        mce = syms['__xen_mc_entry']
        lines.append('%x mcentry - __xen_mc_entry' % mce)
        for a, b, mn, ops, f in ins:
            if mn.startswith('call') and ops:
                m = TARGET.match(ops)
                if m and not ops.startswith('*') and int(m.group(1), 16) == mce:
                    lines.append('%x mccall - %s' % (a, f))
    if 'xen_mc_flush' in syms:
        lines.append('%x mcflush - xen_mc_flush' % syms['xen_mc_flush'])
    with open(outname, 'w') as o:
        o.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
