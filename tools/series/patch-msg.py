#!/usr/bin/env python3
"""patch-msg.py FILE: print a quilt patch's (or the cover letter's) commit
message: the Subject: header (folded lines joined) as the first line, a
blank line, then the changelog up to the "---" line (or the end), without
leading or trailing blank lines.  Exit 1 when there is no Subject: line."""
import sys

lines = open(sys.argv[1]).read().split('\n')
i = next((n for n, l in enumerate(lines) if l.startswith('Subject:')), None)
if i is None:
    sys.exit(1)
subj = lines[i][len('Subject:'):].strip()
i += 1
while i < len(lines) and lines[i][:1] in (' ', '\t') and lines[i].strip():
    subj += ' ' + lines[i].strip()
    i += 1
body = []
for l in lines[i:]:
    if l == '---':
        break
    body.append(l.rstrip())
while body and not body[0]:
    body.pop(0)
while body and not body[-1]:
    body.pop()
print(subj)
if body:
    print()
    print('\n'.join(body))
