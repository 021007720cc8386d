// SPDX-License-Identifier: GPL-2.0
/*
 * nx: data must not execute.  On i386 the NX bit exists only in PAE page
 * tables, so with NX enforced a data page that faults when executed also
 * shows the kernel runs with PAE paging.
 *
 * Three cases, one "[OK]"/"[FAIL]" line each:
 *   control  a PROT_READ|PROT_WRITE|PROT_EXEC page holding "ret" runs
 *            (else the harness itself is broken, and a fault below would
 *            prove nothing);
 *   data     an anonymous PROT_READ|PROT_WRITE page holding "ret" must
 *            fault (SIGSEGV at that address) when called;
 *   stack    "ret" in a buffer on the (non-executable: PT_GNU_STACK RW)
 *            stack must fault the same way.
 * A case fails when the call returns: the page executed, NX is not
 * enforced.  Each line says what /proc/self/maps has for the page.
 * Exit 0 when all three are OK, 1 otherwise.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf env;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(env, sig);
}

/* The permissions /proc/self/maps gives the mapping holding p. */
static const char *perms(const void *p)
{
	static char buf[64];
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	uintptr_t a = (uintptr_t)p;

	snprintf(buf, sizeof(buf), "?");
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char pr[8], *name = strchr(line, '/');

		if (!name)
			name = strchr(line, '[');
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, pr) == 3 && a >= lo && a < hi) {
			line[strcspn(line, "\n")] = 0;
			snprintf(buf, sizeof(buf), "%s%s%s", pr, name ? " " : "", name ? name : "");
			break;
		}
	}
	fclose(f);
	return buf;
}

/* Call "ret" at p: 1 when it ran, 0 when it faulted at p. */
static int runs(unsigned char *p, const char *what, int *bad_fault)
{
	void (*fn)(void) = (void (*)(void))p;

	*bad_fault = 0;
	((volatile unsigned char *)p)[0] = 0xc3;	/* ret */
	__builtin___clear_cache((char *)p, (char *)p + 1);
	fault_addr = NULL;
	if (sigsetjmp(env, 1) == 0) {
		fn();
		return 1;
	}
	if (fault_addr != p) {
		printf("  (%s: SIGSEGV at %p, not at the page's %p)\n", what, fault_addr, p);
		*bad_fault = 1;
	}
	return 0;
}

static int failures;

static void expect(int should_run, unsigned char *p, const char *what)
{
	int bad, ran = runs(p, what, &bad);
	const char *pr = perms(p);

	if (should_run) {
		printf("[%s] %s at %p (%s): %s\n", ran ? "OK" : "FAIL", what, p, pr,
		       ran ? "executes, as it must" : "faulted: the harness is broken");
		failures += !ran;
		return;
	}
	if (ran) {
		printf("[FAIL] %s at %p (%s) executed: NX is not enforced\n", what, p, pr);
		failures++;
	} else {
		printf("[%s] %s at %p (%s) does not execute: SIGSEGV at %p, si_code %d%s\n",
		       bad ? "FAIL" : "OK", what, p, pr, fault_addr, fault_code,
		       fault_code == SEGV_ACCERR ? " (SEGV_ACCERR)" : "");
		failures += bad;
	}
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	unsigned char stack_code[64] __attribute__((aligned(16)));
	unsigned char *x, *d;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	x = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	d = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x == MAP_FAILED || d == MAP_FAILED) {
		printf("[FAIL] mmap\n");
		return 1;
	}
	expect(1, x, "control: an RWX anonymous page");
	expect(0, d, "data: an RW anonymous page");
	expect(0, stack_code, "stack: a buffer on the stack");
	return failures ? 1 : 0;
}
