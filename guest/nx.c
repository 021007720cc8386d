// SPDX-License-Identifier: GPL-2.0
/*
 * nx: on i386 the NX bit exists only in PAE page tables, so a data page
 * that faults when executed proves the kernel runs with PAE paging.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
	siglongjmp(env, sig);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_segv };
	unsigned char *p;
	void (*fn)(void);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("[FAIL] mmap\n");
		return 1;
	}
	p[0] = 0xc3;	/* ret */
	fn = (void (*)(void))p;
	if (sigsetjmp(env, 1) == 0) {
		fn();
		printf("[FAIL] executing a PROT_READ|PROT_WRITE page worked: NX is not enforced\n");
		return 1;
	}
	printf("[OK] executing a non-executable page faults (NX, so PAE paging)\n");
	return 0;
}
