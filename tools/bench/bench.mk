# make bench: instruction counts of guest/bench.c on two native kernels
# (PARAVIRT=n against PARAVIRT_XXL) in one run; see
# Documentation/benchmarks.md.  Included by the top Makefile.
BENCH_BASE ?= i386-nopv
BENCH_TEST ?= i386-pvxxl
.PHONY: bench
## bench     benchmark BENCH_BASE against BENCH_TEST (icount), write the table
bench: deps tree
	@tools/build-kernel.sh $(BENCH_BASE)
	@tools/build-kernel.sh $(BENCH_TEST)
	@$(MAKE) --no-print-directory guest
	@tools/bench/bench.sh $(BENCH_BASE) $(BENCH_TEST)

# make bench-pv: the same against PARAVIRT=y (i386-native: the kernel a
# distribution ships for hypervisor guests without XEN_PV), so the
# cost of PARAVIRT_XXL is known against both.
.PHONY: bench-pv
## bench-pv  benchmark i386-native (PARAVIRT=y) against BENCH_TEST (icount)
bench-pv: deps tree
	@tools/build-kernel.sh i386-native
	@tools/build-kernel.sh $(BENCH_TEST)
	@$(MAKE) --no-print-directory guest
	@BENCH_MARK=bench-pv tools/bench/bench.sh i386-native $(BENCH_TEST)
