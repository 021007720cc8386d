// SPDX-License-Identifier: GPL-2.0
/*
 * hcount: a QEMU TCG plugin that counts the hypercalls a Xen PV guest
 * makes, for tools/bench/hypercalls.sh.  QEMU 7.2's plugin API cannot
 * read registers or guest memory, so everything is decided from the
 * instruction bytes and addresses at translation time:
 *
 *   int $0x82  (cd 82) at a 32-bit kernel address (0xc0000000 up to
 *              4 GiB): the hypercall of a 32-bit PV kernel
 *              (xen_hypercall_pv, xen_iret); counter "int82"
 *   syscall    (0f 05) at a 64-bit kernel address (>= KTOP64): the
 *              hypercall of a 64-bit PV kernel (xen_hypercall_pv,
 *              xen_iret, the hypercall page); counter "syscall"
 *   sites      instructions at the addresses listed in SITES (one hex
 *              address per line, anything after it ignored): call
 *              sites of particular hypercalls, multicall entries...
 *   marker     xchg %si,%si (66 87 f6) followed by cmp $ID,%eax
 *              (3d ID32) at a user address (below 0xc0000000): writes
 *              a snapshot of the counters of that vCPU to OUT
 *
 * Every counter is kept per vCPU (QEMU's vCPU index), so that a guest
 * pinned to one physical CPU of the emulated Xen host can be told from
 * dom0 on the other (both run the same 64-bit kernel at the same
 * addresses).  A snapshot line is
 *
 *   M <id> vcpu=<v> int82=<n> syscall=<n> other_int82=<n> other_syscall=<n>
 *
 * (other_*: the sums over all other vCPUs) followed by one line
 * "S <addr> <count>" per site that <v> has executed so far, and "E".
 * The counters only grow; differences between two snapshots are the
 * counts of the window between them.
 *
 *   -plugin hcount.so,out=FILE[,sites=FILE][,ktop64=0xffffffff80000000]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAXV 8			/* vCPUs counted apart (index & (MAXV - 1)) */
#define MAXSITES 8192

enum { C_INT82, C_SYSCALL, NTOT };

static uint64_t tot[MAXV][NTOT];
static uint64_t site_addr[MAXSITES];
static uint64_t site_cnt[MAXV][MAXSITES];
static unsigned int nsites;
static uint64_t ktop64 = 0xffffffff80000000ull;
static FILE *out;
static unsigned int marks;

static const unsigned char op_int82[] = { 0xcd, 0x82 };
static const unsigned char op_syscall[] = { 0x0f, 0x05 };
static const unsigned char op_mark[] = { 0x66, 0x87, 0xf6 };

static int site_index(uint64_t va)
{
	unsigned int lo = 0, hi = nsites;

	while (lo < hi) {	/* site_addr is sorted */
		unsigned int mid = (lo + hi) / 2;

		if (site_addr[mid] == va)
			return (int)mid;
		if (site_addr[mid] < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void on_total(unsigned int vcpu, void *udata)
{
	tot[vcpu & (MAXV - 1)][(uintptr_t)udata]++;
}

static void on_site(unsigned int vcpu, void *udata)
{
	site_cnt[vcpu & (MAXV - 1)][(uintptr_t)udata]++;
}

static void on_mark(unsigned int vcpu, void *udata)
{
	unsigned int v = vcpu & (MAXV - 1), w, i;
	uint64_t o[NTOT] = { 0, 0 };

	for (w = 0; w < MAXV; w++)
		if (w != v)
			for (i = 0; i < NTOT; i++)
				o[i] += tot[w][i];
	fprintf(out, "M %ld vcpu=%u int82=%" PRIu64 " syscall=%" PRIu64
		" other_int82=%" PRIu64 " other_syscall=%" PRIu64 "\n",
		(long)(intptr_t)udata, vcpu, tot[v][C_INT82], tot[v][C_SYSCALL],
		o[C_INT82], o[C_SYSCALL]);
	for (i = 0; i < nsites; i++)
		if (site_cnt[v][i])
			fprintf(out, "S %" PRIx64 " %" PRIu64 "\n", site_addr[i],
				site_cnt[v][i]);
	fprintf(out, "E\n");
	fflush(out);
	marks++;
}

static int is(const struct qemu_plugin_insn *insn, const unsigned char *op,
	      size_t n)
{
	return qemu_plugin_insn_size(insn) >= n &&
	       !memcmp(qemu_plugin_insn_data(insn), op, n);
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		int s;

		if (va >= 0xc0000000ull && va < 0x100000000ull &&
		    is(insn, op_int82, 2))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_total,
				QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)C_INT82);
		else if (va >= ktop64 && is(insn, op_syscall, 2))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_total,
				QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)C_SYSCALL);
		else if (va < 0xc0000000ull && qemu_plugin_insn_size(insn) == 3 &&
			 is(insn, op_mark, 3)) {
			long mid = -1;

			if (i + 1 < n) {
				struct qemu_plugin_insn *nx = qemu_plugin_tb_get_insn(tb, i + 1);
				const unsigned char *d = qemu_plugin_insn_data(nx);

				if (qemu_plugin_insn_size(nx) == 5 && d[0] == 0x3d)
					mid = (long)((uint32_t)d[1] | (uint32_t)d[2] << 8 |
						     (uint32_t)d[3] << 16 | (uint32_t)d[4] << 24);
			}
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
				QEMU_PLUGIN_CB_NO_REGS, (void *)(intptr_t)mid);
		}
		if (nsites && va >= 0xc0000000ull && (s = site_index(va)) >= 0)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_site,
				QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)s);
	}
}

static void on_atexit(qemu_plugin_id_t id, void *udata)
{
	unsigned int v;

	(void)id;
	(void)udata;
	for (v = 0; v < MAXV; v++)
		if (tot[v][C_INT82] || tot[v][C_SYSCALL])
			fprintf(out, "T vcpu=%u int82=%" PRIu64 " syscall=%" PRIu64 "\n",
				v, tot[v][C_INT82], tot[v][C_SYSCALL]);
	fprintf(out, "X marks=%u\n", marks);
	fclose(out);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int load_sites(const char *name)
{
	char line[512];
	unsigned int i, j;
	FILE *f = fopen(name, "r");

	if (!f) {
		perror(name);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *end;
		uint64_t a = strtoull(line, &end, 16);

		if (end == line)
			continue;	/* comment or blank */
		if (nsites == MAXSITES) {
			fprintf(stderr, "hcount: more than %d sites in %s\n", MAXSITES, name);
			fclose(f);
			return -1;
		}
		site_addr[nsites++] = a;
	}
	fclose(f);
	qsort(site_addr, nsites, sizeof(site_addr[0]), cmp_u64);
	for (i = j = 0; i < nsites; i++)	/* drop duplicates */
		if (!j || site_addr[j - 1] != site_addr[i])
			site_addr[j++] = site_addr[i];
	nsites = j;
	return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *outname = "hcount.txt";
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			outname = argv[i] + 4;
		else if (!strncmp(argv[i], "sites=", 6)) {
			if (load_sites(argv[i] + 6))
				return -1;
		} else if (!strncmp(argv[i], "ktop64=", 7))
			ktop64 = strtoull(argv[i] + 7, NULL, 0);
		else {
			fprintf(stderr, "hcount: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	out = fopen(outname, "w");
	if (!out) {
		perror(outname);
		return -1;
	}
	fprintf(out, "# hcount: %u sites, ktop64=0x%" PRIx64 "\n", nsites, ktop64);
	fflush(out);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
