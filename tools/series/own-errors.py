#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""own-errors.py PATCH LOG TREE: of the build errors in a log, how many
are on a line that PATCH adds (make check-series, for a FAIL cell: the
code a patch adds should compile at its own prefix even where other,
still 64-bit-only code of the same files does not yet).

An error is gcc's "FILE:LINE:COL: error:" or gas's "FILE:LINE: Error:"
with FILE under TREE (inside an assembler macro: the line that invokes
it); errors are counted by place, FILE:LINE, so several on one line
count once.  A line the patch adds is a "+" line of a hunk, numbered in
the patched file (the tree of the build).  Prints one line, e.g. "36
errors, 0 on lines the patch adds" or "... 2 on lines the patch adds
(arch/x86/xen/setup.c:782 ...)"."""
import os
import re
import sys

patch, log, tree = sys.argv[1:4]
tree = tree.rstrip('/') + '/'
added, f, n = {}, None, 0
with open(patch, errors='replace') as fh:
    for line in fh:
        if line.startswith('+++ '):
            name = line[4:].split('\t')[0].strip()
            f = None if name == '/dev/null' else name.split('/', 1)[1]
            continue
        if line.startswith('--- '):
            continue
        m = re.match(r'@@ -\d+(?:,\d+)? \+(\d+)', line)
        if m:
            n = int(m.group(1))
            continue
        if f is None:
            continue
        if line.startswith('+'):
            added.setdefault(f, set()).add(n)
            n += 1
        elif line.startswith(' '):
            n += 1


def where(m):
    name = os.path.normpath(m.group(1))
    return (name[len(tree):] if name.startswith(tree) else name, int(m.group(2)))


errs, last = [], None
with open(log, errors='replace') as fh:
    for line in fh:
        m = re.match(r'(\S+?):(\d+):(?:\d+:)? (?:(?:fatal )?error|Error):', line)
        if m:
            errs.append(where(m))
            last = len(errs) - 1
            continue
        # gas names the line of an error inside a macro by the macro's
        # own lines; the invocation (the last "invoked from" of a nest)
        # is the line of the file that has the error
        m = re.match(r'(\S+?):(\d+): +Info: macro invoked from here', line)
        if m and last is not None:
            errs[last] = where(m)
            continue
        last = None
errs = set(errs)
own = sorted(e for e in errs if e[1] in added.get(e[0], ()))
s = '%d errors, %d on lines the patch adds' % (len(errs), len(own))
if own:
    s += ' (%s)' % ' '.join('%s:%d' % e for e in own[:5])
print(s)
