// SPDX-License-Identifier: GPL-2.0
/*
 * bench: micro-benchmarks of the kernel paths paravirt_ops sits on.
 *
 * Run under QEMU with -icount shift=0,sleep=off, CLOCK_MONOTONIC advances
 * one nanosecond per guest instruction, so the numbers printed are
 * instructions per operation (including the instructions of everything
 * else that ran meanwhile, such as timer interrupts).
 *
 * Each timed loop is bracketed by two marker instructions, xchg %bx,%bx
 * before and xchg %cx,%cx after (register no-ops, outside the timed
 * interval), which tools/bench/pcprof.c uses to count the instructions
 * of one op per kernel address.
 *
 * Usage: bench REPEATS     prints "bench OP REPEAT COST" lines
 *        bench --exit      exits at once (the fork+exec child)
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ops.h"


/* Markers for tools/bench/pcprof.c: start and end of a measured loop. */
static inline void mark_start(void)
{
	asm volatile("xchg %%bx, %%bx" ::: "memory");
}

static inline void mark_stop(void)
{
	asm volatile("xchg %%cx, %%cx" ::: "memory");
}

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void op_getppid(int n)
{
	while (n--)
		syscall(SYS_getppid);
}

static void op_pipe(int n)
{
	int a[2], b[2];
	char c = 0;
	pid_t pid;

	if (pipe(a) || pipe(b))
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1)
			if (write(b[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	while (n--)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			exit(1);
	close(a[1]);
	waitpid(pid, NULL, 0);
	close(b[0]);
}

static void op_mmap(int n)
{
	const size_t len = 256 * 4096;
	size_t i;

	while (n--) {
		volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			exit(1);
		for (i = 0; i < len; i += 4096)
			p[i] = 1;
		munmap((void *)p, len);
	}
}

static volatile char *fault_area;

static void op_fault(int n)
{
	/* One operation: one write fault on a zapped anonymous page. */
	const size_t len = 64 * 4096;
	size_t i;

	while (n > 0) {
		madvise((void *)fault_area, len, MADV_DONTNEED);
		for (i = 0; i < len && n > 0; i += 4096, n--)
			fault_area[i] = 1;
	}
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void op_signal(int n)
{
	while (n--)
		raise(SIGUSR1);
}

static const struct {
	const char *name;
	void (*fn)(int n);
	int n;
} ops[] = {
	{ "getppid", op_getppid, 20000 },
	{ "pipe-pingpong", op_pipe, 2000 },
	{ "fork-exit", op_fork_exit, 200 },
	{ "fork-exec", op_fork_exec, 100 },
	{ "mmap-touch-munmap", op_mmap, 100 },
	{ "page-fault", op_fault, 4096 },
	{ "signal", op_signal, 10000 },
};

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int repeats = argc > 1 ? atoi(argv[1]) : 5;
	unsigned int i;
	int r;

	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	self = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	fault_area = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fault_area == MAP_FAILED)
		return 1;
	for (r = 0; r < repeats; r++) {
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			unsigned long long t0, t1;

			ops[i].fn(ops[i].n / 10);	/* warm up */
			mark_start();
			t0 = now();
			ops[i].fn(ops[i].n);
			t1 = now();
			mark_stop();
			printf("bench %s %d %.1f\n", ops[i].name, r,
			       (double)(t1 - t0) / ops[i].n);
		}
	}
	return 0;
}
