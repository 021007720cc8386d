/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loops of one process operation, shared by the benchmarks bench.c and
 * hcbench.c.  Each program sets self = argv[0] and exits at once when
 * run as "self --exit" (the exec'd child of op_fork_exec).
 */
#ifndef GUEST_OPS_H
#define GUEST_OPS_H

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *self;

/* fork a child that exits at once; wait for it */
static void op_fork_exit(int n)
{
	while (n--) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
}

/* fork a child that execs this program, which exits at once; wait */
static void op_fork_exec(int n)
{
	while (n--) {
		pid_t pid = fork();

		if (pid == 0) {
			execl(self, self, "--exit", (char *)NULL);
			_exit(1);
		}
		waitpid(pid, NULL, 0);
	}
}

#endif
