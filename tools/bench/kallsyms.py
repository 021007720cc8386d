#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kallsyms.py VMLINUX [TEXT]: the symbol table of a stripped x86_64
vmlinux, read back from its kallsyms tables, as "ADDR TYPE NAME" lines
(what /proc/kallsyms of the running kernel shows, for a kernel that is
not relocated; a Xen PV guest's kernel is not).

Debian ships the peer's kernel (linux-image-6.1.0-N-amd64) stripped, with
a placeholder System.map; the kallsyms tables in .rodata still have every
symbol.  Layout (scripts/kallsyms.c of Linux 6.1, base-relative, each
label 8-byte aligned):

  kallsyms_offsets        s32 per symbol: >= 0 absolute, else
                          relative_base - 1 - offset
  kallsyms_relative_base  u64, _text (TEXT, default 0xffffffff81000000)
  kallsyms_num_syms       u32
  kallsyms_names          per symbol: length (1 byte, or 2 when the
                          first has bit 7 set), then that many token
                          indices; the expansion's first char is the type
  kallsyms_markers        u32 per 256 symbols
  kallsyms_token_table    256 NUL-terminated strings
  kallsyms_token_index    u16 per token: its offset in the table

The table is found by looking for TEXT as a u64 followed by a plausible
symbol count, and checked by the token index matching the token table.
"""
import struct
import subprocess
import sys


def rodata(path):
    for line in subprocess.run(['objdump', '-h', path], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        w = line.split()
        if len(w) > 5 and w[1] == '.rodata':
            size, vma, off = int(w[2], 16), int(w[3], 16), int(w[5], 16)
            with open(path, 'rb') as f:
                f.seek(off)
                return f.read(size), vma
    sys.exit('kallsyms: no .rodata in %s' % path)


def name_lengths(data, p, n):
    """(start, length) of each of the n entries of kallsyms_names at p"""
    out = []
    for _ in range(n):
        if p >= len(data):
            return None, p
        ln = data[p]
        p += 1
        if ln & 0x80:
            ln = (ln & 0x7f) | (data[p] << 7)
            p += 1
        out.append((p, ln))
        p += ln
    return out, p


def token_table(data, t):
    """the 256 tokens at t and the offset after them, or None"""
    toks = []
    for _ in range(256):
        e = data.find(b'\0', t, t + 256)
        if e < 0:
            return None, t
        toks.append(data[t:e])
        t = e + 1
    return toks, t


def decode(path, text):
    data, vma = rodata(path)
    al8 = lambda x: (x + 7) & ~7
    pat = struct.pack('<Q', text)
    pos = data.find(pat)
    while pos >= 0:
        p = pos
        pos = data.find(pat, pos + 1)
        if p % 8:
            continue
        n = struct.unpack_from('<I', data, p + 8)[0]
        if not 1000 < n < 1000000:
            continue
        names, end = name_lengths(data, p + 16, n)
        if names is None:
            continue
        markers = al8(end)
        mend = markers + 4 * ((n + 255) >> 8)
        for t in (al8(mend), al8(al8(mend) + 3 * n)):	# without/with seqs_of_names
            toks, tend = token_table(data, t)
            if toks is None:
                continue
            offs, o = [], 0
            for tok in toks:
                offs.append(o)
                o += len(tok) + 1
            idx = struct.unpack_from('<256H', data, al8(tend))
            if list(idx) != offs:
                continue
            base = struct.unpack_from('<Q', data, p)[0]
            offsets = struct.unpack_from('<%di' % n, data, p - al8(4 * n))
            syms = []
            for i, (s, ln) in enumerate(names):
                name = b''.join(toks[b] for b in data[s:s + ln]).decode('ascii', 'replace')
                o = offsets[i]
                syms.append((o if o >= 0 else base - 1 - o, name[0], name[1:]))
            return syms
    sys.exit('kallsyms: no kallsyms tables found in %s (text 0x%x)' % (path, text))


def main():
    path = sys.argv[1]
    text = int(sys.argv[2], 16) if len(sys.argv) > 2 else 0xffffffff81000000
    for a, t, name in decode(path, text):
        print('%016x %s %s' % (a, t, name))


if __name__ == '__main__':
    main()
