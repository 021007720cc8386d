#!/usr/bin/env bash
# The posted series leaves x86_64 alone: vmlinux of the x86_64-xen
# configuration (tinyconfig + XEN_PV, PARAVIRT_XXL: every header and Xen
# file the series touches is compiled for 64-bit) at the base + the
# series' leading fixes/ patches and at the top of `series` (no test
# queue), compared function by function (tools/series/check-x86_64.sh:
# objdump -d, addresses normalised).  The base side comes from the
# reference in tools/series/x86_64-ref/ when its key matches (base,
# fixes/, config, gcc, objdump), else it is built too.  x86_64-defconfig,
# an hour of building here, is checked by `make check-x86_64`.
. "$(dirname "$0")/lib.sh"
for c in ${CHECK_X86_64_TEST:-x86_64-xen}; do
	log=$OUT/logs/t-x86_64-$c.out
	res=$OUT/x86_64-check/$c.txt
	rm -f "$res"	# a run that ends before comparing leaves "no result"
	# nice 19: the build runs beside the rig and native QEMUs, whose
	# vCPU threads must not starve (lost ticks, tests/10-native-boot.t).
	NICE=${NICE:-19} "$TOP/tools/series/check-x86_64.sh" --use-ref "$c" >"$log" 2>&1
	rc=$?
	diag <"$log"
	ok $rc "$c: x86_64 object code at the top of the series equals base + fixes/: $(head -n 1 "$res" 2>/dev/null || echo 'no result')"
done
done_testing
