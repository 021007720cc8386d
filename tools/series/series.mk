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
