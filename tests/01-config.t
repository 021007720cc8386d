#!/usr/bin/env bash
# Config fragments: an option Kconfig cannot give the requested value is
# an error naming it (merge_config.sh alone only warns), and every
# configuration in configs/ resolves its includes and base.
. "$(dirname "$0")/lib.sh"
[ -d "$OUT/linux" ] || bail "no kernel tree in $OUT/linux: run make tree first"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LOGDIR=$T CFGDIR=$T/configs
mkdir -p "$CFGDIR"
cp "$TOP"/configs/*.config "$CFGDIR/"
cat >"$CFGDIR/bad.config" <<'EOC'
# base: tinyconfig
# include: common.config
# HIGHMEM4G is 32-bit only.
CONFIG_64BIT=y
CONFIG_HIGHMEM4G=y
EOC
"$TOP/tools/kconfig.sh" bad "$T/build" >"$T/out" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q "options without their requested value: CONFIG_HIGHMEM4G (want y, got n)" "$T/out"
ok $? "an unsatisfiable option fails, naming it"
diag <"$T/out"
"$TOP/tools/kconfig.sh" nosuch "$T/build" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "no such config: nosuch" "$T/out"
ok $? "an unknown configuration name fails, naming it"
for f in "$TOP"/configs/*.config; do
	n=$(basename "$f" .config)
	grep -q '^# base:' "$f" || continue
	for inc in $(sed -n 's/^# include:[[:space:]]*//p' "$f"); do
		[ -f "$TOP/configs/$inc" ] || { echo "# $n includes missing $inc"; false; }
	done
	ok $? "configs/$n.config: its includes exist"
done
done_testing
