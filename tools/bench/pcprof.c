// SPDX-License-Identifier: GPL-2.0
/*
 * pcprof: a QEMU TCG plugin that counts the executed instructions of a
 * guest, per kernel instruction address, between two marker
 * instructions the guest executes in user mode:
 *
 *   xchg %bx,%bx  (66 87 db)   start a window: all counters to zero
 *   xchg %cx,%cx  (66 87 c9)   end it: write OUT.N (N = 0, 1, ...)
 *
 * OUT.N has one line per kernel instruction address (>= KBASE) that ran
 * in the window, "ADDR COUNT" in hex and decimal, and a first line
 * "user COUNT" with the instructions executed below KBASE.  guest/bench.c
 * puts the markers around each op's timed loop; tools/bench/profile.sh
 * boots a kernel with the plugin and turns the files into per-function
 * counts.  Single vCPU only (the counters are not atomic).
 *
 *   -plugin tools/bench/pcprof.so,out=PREFIX[,kbase=0xc0000000]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define NSLOTS (1u << 21)	/* distinct kernel instruction addresses */

static uint64_t addr[NSLOTS];	/* 0: free */
static uint64_t cnt[NSLOTS];
static uint64_t user_cnt;
static unsigned int nused;
static uint64_t kbase = 0xc0000000;
static const char *out = "pcprof";
static int seq;
static int active;

static const unsigned char mark_start[] = { 0x66, 0x87, 0xdb };
static const unsigned char mark_stop[] = { 0x66, 0x87, 0xc9 };

static uint64_t *slot(uint64_t va)
{
	unsigned int h = (unsigned int)((va * 0x9e3779b97f4a7c15ull) >> 43) & (NSLOTS - 1);

	while (addr[h] && addr[h] != va)
		h = (h + 1) & (NSLOTS - 1);
	if (!addr[h]) {
		if (nused + 1 >= NSLOTS * 3 / 4) {
			fprintf(stderr, "pcprof: address table full\n");
			abort();
		}
		addr[h] = va;
		nused++;
	}
	return &cnt[h];
}

static void on_start(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	memset(cnt, 0, sizeof(cnt));
	user_cnt = 0;
	active = 1;
}

static void on_stop(unsigned int vcpu, void *udata)
{
	char name[4096];
	unsigned int i;
	FILE *f;

	(void)vcpu;
	(void)udata;
	if (!active)
		return;
	active = 0;
	snprintf(name, sizeof(name), "%s.%d", out, seq++);
	f = fopen(name, "w");
	if (!f) {
		perror(name);
		return;
	}
	fprintf(f, "user %" PRIu64 "\n", user_cnt);
	for (i = 0; i < NSLOTS; i++)
		if (addr[i] && cnt[i])
			fprintf(f, "%08" PRIx64 " %" PRIu64 "\n", addr[i], cnt[i]);
	fclose(f);
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);

		if (va >= kbase) {
			qemu_plugin_register_vcpu_insn_exec_inline(insn,
				QEMU_PLUGIN_INLINE_ADD_U64, slot(va), 1);
			continue;
		}
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
			QEMU_PLUGIN_INLINE_ADD_U64, &user_cnt, 1);
		if (qemu_plugin_insn_size(insn) == 3) {
			const void *d = qemu_plugin_insn_data(insn);

			if (!memcmp(d, mark_start, 3))
				qemu_plugin_register_vcpu_insn_exec_cb(insn, on_start,
					QEMU_PLUGIN_CB_NO_REGS, NULL);
			else if (!memcmp(d, mark_stop, 3))
				qemu_plugin_register_vcpu_insn_exec_cb(insn, on_stop,
					QEMU_PLUGIN_CB_NO_REGS, NULL);
		}
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			out = argv[i] + 4;
		else if (!strncmp(argv[i], "kbase=", 6))
			kbase = strtoull(argv[i] + 6, NULL, 0);
		else {
			fprintf(stderr, "pcprof: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
	return 0;
}
