# make bench-hypercalls: hypercalls per operation, the series' 32-bit PV
# domU against the 64-bit PV peer on the rig (tools/bench/hypercalls.sh);
# writes its table into Documentation/benchmarks.md.  Included by the top
# Makefile.
.PHONY: bench-hypercalls
## bench-hypercalls  hypercalls per op, pv32 against peer64 on the rig (QEMU plugin)
bench-hypercalls: guest-debian rig
	@tools/build-kernel.sh $(DOMU_CONFIG)
	@tools/bench/hypercalls.sh
