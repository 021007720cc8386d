#!/usr/bin/env bash
# make export (tools/export.sh) turns the series into mail for lkml: a
# cover letter and one mail per patch, each with a Signed-off-by of the
# submitter's git identity, checkpatch-clean as posted (Signed-off-by
# check included), and applying them to the base gives the files of the
# quilt tree.  It refuses without an identity and refuses to write into a
# directory that is not an earlier export.  The identity below is a test
# fixture, used in a temporary directory only.
. "$(dirname "$0")/lib.sh"
[ -f "$OUT/linux/scripts/checkpatch.pl" ] || bail "no $OUT/linux: run make tree first"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t listed < <(sed -e 's/#.*//' -e 's/[[:space:]].*//' "$TOP/series" | sed '/^$/d')
n=${#listed[@]}

# No identity: nothing but the error.
mkdir -p "$tmp/nogit"
git init -q --bare "$tmp/nogit"
out=$(GIT_DIR=$tmp/nogit GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	env -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL "$TOP/tools/export.sh" "$tmp/x1" 2>&1)
rc=$?
echo "$out" | diag
[ $rc -ne 0 ] && echo "$out" | grep -q 'no git identity' && [ ! -e "$tmp/x1" ]
ok $? "without a git identity it refuses and writes nothing"

# A directory of someone else's is left alone.
mkdir -p "$tmp/x2" && echo mine >"$tmp/x2/notes.txt"
out=$(GIT_AUTHOR_NAME="Export Test" GIT_AUTHOR_EMAIL=export-test@example.invalid \
	"$TOP/tools/export.sh" "$tmp/x2" 2>&1)
rc=$?
echo "$out" | diag
[ $rc -ne 0 ] && [ "$(cat "$tmp/x2/notes.txt")" = mine ] && [ "$(ls -A "$tmp/x2")" = notes.txt ]
ok $? "a non-empty directory that is not an earlier export is refused and left as it was"

# The export.
d=$tmp/export
out=$(GIT_AUTHOR_NAME="Export Test" GIT_AUTHOR_EMAIL=export-test@example.invalid \
	"$TOP/tools/export.sh" "$d" 2>&1)
rc=$?
echo "$out" | diag
[ $rc -eq 0 ]
ok $? "export succeeds (exit $rc)"
[ "$(ls "$d/mail" | grep -c '\.patch$')" -eq $((n + 1)) ] && [ -f "$d/mail/0000-cover-letter.patch" ]
ok $? "a cover letter and $n patch mails"
cs=$(sed -n 's/^Subject: //p' "$TOP/patches/cover-letter.txt" | head -n 1)
grep -q "^Subject: \[PATCH 00/$n\] $cs\$" "$d/mail/0000-cover-letter.patch" &&
	! grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$d/mail/0000-cover-letter.patch"
ok $? "the cover letter has the subject and text of patches/cover-letter.txt"
bad=0 i=0
for p in "${listed[@]}"; do
	i=$((i + 1))
	m=$(ls "$d/mail/$(printf %04d $i)-"*.patch 2>/dev/null | head -n 1)
	subj=$(python3 "$TOP/tools/series/patch-msg.py" "$TOP/patches/$p" | sed -n 1p)
	if [ -z "$m" ] ||
	   [ "$(grep -c '^Signed-off-by: Export Test <export-test@example.invalid>$' "$m")" -ne 1 ] ||
	   ! python3 - "$m" "$(printf '[PATCH %02d/%d] %s' $i $n "$subj")" <<'EOF'
import email, sys
from email.header import decode_header, make_header
msg = email.message_from_file(open(sys.argv[1]))
subj = ' '.join(str(make_header(decode_header(msg['Subject']))).split())
sys.exit(subj != sys.argv[2])
EOF
	then
		echo "# $p: mail ${m:-missing} lacks its subject or its one Signed-off-by"
		bad=$((bad + 1))
	fi
done
[ $bad -eq 0 ]
ok $? "every mail is its patch, numbered in series order, with one Signed-off-by of the identity"
grep -q 'checkpatch.pl (Signed-off-by checked): 0 of' "$d/.export-stamp"
ok $? "checkpatch.pl is clean on every mail as posted"
python3 - "$d/mail" <<'EOF2'
import email, glob, sys
bad = 0
for path in sorted(glob.glob(sys.argv[1] + '/0*.patch')):
    msg = email.message_from_file(open(path))
    to, cc = str(msg['To'] or ''), str(msg['Cc'] or '')
    if 'x86@kernel.org' not in to or 'xen-devel@lists.xenproject.org' not in cc \
       or 'linux-kernel@vger.kernel.org' not in cc:
        print('# %s: To: %s / Cc: %s' % (path.split('/')[-1], to[:80], cc[:80]))
        bad = 1
sys.exit(bad)
EOF2
ok $? "every mail and the cover letter go To the x86 maintainers and Cc xen-devel and lkml (get_maintainer.pl)"
bad=0
# out/linux may carry the test queue on top (.test-queue): a file one of
# its patches touches is compared with the version before the first of
# them, quilt's backup in .pc/PATCH/.
declare -A before=()
while read -r tp; do
	[ -n "$tp" ] && [ -d "$OUT/linux/.pc/$tp" ] || continue
	while read -r f; do
		[ -n "${before[$f]:-}" ] || before[$f]=$OUT/linux/.pc/$tp/$f
	done < <(cd "$OUT/linux/.pc/$tp" && find . -type f | sed 's|^\./||')
done < <(cat "$OUT/linux/.test-queue" 2>/dev/null)
for f in $(git -C "$d/git" ls-files); do
	cmp -s "$d/git/$f" "${before[$f]:-$OUT/linux/$f}" || { echo "# $f differs from out/linux (${before[$f]:+before the test queue})"; bad=1; }
done
[ $bad -eq 0 ] && [ "$(git -C "$d/git" rev-list --count HEAD)" -eq $((n + 1)) ]
ok $? "the exported commits give the quilt tree's files"
out=$(GIT_AUTHOR_NAME="Export Test" GIT_AUTHOR_EMAIL=export-test@example.invalid \
	"$TOP/tools/export.sh" "$d" 2>&1)
ok $? "an earlier export is replaced"
done_testing
