#!/usr/bin/env python3
"""objfuncs.py: compare the machine code of two kernel images function by
function (make check-x86_64).

  objfuncs.py dump VMLINUX OUT.funcs
      objdump -d VMLINUX, split at every symbol, addresses normalised:
      one record per function, "NAME#N<TAB>SHA1<TAB>LINES" (N counts
      functions of the same name, static ones; LINES the body, "\\n"
      escaped), sorted.
  objfuncs.py sums FUNCS OUT.sums
      the same without the bodies, SHA1 cut to 64 bits: "NAME#N<TAB>HASH"
      (a reference small enough to keep in the repository).
  objfuncs.py diff BASE.funcs|BASE.sums TOP.funcs [--show N]
      prints the functions that differ, are new or are gone, the first N
      (default 3) with a unified diff of their bodies (when both sides
      have them); exit 1 if any.

Normalising: an instruction's own address goes; a branch or call target
becomes its symbol (<sym+off>), and so does an absolute kernel address
in an operand or comment when objdump names it; other absolute kernel
addresses (0xffffffff8xxxxxxx) become ADDR.  So a function that merely
moved compares equal, while a changed instruction, operand, branch
target within the function or callee does not.
"""
import difflib
import hashlib
import re
import subprocess
import sys

HDR = re.compile(r'^([0-9a-f]+) <(.+)>:$')
INSN = re.compile(r'^\s*([0-9a-f]+):\s*(.*)$')
KADDR = re.compile(r'\b(?:0x)?ffffffff[0-9a-f]{8}\b')
TARGET = re.compile(r'\b[0-9a-f]{8,16} (<[^>]+>)')


def norm(text):
    text = TARGET.sub(r'\1', text)
    text = KADDR.sub('ADDR', text)
    return re.sub(r'\s+', ' ', text).strip()


def dump(vmlinux, out):
    p = subprocess.Popen(['objdump', '-d', '--no-show-raw-insn', '-w', vmlinux],
                         stdout=subprocess.PIPE, text=True, errors='replace')
    funcs = []
    seen = {}
    cur = None
    section = ''
    for line in p.stdout:
        line = line.rstrip('\n')
        if line.startswith('Disassembly of section '):
            section = line[len('Disassembly of section '):].rstrip(':')
            cur = None
            continue
        m = HDR.match(line)
        if m:
            name = m.group(2)
            n = seen.get(name, 0)
            seen[name] = n + 1
            cur = ['%s#%d' % (name, n), section, []]
            funcs.append(cur)
            continue
        m = INSN.match(line)
        if m and cur is not None:
            body = m.group(2)
            if body:
                cur[2].append(norm(body))
    if p.wait() != 0:
        sys.exit('objdump failed on %s' % vmlinux)
    with open(out, 'w') as f:
        for key, section, body in sorted(funcs):
            text = '\\n'.join([section] + body)
            h = hashlib.sha1(text.encode()).hexdigest()
            f.write('%s\t%s\t%s\n' % (key, h, text))
    print('%d functions' % len(funcs))


def load(path):
    d = {}
    opener = open
    if path.endswith('.xz'):
        import lzma
        opener = lzma.open
    with opener(path, 'rt') as f:
        for line in f:
            parts = line.rstrip('\n').split('\t', 2)
            if len(parts) == 2:
                parts.append(None)
            key, h, text = parts
            d[key] = (h, text)
    return d


def sums(funcs, out):
    d = load(funcs)
    with open(out, 'w') as f:
        for k in sorted(d):
            f.write('%s\t%s\n' % (k, d[k][0][:16]))


def diff(a_path, b_path, show=3):
    a, b = load(a_path), load(b_path)
    changed = sorted(k for k in a if k in b and a[k][0][:16] != b[k][0][:16])
    gone = sorted(k for k in a if k not in b)
    new = sorted(k for k in b if k not in a)
    same = sum(1 for k in a if k in b and a[k][0][:16] == b[k][0][:16])
    print('%d functions identical, %d differ, %d only in the base, %d only at the top'
          % (same, len(changed), len(gone), len(new)))
    for what, keys in (('differs', changed), ('only in the base', gone),
                       ('only at the top', new)):
        for k in keys:
            print('  %s: %s' % (what, k))
    for k in changed[:show]:
        if a[k][1] is None or b[k][1] is None:
            continue
        print('--- %s (base) / +++ top' % k)
        for line in difflib.unified_diff(a[k][1].split('\\n'), b[k][1].split('\\n'),
                                         lineterm='', n=2):
            if line.startswith(('---', '+++')):
                continue
            print('    ' + line)
    return 1 if changed or gone or new else 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == 'dump':
        dump(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == 'sums':
        sums(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == 'diff':
        show = 3
        if '--show' in sys.argv:
            show = int(sys.argv[sys.argv.index('--show') + 1])
        return diff(sys.argv[2], sys.argv[3], show)
    sys.exit(__doc__)


if __name__ == '__main__':
    sys.exit(main())
