# make check-series: build every prefix of the series (patches 1..k for
# k = 0..N) with each configuration, in a tree and build dirs of its own
# (out/series-check), resumable; see tools/series/check-series.sh and
# Documentation/series-builds.md.  Included by the top Makefile.
CHECK_SERIES ?= i386-native,i386-xen x86_64-defconfig x86_64-xen i386-nopv

.PHONY: check-series check-series-table
## check-series build patches 1..k, every k, per config (CHECK_SERIES="a,b c":
##           passes of configs walked together; STATES="0 22" limits k);
##           out/series-check/results.txt, reruns skip what is already ok
check-series:
	@tools/series/check-series.sh $(CHECK_SERIES)

## check-series-table  the results for the series as it is now (markdown)
check-series-table:
	@tools/series/check-series.sh --table $(subst $(comma), ,$(CHECK_SERIES))
comma := ,

# make check-x86_64: the posted series must leave x86_64 alone: vmlinux
# built at the base (+ the leading fixes/ patches) and at the top of
# `series`, objdump -d compared function by function; see
# tools/series/check-x86_64.sh.
CHECK_X86_64 ?= x86_64-xen x86_64-defconfig
.PHONY: check-x86_64
## check-x86_64 x86_64 object code at base+fixes/ vs the top of the series,
##           function by function (CHECK_X86_64="x86_64-xen x86_64-defconfig")
check-x86_64:
	@tools/series/check-x86_64.sh $(CHECK_X86_64)
