#!/usr/bin/env bash
# make tree: verify the pinned base tarball, unpack it once and bring the
# quilt stack in line with `series`, popping and pushing only what changed.
# It never destroys work: unrefreshed edits or files quilt does not know
# about make it refuse before it changes anything.
#
# Inputs (environment): BASE (tarball), SUMS (SHA256SUMS listing it),
# TREE (source tree), PATCHES (patch dir), SERIES (series file).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TREE=${TREE:-$OUT/linux}
PATCHES=${PATCHES:-$TOP/patches}
SERIES=${SERIES:-$TOP/series}
STAMP=.tree-stamp	# touched after every successful sync
STATE=.series-state	# "patch sha256" of every applied patch

# --- 1. the base tarball and its checksum ------------------------------
verify_base
have=$BASE_SHA256

# --- 2. unpack once ---------------------------------------------------------
if [ ! -d "$TREE" ]; then
	step TREE "unpacking $(basename "$BASE")"
	tmp=$TREE.unpack.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	trap 'rm -rf "$tmp"' EXIT
	tar -xf "$BASE" -C "$tmp" --strip-components=1 ||
		die "cannot unpack $BASE"
	echo "$have" >"$tmp/.base-sha256"
	ln -s "$PATCHES" "$tmp/patches"
	ln -s "$SERIES" "$tmp/series"
	touch "$tmp/$STAMP"
	: >"$tmp/$STATE"
	mv "$tmp" "$TREE"
	trap - EXIT
elif [ "$(cat "$TREE/.base-sha256" 2>/dev/null)" != "$have" ]; then
	die "$TREE was unpacked from another base; move it away to use $BASE"
fi
[ -f "$SERIES" ] || die "series file not found: $SERIES"

cd "$TREE"
export QUILT_PATCHES=patches QUILT_SERIES=series QUILT_PC=.pc
unset QUILTRC
q() { quilt --quiltrc /dev/null "$@"; }
# quilt refuses everything once the series no longer lists what is
# applied (a patch dropped or renamed since the last sync), pop included.
# What is applied, its files and its pops are therefore asked of the
# stack as it was pushed: quilt's own list of applied patches, as a
# series of its own, which the tree's series link points to meanwhile
# (quilt keeps the series file's name in .pc, not its path).
APPLIED_SERIES=$(mktemp)
[ ! -f .pc/applied-patches ] || cp .pc/applied-patches "$APPLIED_SERIES"
trap 'ln -sfn "$SERIES" "$TREE/series"; rm -f "$APPLIED_SERIES"' EXIT
qa() {
	local rc=0
	ln -sfn "$APPLIED_SERIES" series
	q "$@" || rc=$?
	ln -sfn "$SERIES" series
	return $rc
}

# --- 3. what is wanted, what is applied ---------------------------------------
mapfile -t want_list < <(sed -e 's/#.*//' -e 's/[[:space:]].*//' "$SERIES" | sed '/^$/d')
for p in "${want_list[@]}"; do
	[ -f "$PATCHES/$p" ] || die "series names $p, but $PATCHES/$p does not exist"
done
mapfile -t applied < <(qa applied 2>/dev/null | sed 's|^patches/||')
declare -A applied_sum=()
while read -r p s; do applied_sum[$p]=$s; done <"$STATE"

# First position where the applied stack and the series part ways: a
# different name, or a patch file that changed since it was pushed.
k=0
while [ $k -lt ${#applied[@]} ] && [ $k -lt ${#want_list[@]} ]; do
	p=${applied[$k]}
	[ "$p" = "${want_list[$k]}" ] || break
	[ -f "$PATCHES/$p" ] && [ "${applied_sum[$p]:-}" = "$(sha256sum <"$PATCHES/$p" | cut -d' ' -f1)" ] || break
	k=$((k + 1))
done
need_pop=$(( ${#applied[@]} - k ))
need_push=$(( ${#want_list[@]} - k ))

# --- 4. refuse to touch a tree with work in it ----------------------------
# Files modified since the last sync are either edits quilt knows about
# (a patch's file, checked for unrefreshed changes) or files quilt does not
# know about at all.
declare -A owner=()
for p in "${applied[@]}"; do
	while read -r f; do owner[$f]=$p; done < <(qa files "$p" 2>/dev/null)
done
unrefreshed=()
unknown=()
while read -r f; do
	f=${f#./}
	if [ -n "${owner[$f]:-}" ]; then
		if [ -n "$(qa diff -z -P "${owner[$f]}" "$f" 2>/dev/null)" ]; then
			unrefreshed+=("$f (${owner[$f]})")
		fi
	else
		unknown+=("$f")
	fi
done < <(find . \( -path ./.pc -o -path ./series -o -path ./patches -o -name "$STAMP" -o -name "$STATE" \) -prune -o \
	\( -type f -o -type l \) -newer "$STAMP" -print)

# At most ten names in a message, then how many more.
names() {
	local n=$#
	if [ $n -le 10 ]; then echo "$*"; else echo "${*:1:10} and $((n - 10)) more"; fi
}

if [ $need_pop -eq 0 ] && [ $need_push -eq 0 ]; then
	[ ${#unrefreshed[@]} -eq 0 ] ||
		step TREE "note: unrefreshed edits: $(names "${unrefreshed[@]}")"
	[ ${#unknown[@]} -eq 0 ] ||
		step TREE "note: files changed outside quilt: $(names "${unknown[@]}")"
	step TREE "up to date (${#applied[@]} patches applied)"
	exit 0
fi
if [ ${#unrefreshed[@]} -gt 0 ] || [ ${#unknown[@]} -gt 0 ]; then
	msg="refusing to change $TREE:"
	[ ${#unrefreshed[@]} -eq 0 ] || msg="$msg unrefreshed edits in $(names "${unrefreshed[@]}") (quilt refresh them);"
	[ ${#unknown[@]} -eq 0 ] || msg="$msg files changed outside quilt: $(names "${unknown[@]}") (quilt add/refresh them, or revert);"
	die "${msg%;}"
fi

# --- 5. pop and push only what is needed --------------------------------------
# The check above found no work to lose, so pop restores the backups quilt
# keeps (-f): a patch file that changed in the repository since it was
# pushed no longer reverse-applies, and must not stop the update.
if [ $need_pop -gt 0 ]; then
	step TREE "popping $need_pop patch(es)"
	log=$LOGDIR/quilt-pop.log
	qa pop -f -q "$need_pop" >"$log" 2>&1 || { tail -n 5 "$log" >&2; die "quilt pop failed; see $log"; }
fi
head -n "$k" "$STATE" >"$STATE.new" && mv "$STATE.new" "$STATE"
for ((i = k; i < ${#want_list[@]}; i++)); do
	p=${want_list[$i]}
	log=$LOGDIR/quilt-push.log
	if ! q push -q "$p" >"$log" 2>&1 || [ "$(q top 2>/dev/null | sed 's|^patches/||')" != "$p" ]; then
		touch "$STAMP"
		die "patch $p does not apply (patches/$p; quilt says why in ${log#"$TOP"/})"
	fi
	echo "$p $(sha256sum <"$PATCHES/$p" | cut -d' ' -f1)" >>"$STATE"
done
touch "$STAMP"
step TREE "applied ${#want_list[@]} patches ($need_pop popped, $need_push pushed)"
