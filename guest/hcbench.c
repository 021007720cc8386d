// SPDX-License-Identifier: GPL-2.0
/*
 * hcbench: the guest side of the hypercall accounting benchmark
 * (tools/bench/hypercalls.sh, Documentation/benchmarks.md).
 *
 * Runs a fixed list of windows; each is a loop of one operation between
 * two marker instructions that the QEMU plugin tools/bench/hcount.c
 * recognises by their bytes:
 *
 *   xchg %si,%si; cmp $ID,%eax      (66 87 f6, 3d ID32)
 *
 * ID = 1000 (32-bit kernel) or 2000 (64-bit kernel, this program runs as
 * compat userspace there) + 2 * window (start) or + 1 (stop).  At each
 * marker the plugin writes a snapshot of its hypercall counters for the
 * vCPU running it; the difference across a window, divided by the
 * iterations printed here, is hypercalls per operation.
 *
 * Usage: hcbench           run the windows, print one line per window:
 *                          "hcbench W NAME ITERATIONS SECONDS"
 *        hcbench --exit    exit at once (the exec'd child of fork-exec)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ops.h"

#define PAGE 4096UL
#define CHUNK (2UL << 20)	/* one page table page maps 2 MiB (PAE, 64-bit) */

static int is64;

#define MARK(ID) asm volatile(".byte 0x66, 0x87, 0xf6\n\t.byte 0x3d\n\t.long %c0" \
			      :: "i"(ID) : "cc", "memory")
#define CASE(W) \
	case W: \
		if (is64) { if (stop) MARK(2001 + 2 * W); else MARK(2000 + 2 * W); } \
		else { if (stop) MARK(1001 + 2 * W); else MARK(1000 + 2 * W); } \
		break

static void __attribute__((noinline)) mark(int w, int stop)
{
	switch (w) {
	CASE(0); CASE(1); CASE(2); CASE(3); CASE(4); CASE(5); CASE(6); CASE(7);
	default:
		abort();
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* No system call at all: what the timer alone costs in hypercalls. */
static void op_spin(int n)
{
	volatile int i;

	while (n--)
		for (i = 0; i < 1000; i++)
			;
}

static void op_getppid(int n)
{
	while (n--)
		syscall(SYS_getppid);
}

/* One byte there and back: two context switches per iteration. */
static int pp_fd[2][2];
static pid_t pp_pid;

static void pp_setup(void)
{
	char c;

	if (pipe(pp_fd[0]) || pipe(pp_fd[1]))
		exit(1);
	pp_pid = fork();
	if (pp_pid < 0)
		exit(1);
	if (pp_pid == 0) {
		close(pp_fd[0][1]);
		close(pp_fd[1][0]);
		while (read(pp_fd[0][0], &c, 1) == 1)
			if (write(pp_fd[1][1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(pp_fd[0][0]);
	close(pp_fd[1][1]);
}

static void pp_teardown(void)
{
	close(pp_fd[0][1]);
	waitpid(pp_pid, NULL, 0);
	close(pp_fd[1][0]);
}

static void op_pipe(int n)
{
	char c = 0;

	while (n--)
		if (write(pp_fd[0][1], &c, 1) != 1 || read(pp_fd[1][0], &c, 1) != 1)
			exit(1);
}

/*
 * Page faults on fresh anonymous pages: a 2 MiB aligned area whose page
 * tables exist (the first page of each 2 MiB is touched before the
 * window), so that each write in the window allocates one page and
 * nothing else.  The area is unmapped after the window.
 */
static volatile char *pf_area;
static size_t pf_len, pf_off;

static void pf_setup(int n)
{
	size_t chunks = (n + CHUNK / PAGE - 2) / (CHUNK / PAGE - 1);
	uintptr_t p;
	size_t c;

	pf_len = chunks * CHUNK;
	p = (uintptr_t)mmap(NULL, pf_len + CHUNK, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((void *)p == MAP_FAILED)
		exit(1);
	pf_area = (volatile char *)((p + CHUNK - 1) & ~(CHUNK - 1));
#ifdef MADV_NOHUGEPAGE
	madvise((void *)pf_area, pf_len, MADV_NOHUGEPAGE);
#endif
	for (c = 0; c < chunks; c++)
		pf_area[c * CHUNK] = 1;
	pf_off = PAGE;
}

static void op_fault(int n)
{
	while (n--) {
		if (pf_off % CHUNK == 0)
			pf_off += PAGE;	/* touched in pf_setup */
		if (pf_off >= pf_len)
			exit(1);
		pf_area[pf_off] = 1;
		pf_off += PAGE;
	}
}

static const struct {
	const char *name;
	void (*fn)(int n);
	int n;
} ops[] = {
	{ "spin", op_spin, 20000 },
	{ "getppid", op_getppid, 2000 },
	{ "pipe-pingpong", op_pipe, 1000 },
	{ "fork-exit", op_fork_exit, 100 },
	{ "fork-exec", op_fork_exec, 50 },
	{ "page-fault", op_fault, 2000 },
};

int main(int argc, char **argv)
{
	struct utsname u;
	unsigned int w;

	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	self = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uname(&u))
		return 1;
	is64 = !strcmp(u.machine, "x86_64");
	printf("hcbench kernel %s %s, marker ids %d+\n", u.release, u.machine,
	       is64 ? 2000 : 1000);
	for (w = 0; w < sizeof(ops) / sizeof(ops[0]); w++) {
		int n = ops[w].n;
		double t0, t1;

		if (ops[w].fn == op_pipe)
			pp_setup();
		if (ops[w].fn == op_fault)
			pf_setup(n / 10 + n);
		else
			ops[w].fn(n / 10);	/* warm up */
		if (ops[w].fn == op_fault)
			op_fault(n / 10);	/* warm up, on other pages */
		t0 = now();
		mark(w, 0);
		ops[w].fn(n);
		mark(w, 1);
		t1 = now();
		if (ops[w].fn == op_pipe)
			pp_teardown();
		if (ops[w].fn == op_fault)
			munmap((void *)pf_area, pf_len);
		printf("hcbench %u %s %d %.3f\n", w, ops[w].name, n, t1 - t0);
	}
	return 0;
}
