// SPDX-License-Identifier: GPL-2.0
/*
 * vdso: which instruction the 32-bit vDSO's __kernel_vsyscall enters the
 * kernel with: SYSENTER, SYSCALL or int $0x80 (the kernel patches it at
 * boot), then one system call through it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(void)
{
	const unsigned char *p = (const unsigned char *)getauxval(AT_SYSINFO);
	const char *how = NULL;
	long pid;
	int i;

	if (!p) {
		printf("no AT_SYSINFO: no vDSO entry\n");
		return 4;
	}
	/* The entry pushes three registers, then the patched sequence. */
	for (i = 0; i < 32 && !how; i++) {
		if (p[i] == 0x0f && p[i + 1] == 0x34)
			how = "sysenter";
		else if (p[i] == 0x0f && p[i + 1] == 0x05)
			how = "syscall";
		else if (p[i] == 0xcd && p[i + 1] == 0x80)
			how = "int80";
	}
	if (!how) {
		printf("[FAIL] no entry instruction in the first 32 bytes of __kernel_vsyscall\n");
		return 1;
	}
	/* getpid through the vDSO entry: eax = 20 (__NR_getpid) */
	asm volatile ("call *%1" : "=a" (pid) : "r" (p), "0" (20L) : "memory");
	if (pid != getpid()) {
		printf("[FAIL] getpid through __kernel_vsyscall (%s) gave %ld\n", how, pid);
		return 1;
	}
	printf("[OK] vDSO system call: %s (getpid through it: %ld)\n", how, pid);
	return 0;
}
