#!/usr/bin/env bash
# check-series.sh [PASS...]: build every prefix of the series.
#
# For k = 0 (the base) .. N (the whole series) it brings its own quilt tree
# (out/series-check/linux, never out/linux) to "patches 1..k applied" and
# builds each configuration of the pass incrementally in its own build dir
# (out/series-check/build/NAME, never out/build), with the shared ccache.
# A PASS is a comma-separated list of configs/NAME.config walked together
# (k outer, configs inner); passes run one after the other, e.g.
#
#     check-series.sh i386-native,i386-xen x86_64-defconfig
#
# One line per (k, config) goes to out/series-check/results.txt:
#
#     date k patch config status warnings new-warnings seconds key [note]
#
# status: ok (bzImage built), FAIL (build; the note names the objects and
# targets that failed: the build runs with make -k, and counts the compiler
# errors and those on lines patch k adds: tools/series/own-errors.py),
# CFGFAIL (configuring:
# an option the fragment asks for is not offered; no build is counted as
# one of the config it is not).  A fragment can name the patch that makes
# its options available (`# enabled-by: xen/NNNN-....patch`, configs/
# i386-xen.config: XEN_PV on i386); at every k before it, that config is
# built with the enabling patch applied on top (note "+PATCH"), so the
# 32-bit code of every earlier patch is compiled at its own k, and where
# it does not build yet the cell is a FAIL that names what failed.
# warnings: "warning:" lines of this (incremental)
# build; new-warnings: those whose message (file and text, no line numbers)
# the base build (k=0) of the same config did not print.  key: sha256 of the
# base, the sha256s of patches 1..k and the config's fragments; a rerun
# skips every (k, config) already ok for the same key, so a check can be
# stopped (kill it) and continued later.  Every line also goes to
# tools/series/results.txt (RECORD), which is committed: out/ is lost with
# the machine, the record is not, and a walk on a new machine skips what
# the record has as ok for the same key.  out/series-check/table.md, rewritten
# after every build, is the patch x config table ("-": not checked yet);
# `check-series.sh --table [CONFIG...]` prints it for the series as it is,
# `check-series.sh --doc` writes that table (every config of series.mk)
# into Documentation/series-builds.md between its check-series markers:
# the walk does so at its end, so no cell there is written by hand.
#
# Environment: STATES="0 22 ..." (only these k, default all), JOBS (2),
# NICE (19), SC (out/series-check).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

SC=${SC:-$OUT/series-check}
TREE=$SC/linux
export LOGDIR=$SC/logs
JOBS=${JOBS:-2}
NICE=${NICE:-19}
RESULTS=$SC/results.txt
RECORD=${RECORD:-$TOP/tools/series/results.txt}
CFGDIR=$TOP/configs
export CCACHE_DIR=${CCACHE_DIR:-$OUT/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2026-01-01}
export KBUILD_BUILD_USER=pvi386 KBUILD_BUILD_HOST=build

[ $# -gt 0 ] || set -- i386-native,i386-xen x86_64-defconfig x86_64-xen i386-nopv
mkdir -p "$SC/patches" "$LOGDIR" "$SC/warnings" "$SC/build"
for f in "$RESULTS" "$RECORD"; do
	[ -s "$f" ] ||
		echo "# date k patch config status warnings new-warnings seconds key [note]" >"$f"
done
# What is known: this machine's results and the committed record.
known() { cat "$RESULTS" "$RECORD"; }

# --- the series, frozen for this run ---------------------------------------
# The tree reads patches from a snapshot, so edits to patches/ while the
# check runs cannot mix two versions into one prefix.
mapfile -t P < <(sed -e 's/#.*//' -e 's/[[:space:]].*//' "$TOP/series" | sed '/^$/d')
N=${#P[@]}
for p in "${P[@]}"; do
	[ -f "$TOP/patches/$p" ] || die "series names $p, but patches/$p does not exist"
done
base_sum=$(awk 'NR==1 {print $1}' "$TOP/tools/base.sha256")
declare -a PKEY
acc="base $base_sum"
PKEY[0]=$acc
for ((i = 1; i <= N; i++)); do
	acc="$acc
${P[$((i - 1))]} $(sha256sum <"$TOP/patches/${P[$((i - 1))]}" | cut -d' ' -f1)"
	PKEY[$i]=$acc
done
pname() { [ "$1" -eq 0 ] && echo "(base)" || echo "${P[$(($1 - 1))]}"; }

# The fragments of a config, includes first (as tools/kconfig.sh merges them).
cfg_frags() {
	local f=$1
	for inc in $(sed -n 's/^# include:[[:space:]]*//p' "$CFGDIR/$f"); do cfg_frags "$inc"; done
	echo "$f"
}
cfg_sum() { (cd "$CFGDIR" && cat $(cfg_frags "$1.config" | awk '!s[$0]++')) | sha256sum | cut -c1-16; }
# The patch a config's fragment says makes its options available, and
# whether it goes on top at k (k before it): "NAME SUM" or nothing.
enabled_by() { sed -n 's/^# enabled-by:[[:space:]]*//p' "$CFGDIR/$1.config" | head -n 1; }
ontop() {
	local e i
	e=$(enabled_by "$2")
	[ -n "$e" ] || return 0
	for ((i = 0; i < N; i++)); do
		[ "${P[$i]}" = "$e" ] || continue
		[ "$1" -le "$i" ] && echo "$e $(sha256sum <"$TOP/patches/$e" | cut -d' ' -f1)"
		return 0
	done
	die "configs/$2.config: enabled-by $e, which series does not name"
}
key() {
	local t
	t=$(ontop "$1" "$2")
	{ printf '%s\n%s\n' "${PKEY[$1]}" "$(cfg_sum "$2")"; [ -z "$t" ] || echo "+ $t"; } |
		sha256sum | cut -c1-16
}

done_ok() {	# k config key: already ok for this key?
	awk -v k="$(printf %02d "$1")" -v c="$2" -v key="$3" \
		'$2 == k && $4 == c && $9 == key && $5 == "ok" {f=1} END {exit !f}' <(known)
}

# --- bring the tree to "patches 1..k" ---------------------------------------
# tools/tree.sh does the work (verify, unpack once, pop/push only what
# differs, refuse on stray edits), on our tree, our snapshot and a series
# file holding the first k patches.  quilt pop touches what it restores, so
# the incremental builds see every file that changed.
set_state() {
	local k=$1 applied
	take_off_top
	# Going back: quilt wants the applied patches in the series file, so
	# pop with the applied list as series first (quilt touches what it
	# restores), then let tree.sh see a tree at k.
	applied=$(grep -c . "$TREE/.pc/applied-patches" 2>/dev/null || true)
	if [ "${applied:-0}" -gt "$k" ]; then
		cp "$TREE/.pc/applied-patches" "$SC/series"
		(cd "$TREE" && QUILT_PATCHES=patches QUILT_SERIES=series QUILT_PC=.pc \
			quilt --quiltrc /dev/null pop -f -q $((applied - k))) >"$LOGDIR/quilt-pop.log" 2>&1 ||
			{ tail -n 5 "$LOGDIR/quilt-pop.log" >&2; die "quilt pop to patch $k failed"; }
		head -n "$k" "$TREE/.series-state" >"$TREE/.series-state.new"
		mv "$TREE/.series-state.new" "$TREE/.series-state"
		touch "$TREE/.tree-stamp"
	fi
	{ echo "# check-series: patches 1..$k of $TOP/series"; printf '%s\n' "${P[@]:0:$k}"; } >"$SC/series"
	TREE=$TREE PATCHES=$SC/patches SERIES=$SC/series "$TOP/tools/tree.sh" >"$LOGDIR/tree.log" 2>&1 || {
		sed 's/^/  | /' "$LOGDIR/tree.log" >&2
		die "cannot bring $TREE to patch $k ($(pname "$k"))"
	}
	local top
	top=$(cd "$TREE" && quilt --quiltrc /dev/null top 2>/dev/null | sed 's|^patches/||')
	[ "${top:-}" = "$( [ "$k" -eq 0 ] && echo "" || pname "$k")" ] ||
		die "tree is at '${top:-nothing}', wanted $(pname "$k")"
}

# The enabling patch of a config, applied to the tree at k on top of the
# quilt stack (not through quilt: it is not part of patches 1..k), and
# taken off again; $SC/on-top remembers it in case a run is killed.
put_on_top() {
	patch -d "$TREE" -p1 -s -N <"$SC/patches/$1" >"$LOGDIR/on-top.log" 2>&1 ||
		{ cat "$LOGDIR/on-top.log" >&2; die "$1 does not apply on top of patch $(pname "$k")"; }
	echo "$1" >"$SC/on-top"
}
take_off_top() {
	[ -f "$SC/on-top" ] || return 0
	local p
	p=$(cat "$SC/on-top")
	patch -d "$TREE" -p1 -s -R <"$SC/patches/$p" >"$LOGDIR/on-top.log" 2>&1 ||
		{ cat "$LOGDIR/on-top.log" >&2; die "cannot take $p off the tree again"; }
	rm -f "$SC/on-top"
	# What it touched is the quilt state's again: no stray edit for tree.sh.
	touch "$TREE/.tree-stamp"
}

# Warning lines of a build log, as messages without line/column/offsets.
warn_msgs() {
	grep -Ei 'warning:' "$1" |
		sed -E -e "s|$TREE/||g" -e 's|\.\./\.\./linux/||g' -e 's|^\./||' \
		       -e 's/:[0-9]+:[0-9]+:/:/' -e 's/:[0-9]+:/:/' \
		       -e 's/\+0x[0-9a-f]+/+0x?/g' | sort -u
}

# --- one (k, config) ----------------------------------------------------------
build_one() {
	local k=$1 c=$2 kk key B log status note="" t0 t1 nw=0 nnew=0
	kk=$(printf %02d "$k")
	key=$(key "$k" "$c")
	B=$SC/build/$c
	log=$LOGDIR/build-$c-$kk.log
	mkdir -p "$SC/warnings/$c"
	# The base build is the reference for new warnings: make it complete.
	[ "$k" -ne 0 ] || rm -rf "$B"
	mkdir -p "$B"
	t0=$(date +%s)
	# The enabling patch on top, if this config needs it at k; taken off
	# again below (and by set_state, should a run have been killed here).
	local top_p
	top_p=$(ontop "$k" "$c" | cut -d' ' -f1)
	if [ -n "$top_p" ]; then
		put_on_top "$top_p"
		note="+$top_p"
	fi
	# kconfig.sh puts a config whose requested values Kconfig refuses back
	# to the previous one (not counted: CFGFAIL).
	[ -f "$B/.config" ] && mv "$B/.config" "$B/.config.keep"
	if TREE=$TREE KCC="ccache gcc" nice -n "$NICE" "$TOP/tools/kconfig.sh" "$c" "$B" >"$log.kconfig" 2>&1; then
		:
	else
		status=CFGFAIL
		note="${note:+$note; }$(grep -m1 -o 'options without their requested value: .*' "$log.kconfig" ||
			echo 'kconfig.sh failed')"
	fi
	# An unchanged .config keeps its time stamp (no needless syncconfig).
	if [ -f "$B/.config.keep" ]; then
		if [ -f "$B/.config" ] && cmp -s "$B/.config" "$B/.config.keep"; then
			mv "$B/.config.keep" "$B/.config"
		else
			rm -f "$B/.config.keep"
		fi
	fi
	if [ "${status:-}" = CFGFAIL ]; then
		cp "$log.kconfig" "$log"
	else
		# -k: a failing build goes on, so the note can name every
		# object that does not compile at this k.
		if nice -n "$NICE" make -C "$TREE" O="$B" ARCH="$(cat "$B/.arch")" CC="ccache gcc" \
			-k -j"$JOBS" bzImage >"$log" 2>&1; then
			status=ok
		else
			status=FAIL
			note="${note:+$note; }failed: $(sed -n 's/^make\[[0-9]*\]: \*\*\* \[[^]]*: \([^]]*\)\] Error.*/\1/p' "$log" |
				grep -E '\.[a-zA-Z]+$' | grep -v -e '^vmlinux' -e '^arch/x86/boot' -e '/built-in\.a$' | sort -u | tr '\n' ' ' | sed 's/ $//')"
			# and whether the code patch k adds is what fails
			[ "$k" -eq 0 ] || note="$note; $(python3 "$TOP/tools/series/own-errors.py" \
				"$SC/patches/$(pname "$k")" "$log" "$TREE" 2>&1 | head -n 1)"
		fi
	fi
	[ -z "$top_p" ] || take_off_top
	t1=$(date +%s)
	warn_msgs "$log" >"$SC/warnings/$c/$kk.txt"
	nw=$(grep -Eci 'warning:' "$log" || true)
	if [ "$k" -eq 0 ]; then
		cp "$SC/warnings/$c/$kk.txt" "$SC/warnings/$c/base.txt"
		: >"$SC/warnings/$c/$kk.new"
	elif [ -f "$SC/warnings/$c/base.txt" ]; then
		comm -23 "$SC/warnings/$c/$kk.txt" "$SC/warnings/$c/base.txt" >"$SC/warnings/$c/$kk.new"
		nnew=$(wc -l <"$SC/warnings/$c/$kk.new")
	else
		nnew="?"	# no base build to compare with
	fi
	printf '%s %s %s %s %s %s %s %s %s %s\n' "$(date -u +%FT%TZ)" "$kk" "$(pname "$k")" "$c" \
		"$status" "$nw" "$nnew" "$((t1 - t0))" "$key" "$note" | sed 's/ $//' | tee -a "$RECORD" >>"$RESULTS"
	step "$status" "$kk $(pname "$k") $c: $nw warnings ($nnew new), $((t1 - t0)) s${note:+; $note}"
	case $status in
	FAIL|CFGFAIL)
		echo "  patch $(pname "$k"), config $c: build failed; log ${log#"$TOP"/}:" >&2
		{ grep -E 'error:|Error:|Error [0-9]|undefined reference|multiple definition|\*\*\*' "$log" |
		    sed "s|$TREE/||g" | awk '!s[$0]++' | head -n 25
		  echo "  ..."; tail -n 8 "$log"; } | sed 's/^/  | /' >&2 ;;
	esac
	[ "$nnew" = 0 ] || [ "$nnew" = "?" ] ||
		sed 's/^/  | new warning: /' "$SC/warnings/$c/$kk.new" | head -n 20 >&2
}

# --- the table: what is known for the series as it is now ------------------------
# Latest result per (k, config) whose key matches the current prefix and
# fragments; "-" means not checked (or checked for other patch contents).
table() {
	local k c key line hdr="| k | patch |" sep="|---|---|"
	for c in "$@"; do hdr="$hdr $c |"; sep="$sep---|"; done
	echo "$hdr"; echo "$sep"
	for ((k = 0; k <= N; k++)); do
		line="| $k | $(pname "$k" | sed 's|\.patch$||') |"
		for c in "$@"; do
			key=$(key "$k" "$c")
			line="$line $(awk -v k="$(printf %02d "$k")" -v c="$c" -v key="$key" '
				$2 == k && $4 == c && $9 == key {
					note = $0; for (i = 1; i <= 9; i++) sub(/^[^ ]+ /, "", note)
					if (NF < 10) note = ""
					r = $5 " " $6 "w/" $7 "new " $8 "s"
					if (note ~ /^\+/) { r = r " +enable"; sub(/^[^;]*(; )?/, "", note) }
					if (note != "") r = r ": " note
				}
				END {print (r == "" ? "-" : r)}' <(known)) |"
		done
		echo "$line"
	done
}
# Documentation/series-builds.md: the table between its markers.
doc() {
	local d=$TOP/Documentation/series-builds.md t
	grep -q '^<!-- check-series:begin -->$' "$d" && grep -q '^<!-- check-series:end -->$' "$d" ||
		die "$d has no <!-- check-series:begin/end --> markers"
	t=$(mktemp)
	{ echo "Series: $N patches, \`series\` as of $(cd "$TOP" && git log -1 --format='%h %cs' -- series patches 2>/dev/null || echo '?')."
	  echo; table "$@"; } >"$t"
	awk -v t="$t" '
		/^<!-- check-series:end -->$/ {skip = 0}
		!skip {print}
		/^<!-- check-series:begin -->$/ {while ((getline l < t) > 0) print l; skip = 1}' "$d" >"$d.new" &&
		mv "$d.new" "$d"
	rm -f "$t"
}
DOC_CONFIGS="i386-native i386-xen i386-nopv x86_64-xen x86_64-defconfig"
if [ "${1:-}" = --doc ]; then
	doc $DOC_CONFIGS
	exit 0
fi
if [ "${1:-}" = --table ]; then
	shift
	[ $# -gt 0 ] || set -- i386-native i386-xen x86_64-defconfig x86_64-xen i386-nopv
	table "$@"
	exit 0
fi

# --- the walk -------------------------------------------------------------------
# One check at a time: two would fight over the tree.
exec 9>"$SC/lock"
flock -n 9 || die "another check-series runs (lock $SC/lock)"
# The snapshot the tree reads, the patches the keys above were made from.
for p in "${P[@]}"; do
	mkdir -p "$SC/patches/$(dirname "$p")"
	cmp -s "$TOP/patches/$p" "$SC/patches/$p" || cp "$TOP/patches/$p" "$SC/patches/$p"
done
for ((i = 1; i <= N; i++)); do
	[ "${PKEY[$i]##* }" = "$(sha256sum <"$SC/patches/${P[$((i - 1))]}" | cut -d' ' -f1)" ] ||
		die "patches/${P[$((i - 1))]} changed while check-series started; run it again"
done
states=${STATES:-$(seq 0 "$N")}
for pass in "$@"; do
	IFS=, read -r -a cfgs <<<"$pass"
	for c in "${cfgs[@]}"; do
		[ -f "$CFGDIR/$c.config" ] || die "no such config: configs/$c.config"
		# Not in a subshell, so a bad "# enabled-by:" stops the walk.
		ontop 0 "$c" >/dev/null
	done
	step PASS "${cfgs[*]}: states $(echo $states | tr '\n' ' ')"
	for k in $states; do
		[ "$k" -le "$N" ] || continue
		todo=()
		for c in "${cfgs[@]}"; do
			if done_ok "$k" "$c" "$(key "$k" "$c")"; then
				step skip "$(printf %02d "$k") $(pname "$k") $c: already ok"
			else
				todo+=("$c")
			fi
		done
		[ ${#todo[@]} -gt 0 ] || continue
		set_state "$k"
		for c in "${todo[@]}"; do
			build_one "$k" "$c"
			# What is checked so far ("-": not yet), after every build.
			table $(printf '%s\n' "$@" | tr , '\n' | awk '!s[$0]++') >"$SC/table.md"
		done
	done
done

echo
table $(printf '%s\n' "$@" | tr , '\n' | awk '!s[$0]++') | tee "$SC/table.md"
doc $DOC_CONFIGS
step DOC "Documentation/series-builds.md: the table rewritten from the record"
