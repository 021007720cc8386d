#!/usr/bin/env bash
# The series is well formed: every listed patch exists and every patch
# file is listed, each has a subject "area: summary" and a changelog, none
# carries a Signed-off-by (added at export), and each passes
# scripts/checkpatch.pl --no-signoff --strict, where a CHECK (a --strict
# remark, not an error or warning) passes only when the patch's changelog
# quotes its message, i.e. says why the code stays.  FILE_PATH_CHANGES ("does
# MAINTAINERS need updating?") is ignored: checkpatch cannot see that a new
# file is already covered by a MAINTAINERS pattern, and each patch that
# adds a file says which entry covers it in its changelog.
# UNKNOWN_COMMIT_ID ("Unknown commit id, maybe rebased or not pulled?")
# is ignored too: the tree is a tarball without git history, so checkpatch
# cannot look up a Fixes: tag's commit at all (in a kernel git tree it can).
# The test queue (test-series: patches for the test builds that are never
# posted) is held to the same rules.
. "$(dirname "$0")/lib.sh"
cp=$OUT/linux/scripts/checkpatch.pl
[ -f "$cp" ] || bail "no $cp: run make tree first"
mapfile -t listed < <(sed -e 's/#.*//' -e 's/[[:space:]].*//' "$TOP/series" $([ -f "$TOP/test-series" ] && echo "$TOP/test-series") | sed '/^$/d')
missing=0
for p in "${listed[@]}"; do
	[ -f "$TOP/patches/$p" ] || { echo "# series lists $p, which does not exist"; missing=1; }
done
ok $missing "every patch in series and test-series exists"
unlisted=$(cd "$TOP/patches" && find . -name '*.patch' | sed 's|^\./||' | sort |
	comm -23 - <(printf '%s\n' "${listed[@]}" | sort))
[ -z "$unlisted" ] || echo "$unlisted" | sed 's/^/# not in series: /'
[ -z "$unlisted" ]; ok $? "every patch file is in series or test-series"
for p in "${listed[@]}"; do
	f=$TOP/patches/$p
	[ -f "$f" ] || continue
	subj=$(sed -n 's/^Subject: *//p' "$f" | head -n 1)
	body=$(sed -n '/^Subject:/,/^---$/p' "$f" | sed '1d;$d' | grep -c '[a-z]')
	echo "$subj" | grep -qE '^[a-z0-9_./-]+(/[a-z0-9_.-]+)*: [^ ].*' && [ "$body" -ge 2 ]
	ok $? "$p: subject 'area: summary' ($subj) and a changelog"
	! grep -qi '^Signed-off-by:' "$f"
	ok $? "$p: no Signed-off-by"
	out=$(cd "$OUT/linux" && perl "$cp" --no-tree --no-signoff --strict --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID -q --terse "$f" 2>&1 | grep -v "^total: ")
	log=$(sed -n '/^Subject:/,/^---$/p' "$f")
	bad=0 named=()
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		msg=$(printf '%s\n' "$line" | sed -n 's/^.*: CHECK: \(.*\) - possible side-effects?$/\1/p; t; s/^.*: CHECK: //p')
		if [ -n "$msg" ] && grep -qF -- "$msg" <<<"$log"; then
			named+=("$msg")
		else
			echo "$line" | diag
			bad=1
		fi
	done <<<"$out"
	[ ${#named[@]} -eq 0 ] || printf '# --strict CHECK the changelog explains: %s\n' "${named[@]}"
	ok $bad "$p: checkpatch.pl --strict clean$([ ${#named[@]} -eq 0 ] || echo " but ${#named[@]} CHECK(s) its changelog explains")"
done
done_testing
