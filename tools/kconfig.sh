#!/usr/bin/env bash
# kconfig.sh NAME BUILDDIR: make BUILDDIR/.config for configs/NAME.config.
#
# A fragment names its base (`# base: tinyconfig` or `# base: defconfig`)
# and the fragments it builds on (`# include: a.config b.config`); includes
# are merged first, the fragment itself last, so later values win.  After
# scripts/kconfig/merge_config.sh and olddefconfig, every option a fragment
# asks for must have the asked value: merge_config only warns, we fail.
#
# A tree with the test queue applied (tools/tree.sh: TREE/.test-queue not
# empty) gets configs/test-queue.config merged last into every
# configuration that comes out with CONFIG_PARAVIRT=y: the options of the
# test-only patches (pv site statistics), which no configuration of the
# posted series names.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: kconfig.sh NAME BUILDDIR}
B=${2:?usage: kconfig.sh NAME BUILDDIR}
TREE=${TREE:-$OUT/linux}
CFGDIR=${CFGDIR:-$TOP/configs}

[ -f "$CFGDIR/$name.config" ] ||
	die "no such config: $name (have: $(cd "$CFGDIR" && ls ./*.config | sed 's|^\./||; s/\.config$//' | grep -v '^common$' | tr '\n' ' '))"

frags=()
declare -A seen=()
add() {
	local f=$1 inc
	[ -f "$CFGDIR/$f" ] || die "configs/$f (included by $2) does not exist"
	[ -z "${seen[$f]:-}" ] || return 0
	seen[$f]=1
	for inc in $(sed -n 's/^# include:[[:space:]]*//p' "$CFGDIR/$f"); do
		add "$inc" "$f"
	done
	frags+=("$CFGDIR/$f")
}
add "$name.config" "command line"
testq=
if [ -s "$TREE/.test-queue" ] && [ -f "$CFGDIR/test-queue.config" ]; then
	testq=$CFGDIR/test-queue.config
fi
base=$(sed -n 's/^# base:[[:space:]]*//p' "$CFGDIR/$name.config" | head -n 1)
[ -n "$base" ] || base=$(sed -n 's/^# base:[[:space:]]*//p' "${frags[@]}" | head -n 1)
case "$base" in
tinyconfig|defconfig|allnoconfig) ;;
*) die "configs/$name.config: unknown or missing '# base:' ($base)" ;;
esac

# The last value asked for each option, in merge order.
wanted() {
	cat "$@" |
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' |
	awk '{v[$1]=$2; if (!($1 in o)) {o[$1]=++n; k[n]=$1}} END {for (i=1;i<=n;i++) print k[i], v[k[i]]}'
}
want=$(wanted "${frags[@]}")
if printf '%s\n' "$want" | grep -q '^CONFIG_64BIT n$'; then
	ARCH=i386
else
	ARCH=x86_64
fi
mkdir -p "$B"
echo "$ARCH" >"$B/.arch"

mk() { make -s -C "$TREE" O="$B" ARCH="$ARCH" CC="${KCC:-gcc}" "$@"; }
log=$LOGDIR/kconfig-$name.log
[ -f "$B/.config" ] && cp -p "$B/.config" "$B/.config.prev"
{
	mk "$base" &&
	"$TREE/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" "${frags[@]}" &&
	mk olddefconfig
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuring $name failed; see $log"; }
if [ -n "$testq" ] && grep -q '^CONFIG_PARAVIRT=y' "$B/.config"; then
	{
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" "$testq" &&
		mk olddefconfig
	} >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuring $name with the test queue failed; see $log"; }
	frags+=("$testq")
	want=$(wanted "${frags[@]}")
fi

bad=()
while read -r opt val; do
	[ -n "$opt" ] || continue
	if [ "$val" = n ]; then
		grep -q "^$opt=" "$B/.config" && bad+=("$opt (want n, got $(sed -n "s/^$opt=//p" "$B/.config"))")
	else
		got=$(sed -n "s/^$opt=//p" "$B/.config")
		[ "$got" = "$val" ] || bad+=("$opt (want $val, got ${got:-n})")
	fi
done <<<"$want"
if [ ${#bad[@]} -gt 0 ]; then
	[ -f "$B/.config.prev" ] && mv "$B/.config.prev" "$B/.config"
	die "config $name: options without their requested value: ${bad[*]}"
fi

# Keep the old file (and its time stamp) when nothing changed, so an
# unchanged configuration does not make kbuild look again.
if [ -f "$B/.config.prev" ] && cmp -s "$B/.config" "$B/.config.prev"; then
	mv "$B/.config.prev" "$B/.config"
else
	rm -f "$B/.config.prev"
fi
step CONFIG "$name ($ARCH, $base + $(basename -a "${frags[@]}" | tr '\n' ' ' | sed 's/ $//'))"
