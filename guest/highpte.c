// SPDX-License-Identifier: GPL-2.0
/*
 * highpte: where do this process's page table (pte) pages live?
 *
 * With CONFIG_HIGHPTE an i386 kernel allocates user pte pages with
 * __GFP_HIGHMEM, so natively they come from ZONE_HIGHMEM while it has
 * free pages; a 32-bit Xen PV guest keeps them in lowmem (a pinned pte
 * page must never be mapped writable, and a highmem page has no
 * read-only alias: xen/0010).  This program makes the kernel allocate
 * pte pages and counts, from /proc/kpageflags (KPF_PGTABLE), the page
 * table pages below and above the start of the HighMem zone
 * (/proc/zoneinfo), before and after.
 *
 * usage: highpte high|low
 *   high  at least half of the new pte pages are in highmem
 *   low   no page table page at all is in highmem, and the new ones
 *         are seen in lowmem (so the count itself works)
 * Needs root (kpageflags), a HighMem zone with pages, and
 * CONFIG_PROC_PAGE_MONITOR.  Exit 0 on "[OK]", 1 on "[FAIL]".
 *
 * One pte page maps 2 MB under PAE: touching one byte in each of NPT
 * 2 MB steps of a fresh mapping makes the kernel allocate NPT of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define KPF_PGTABLE	26
#define NPT		64
#define PT_SPAN		(2UL << 20)

static unsigned long high_start, high_end;

/* The HighMem zone's start_pfn and start + spanned, from /proc/zoneinfo. */
static int read_highmem(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	int in_high = 0;
	unsigned long spanned = 0, present = 0, v;

	if (!f) {
		perror("/proc/zoneinfo");
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Node ", 5)) {
			in_high = strstr(line, "zone  HighMem") != NULL ||
				  strstr(line, "zone HighMem") != NULL;
			continue;
		}
		if (!in_high)
			continue;
		if (sscanf(line, " spanned %lu", &v) == 1)
			spanned = v;
		else if (sscanf(line, " present %lu", &v) == 1)
			present = v;
		else if (sscanf(line, " start_pfn: %lu", &v) == 1)
			high_start = v;
	}
	fclose(f);
	if (!present || !high_start) {
		printf("[FAIL] no HighMem zone with pages in /proc/zoneinfo (present %lu, start_pfn %lu): give the machine more than 896 MB\n",
		       present, high_start);
		return -1;
	}
	high_end = high_start + spanned;
	return 0;
}

/* Page table pages below and at or above high_start. */
static int count_pgtables(unsigned long *low, unsigned long *high)
{
	static uint64_t buf[4096];
	unsigned long pfn = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);

	*low = *high = 0;
	if (fd < 0) {
		printf("[FAIL] /proc/kpageflags: %s (CONFIG_PROC_PAGE_MONITOR, root)\n",
		       strerror(errno));
		return -1;
	}
	while (pfn < high_end) {
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)pfn * 8);
		unsigned long i;

		if (n <= 0)
			break;
		for (i = 0; i < (unsigned long)n / 8 && pfn < high_end; i++, pfn++) {
			if (!(buf[i] & (1ULL << KPF_PGTABLE)))
				continue;
			if (pfn >= high_start)
				(*high)++;
			else
				(*low)++;
		}
	}
	close(fd);
	if (pfn < high_end) {
		printf("[FAIL] /proc/kpageflags ended at pfn %#lx, before the end of HighMem %#lx\n",
		       pfn, high_end);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long low0, high0, low1, high1, i;
	int want_high;
	char *p;

	if (argc != 2 || (strcmp(argv[1], "high") && strcmp(argv[1], "low"))) {
		fprintf(stderr, "usage: highpte high|low\n");
		return 2;
	}
	want_high = !strcmp(argv[1], "high");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (read_highmem() || count_pgtables(&low0, &high0))
		return 1;
	printf("HighMem: pfn %#lx-%#lx; page table pages before: %lu lowmem, %lu highmem\n",
	       high_start, high_end, low0, high0);

	/* NPT + 1 spans, so that NPT whole 2 MB ranges lie inside. */
	p = mmap(NULL, (NPT + 1) * PT_SPAN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i <= NPT; i++)
		p[i * PT_SPAN] = 1;
	if (count_pgtables(&low1, &high1))
		return 1;
	printf("after touching %d 2 MB ranges: %lu lowmem (%+ld), %lu highmem (%+ld)\n",
	       NPT + 1, low1, (long)(low1 - low0), high1, (long)(high1 - high0));

	if (want_high) {
		if ((long)(high1 - high0) >= NPT / 2) {
			printf("[OK] HIGHPTE: %ld new pte pages in highmem\n",
			       (long)(high1 - high0));
			return 0;
		}
		printf("[FAIL] HIGHPTE: only %ld new pte pages in highmem (want >= %d): user page tables are not taken from highmem\n",
		       (long)(high1 - high0), NPT / 2);
		return 1;
	}
	if (high1 == 0 && (long)(low1 - low0) >= NPT / 2) {
		printf("[OK] user page tables in lowmem: no page table page in highmem, %ld new ones in lowmem\n",
		       (long)(low1 - low0));
		return 0;
	}
	printf("[FAIL] want every page table page in lowmem: %lu in highmem, %ld new in lowmem (want 0 and >= %d)\n",
	       high1, (long)(low1 - low0), NPT / 2);
	return 1;
}
