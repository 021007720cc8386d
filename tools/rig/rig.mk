# The rig: an emulated Xen host (Xen 4.17 + Debian dom0 under QEMU TCG)
# for the 32-bit PV guest (through the PV shim) and a 64-bit PV peer.
# See Documentation/rig.md.  Included by the top Makefile.
OUT ?= $(TOP)/out
RIG_SCRIPTS := $(TOP)/tools/rig

.PHONY: rig run rig-test rig-scenario
## rig       build the emulated Xen host under out/rig (as root; cached)
rig:
	@$(RIG_SCRIPTS)/build.sh

## run       interactive dom0 shell with xl ready (QEMU on this terminal)
run: rig
	@[ -f $(OUT)/guest/root/init ] || $(MAKE) --no-print-directory guest || true
	@$(RIG_SCRIPTS)/scenario.sh --shell

## rig-scenario GUESTS="peer64 pvgrub32" run guests on the rig, collect logs
GUESTS ?= peer64 pvgrub32
rig-scenario: rig
	@$(RIG_SCRIPTS)/scenario.sh $(GUESTS)

## rig-test  the rig's tests (tests/2*-rig-*.t) under prove
rig-test: rig
	@cd $(TOP) && prove -v tests/2*-rig-*.t

TEST_PREREQS += rig
