# i386 paravirt_ops + Xen PV patch series: build, boot and test.
# `make` sets everything up and runs the main job: the series' i386 kernel
# as a Xen PV domU on the emulated Xen host, with a short report;
# `make test` runs the test suite.  See README.md.

TOP := $(CURDIR)
OUT ?= $(TOP)/out
CONFIG ?= i386-native
export TOP OUT TEST_CONFIGS

# Configurations `make test` builds and boots natively (the first,
# PARAVIRT=n, is the reference for the x86 selftests pass set); i386-xen
# (PARAVIRT_XXL with the Xen PV backend) also runs as the domU, so two
# kernel builds serve every test.  i386-native (PARAVIRT=y) and
# i386-pvxxl (XXL without Xen) are built by make check-series and make
# bench.  The topic fragments below (tools/*/*.mk) add their own
# prerequisites to TEST_PREREQS.
TEST_CONFIGS := i386-nopv i386-xen
# The domU test (tests/240-rig-pv32.t) runs on the Debian i386 root.
TEST_PREREQS := guest-debian
# The kernel `make` (and `make domu`) runs as a Xen PV domU.
DOMU_CONFIG := i386-xen

.PHONY: all deps tree kernel kernels guest guest-debian boot domu domu-test test soak export clean help
all: deps tree
	@$(MAKE) --no-print-directory domu

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## deps      install the Debian packages the project needs (as root)
deps:
	@tools/deps.sh

## tree      verify the base tarball (BASE=...), unpack it, apply series
tree:
	@tools/tree.sh

## kernel    build CONFIG=<configs/NAME.config> (default i386-native)
kernel:
	@tools/build-kernel.sh $(CONFIG)

## kernels   build every configuration the tests use
kernels:
	@for c in $(TEST_CONFIGS); do tools/build-kernel.sh $$c || exit 1; done

## guest     build the guest userspace (out/guest)
guest: $(OUT)/guest/initramfs.cpio.gz
$(OUT)/guest/initramfs.cpio.gz: tools/guest.sh guest/init guest/x86-selftests.list guest/kselftests.list $(wildcard guest/*.c guest/*.h guest/tests/*)
	@tools/guest.sh

## boot      boot CONFIG natively under qemu-system-i386 and show its tests
boot: guest
	@tools/boot-native.sh $(CONFIG) && tools/summary.sh $(OUT)/logs/boot-$(CONFIG).tap

## guest-debian  the Debian i386 root the domU runs on (mmdebstrap, cached)
guest-debian: guest
	@tools/guest-debian.sh

-include $(sort $(wildcard tools/*/*.mk))

## domu      boot the i386 Xen kernel as a PV domU on the rig (host B: Xen
##           with PV32, xl's builder, 2 vCPUs), show the tests of every life
domu: guest-debian rig
	@tools/build-kernel.sh $(DOMU_CONFIG)
	@RIG_I386_KERNEL=$(OUT)/build/$(DOMU_CONFIG)/vmlinux \
		tools/rig/scenario.sh -q -n domu -H b -T userspace=600 -T tests=1800 pv32; rc=$$?; \
		echo "domU console: $(OUT)/rig/runs/domu/results/guest-pv32.log"; \
		tools/summary.sh $$(ls $(OUT)/rig/runs/domu/pv32.tap $(OUT)/rig/runs/domu/pv32.[0-9]*.tap 2>/dev/null | sort -V) && exit $$rc

## domu-test the 32-bit PV domU tests (tests/24*: host B, 2 and 4 vCPUs) under prove
domu-test: guest-debian rig
	@tools/build-kernel.sh $(DOMU_CONFIG)
	@tools/run-tests.sh tests/240-rig-pv32.t tests/245-rig-pv32-smp4.t

## soak      30 minutes of stress-ng in the domU on host B (2 vCPUs), then
##           xl shutdown (SOAK_SECONDS=N for another length), beside
##           Debian's 64-bit PV kernel on host A (the rig's control)
soak: guest-debian rig
	@tools/build-kernel.sh $(DOMU_CONFIG)
	@tools/run-tests.sh tests/soak/*.t

## test      run the whole test suite under prove
# The kernels build beside the guest roots and the rig image (mostly
# downloads and mmdebstrap): two jobs at a time.
test: deps tree
	@tools/timed.sh "kernels | guest, Debian root, rig" $(MAKE) --no-print-directory -j2 test-builds
	@tools/run-tests.sh

.PHONY: test-builds
test-builds: kernels guest $(TEST_PREREQS)

## export    the series as mail for lkml in out/export/mail: cover letter,
##           Signed-off-by of your git identity, checkpatch as posted
export: tree
	@tools/export.sh

## clean     remove builds and logs (keeps the source tree and ccache)
clean:
	rm -rf $(OUT)/build $(OUT)/logs $(OUT)/guest
