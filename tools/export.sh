#!/usr/bin/env bash
# export.sh [DIR]: the series as mail for lkml (make export).
#
# Makes a git repository in DIR/git holding the base version of every file
# the series touches (from the pinned base tarball), commits each patch of
# `series` on top of it with its changelog as the message, the submitter's
# git identity as author and a Signed-off-by of that identity (git commit
# -s), and writes `git format-patch --cover-letter --numbered` mail into
# DIR/mail: 0000-cover-letter.patch (from patches/cover-letter.txt) and one
# file per patch, ready for `git send-email DIR/mail`.  Then it runs
# scripts/checkpatch.pl on every mail as it would be posted, Signed-off-by
# check included.  The diffs are git's; the blob hashes in their index
# lines are those of the full tree, as a blob's hash depends only on the
# file's content.
#
# The identity is git's user.name and user.email (or GIT_AUTHOR_NAME and
# GIT_AUTHOR_EMAIL): export refuses to run without them; Signed-off-by lines are
# never invented.  DIR (default out/export) must be new or an earlier
# export (it holds .export-stamp): nothing else is overwritten.
# Environment: BASE, SUMS (as tools/tree.sh), PREFIX (subject prefix,
# default "PATCH"), TO and CC (addresses for the mail headers, optional).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DIR=${1:-$OUT/export}
PREFIX=${PREFIX:-PATCH}
COVER=$TOP/patches/cover-letter.txt

# --- who signs ---------------------------------------------------------------
# Only an identity someone set: git's own guess (user@host) is not one.
name=${GIT_AUTHOR_NAME:-$(git -C "$TOP" config user.name 2>/dev/null || true)}
email=${GIT_AUTHOR_EMAIL:-$(git -C "$TOP" config user.email 2>/dev/null || true)}
if [ -z "$name" ] || [ -z "$email" ]; then
	die "no git identity to sign the patches with: set git config user.name and user.email (or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL)"
fi

# --- where -------------------------------------------------------------------
if [ -e "$DIR" ]; then
	[ -d "$DIR" ] || die "$DIR exists and is not a directory"
	if [ -n "$(ls -A "$DIR")" ] && [ ! -f "$DIR/.export-stamp" ]; then
		die "$DIR is not empty and not an earlier export (no .export-stamp): give another DIR"
	fi
fi

# --- the series ----------------------------------------------------------------
mapfile -t P < <(sed -e 's/#.*//' -e 's/[[:space:]].*//' "$TOP/series" | sed '/^$/d')
[ ${#P[@]} -gt 0 ] || die "series lists no patches"
for p in "${P[@]}"; do
	[ -f "$TOP/patches/$p" ] || die "series names $p, but patches/$p does not exist"
	grep -q '^Subject: ' "$TOP/patches/$p" || die "patches/$p has no Subject: line"
	! grep -qi '^Signed-off-by:' "$TOP/patches/$p" ||
		die "patches/$p carries a Signed-off-by: patches get theirs here, at export"
done
[ -f "$COVER" ] || die "no cover letter: $COVER"
[ -f "$OUT/linux/scripts/checkpatch.pl" ] || die "no $OUT/linux/scripts/checkpatch.pl: run make tree first"

# Every file a patch touches (a/ side; /dev/null for new files).
mapfile -t FILES < <(for p in "${P[@]}"; do
	sed -n -e 's|^--- a/\([^[:space:]]*\).*|\1|p' -e 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$TOP/patches/$p"
done | sort -u)

# --- the base tarball, verified as tools/tree.sh does ----------------------------
verify_base
want=$BASE_SHA256
top=$( (tar -tf "$BASE" 2>/dev/null || true) | head -n 1 | cut -d/ -f1)
[ -n "$top" ] || die "cannot list $BASE"

# --- the repository: base, then one commit per patch ------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
G=$tmp/git
mkdir -p "$G"
step EXPORT "base versions of ${#FILES[@]} files from $(basename "$BASE")"
# Files that are new in the series are not in the tarball: tar lists them
# as missing, which is expected; any other tar failure is not.
tar -xf "$BASE" -C "$G" --strip-components=1 \
	$(printf "$top/%s " "${FILES[@]}") 2>"$tmp/tar.err" || true
grep -v 'Not found in archive\|Exiting with failure status' "$tmp/tar.err" >&2 && die "cannot unpack the base files"
g() { git -C "$G" -c core.autocrlf=false -c commit.gpgsign=false "$@"; }
g init -q
g add -A
GIT_AUTHOR_NAME=base GIT_AUTHOR_EMAIL=base@invalid GIT_COMMITTER_NAME=base GIT_COMMITTER_EMAIL=base@invalid \
	GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
	g commit -q -m "base: $(basename "$BASE") (the files the series touches)"
for p in "${P[@]}"; do
	f=$TOP/patches/$p
	g apply --index "$f" 2>"$tmp/apply.err" ||
		{ sed 's/^/  | /' "$tmp/apply.err" >&2; die "patches/$p does not apply in series order"; }
	# The message: the subject, then the changelog up to the "---" line.
	python3 "$TOP/tools/series/patch-msg.py" "$f" >"$tmp/msg"
	GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
		g commit -q -s --cleanup=verbatim -F "$tmp/msg"
done

# --- the mail -------------------------------------------------------------------
rm -rf "$tmp/mail"
hdr=()
# To and Cc: TO=/CC= if given, else scripts/get_maintainer.pl over the
# whole series (maintainers to To, reviewers and lists to Cc), the same
# for every mail so that the thread reaches everyone.
gm() {
	(cd "$OUT/linux" && perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats "$@" \
		"${P[@]/#/$TOP/patches/}") 2>/dev/null | awk 'NF && !seen[$0]++'
}
if [ -z "${TO:-}${CC:-}" ] && [ "${GET_MAINTAINER:-1}" = 1 ]; then
	gm --m --no-r --no-l >"$tmp/to"
	while read -r a; do hdr+=("--to=$a"); done <"$tmp/to"
	while read -r a; do hdr+=("--cc=$a"); done < <(gm --no-m --r --l | grep -vxF -f "$tmp/to")
	step EXPORT "To/Cc from get_maintainer.pl: $(printf '%s\n' "${hdr[@]}" | grep -c '^--to=') to, $(printf '%s\n' "${hdr[@]}" | grep -c '^--cc=') cc"
fi
[ -z "${TO:-}" ] || hdr+=("--to=$TO")
[ -z "${CC:-}" ] || hdr+=("--cc=$CC")
g format-patch -q --cover-letter --numbered --subject-prefix="$PREFIX" \
	"${hdr[@]}" -o "$tmp/mail" HEAD~${#P[@]}..HEAD
cl=$tmp/mail/0000-cover-letter.patch
python3 "$TOP/tools/series/patch-msg.py" "$COVER" >"$tmp/cover" || die "$COVER has no Subject: line"
csubj=$(head -n 1 "$tmp/cover")
tail -n +3 "$tmp/cover" >"$tmp/blurb"
python3 - "$cl" "$csubj" "$tmp/blurb" <<'EOF'
import sys
path, subj, blurb = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().rstrip('\n')
s = open(path).read()
assert '*** SUBJECT HERE ***' in s and '*** BLURB HERE ***' in s, 'unexpected cover letter template'
s = s.replace('*** SUBJECT HERE ***', subj, 1).replace('*** BLURB HERE ***', blurb, 1)
open(path, 'w').write(s)
EOF

# --- checkpatch, as the mail will be read ------------------------------------------
cp=$OUT/linux/scripts/checkpatch.pl
bad=0
for m in "$tmp"/mail/0*.patch; do
	[ "$(basename "$m")" != 0000-cover-letter.patch ] || continue
	# UNKNOWN_COMMIT_ID: a tarball tree has no git history to look up a
	# Fixes: tag's commit in; in a kernel git tree checkpatch checks it.
	out=$(perl "$cp" --no-tree --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID -q --terse "$m" 2>&1 |
		grep -v '^total: 0 errors, 0 warnings' || true)
	[ -z "$out" ] || { echo "$out" | sed "s|^|  $(basename "$m"): |"; bad=$((bad + 1)); }
done
chk="checkpatch.pl (Signed-off-by checked): $bad of ${#P[@]} with findings"

# --- into place --------------------------------------------------------------------
mkdir -p "$DIR"
rm -rf "$DIR/mail" "$DIR/git"
mv "$tmp/mail" "$DIR/mail"
mv "$G" "$DIR/git"
{
	echo "export of $(date -u +%FT%TZ): ${#P[@]} patches of $TOP/series"
	echo "signed off by: $name <$email>"
	echo "base: $(basename "$BASE") sha256 $want"
	echo "$chk"
} >"$DIR/.export-stamp"
step EXPORT "${#P[@]} patches and a cover letter in ${DIR#"$TOP"/}/mail, signed off by $name <$email>"
step EXPORT "$chk"
step EXPORT "send with: git send-email ${DIR#"$TOP"/}/mail/*.patch"
[ "$bad" -eq 0 ]
