#!/usr/bin/env bash
# make tree (tools/tree.sh) on a small stand-in base: it applies the series,
# pops and pushes only what changed, and refuses bad input and trees with
# work in them without touching them.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LOGDIR=$T/logs BASE=$T/base.tar.xz SUMS= TREE=$T/tree PATCHES=$T/patches SERIES=$T/series
mkdir -p "$T/src/linux-source-6.12" "$PATCHES/t" "$LOGDIR"
printf 'one\n' >"$T/src/linux-source-6.12/a.c"
printf 'two\n' >"$T/src/linux-source-6.12/b.c"
tar -C "$T/src" -cJf "$BASE" linux-source-6.12
(cd "$T" && sha256sum base.tar.xz >SHA256SUMS)
mkpatch() {	# mkpatch NAME FILE OLD NEW
	printf 'Subject: t: %s\n\n---\n--- a/%s\n+++ b/%s\n@@ -1 +1 @@\n-%s\n+%s\n' \
		"$1" "$2" "$2" "$3" "$4" >"$PATCHES/t/$1.patch"
}
mkpatch 1-a a.c one ONE
mkpatch 2-b b.c two TWO
printf 't/1-a.patch\nt/2-b.patch\n' >"$SERIES"
tree() { "$TOP/tools/tree.sh" >"$T/out" 2>&1; }
snap() { (cd "$TREE" && cat a.c b.c; ls -a; quilt applied 2>/dev/null) | md5sum; }

tree; ok $? "unpacks the base and applies the series"
[ "$(cat "$TREE/a.c" "$TREE/b.c")" = "$(printf 'ONE\nTWO')" ]; ok $? "both patches are applied"
tree && grep -q "up to date" "$T/out"; ok $? "a second run has nothing to do"

mkpatch 2-b b.c two Two
tree && grep -q "1 popped, 1 pushed" "$T/out" && [ "$(cat "$TREE/b.c")" = Two ]
ok $? "a changed patch is popped and pushed, and only it"

mv "$BASE" "$T/gone.tar.xz"
before=$(snap)
tree; rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <"$T/out")" -eq 1 ] && grep -q "base tarball not found: $BASE" "$T/out"
ok $? "a missing tarball: one-line error naming it"
mv "$T/gone.tar.xz" "$BASE"

cp "$BASE" "$T/good.tar.xz"
printf 'x' >>"$BASE"
tree; rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <"$T/out")" -eq 1 ] && grep -q "checksum mismatch for $BASE" "$T/out"
ok $? "a wrong checksum: one-line error naming the tarball"
mv "$T/good.tar.xz" "$BASE"
[ "$(snap)" = "$before" ]; ok $? "the tree is untouched by both"

mkpatch 3-bad a.c nothing-like-this x
printf 't/3-bad.patch\n' >>"$SERIES"
tree; rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <"$T/out")" -eq 1 ] && grep -q "^error: patch t/3-bad.patch does not apply" "$T/out"
ok $? "a patch that does not apply: one-line error naming the patch"
[ "$(cat "$TREE/a.c")" = ONE ] && [ "$(cd "$TREE" && quilt top)" = patches/t/2-b.patch ]
ok $? "the patches before it stay applied, the file is as it was"
sed -i '/3-bad/d' "$SERIES"
tree; ok $? "after the series is fixed the tree is up to date again"

# Work in the tree: an unrefreshed quilt edit and a file quilt does not know.
(cd "$TREE" && quilt edit b.c </dev/null >/dev/null 2>&1; echo edited >>b.c)
echo mine >"$TREE/new.c"
mkpatch 1-a a.c one 1
before=$(snap)
tree; rc=$?
[ $rc -ne 0 ] && grep -q "refusing to change" "$T/out" && grep -q "unrefreshed edits in b.c" "$T/out" &&
	grep -q "outside quilt: new.c" "$T/out"
ok $? "unrefreshed edits and unknown files: refuses, naming the files"
[ "$(snap)" = "$before" ] && [ "$(cat "$TREE/new.c")" = mine ] && grep -q edited "$TREE/b.c"
ok $? "... and changes nothing"
(cd "$TREE" && quilt refresh >/dev/null 2>&1)
rm "$TREE/new.c"
tree && [ "$(cat "$TREE/a.c")" = 1 ] && grep -q edited "$TREE/b.c" && grep -q '^+edited' "$PATCHES/t/2-b.patch"
ok $? "once refreshed, the update goes through and keeps the refreshed edit"

# A patch dropped from the series, its file deleted too (quilt itself then
# refuses every command until the stack matches the series again).
rm "$PATCHES/t/1-a.patch"
sed -i '/1-a/d' "$SERIES"
tree && grep -q "2 popped, 1 pushed" "$T/out" && [ "$(cat "$TREE/a.c")" = one ] &&
	grep -q edited "$TREE/b.c" && [ "$(cd "$TREE" && quilt applied)" = patches/t/2-b.patch ]
ok $? "a patch dropped from the series is popped, the rest applied again"
tree && grep -q "up to date" "$T/out"; ok $? "... and then the tree is up to date"

# The test queue (test-series): pushed on top of the series, listed in
# .test-queue for the config step, popped again when it goes.
mkpatch 9-q a.c one Q
printf '# test queue\nt/9-q.patch\n' >"$T/test-series"
TEST_SERIES=$T/test-series tree && grep -q "0 popped, 1 pushed; the last 1 from the test queue" "$T/out" &&
	[ "$(cat "$TREE/a.c")" = Q ] && [ "$(cat "$TREE/.test-queue")" = t/9-q.patch ] &&
	[ "$(cd "$TREE" && quilt applied | tr '\n' ' ')" = "patches/t/2-b.patch patches/t/9-q.patch " ]
ok $? "the test queue is pushed on top of the series and listed in .test-queue"
TEST_SERIES=$T/test-series tree && grep -q "up to date (2 patches applied; the last 1 from the test queue)" "$T/out"
ok $? "... and then the tree is up to date"
printf 't/9-q.patch\n' >>"$SERIES"
! TEST_SERIES=$T/test-series tree && grep -q "t/9-q.patch is in both" "$T/out"
ok $? "a patch in both the series and the test queue: refused, naming it"
sed -i '/9-q/d' "$SERIES"
tree && grep -q "1 popped, 0 pushed" "$T/out" && [ "$(cat "$TREE/a.c")" = one ] && [ ! -s "$TREE/.test-queue" ]
ok $? "without the test queue its patches are popped and .test-queue is empty"
diag <"$T/out"
done_testing
