// SPDX-License-Identifier: GPL-2.0
/*
 * segreload: change the TLS descriptor under a loaded %gs, many times, on
 * every CPU at once.
 *
 * Each round loads %gs with a TLS selector of the calling thread, then
 * asks set_thread_area() to clear that entry (the only unusable TLS entry
 * it allows).  The kernel reloads %gs when the entry under it changes
 * (do_set_thread_area()); the load faults (#GP) and its exception fixup
 * leaves %gs null.  So after every round %gs must read 0, and the
 * process must live.
 *
 * Under Xen PV this is the case where Xen cannot reload the guest's %gs
 * when it switches the vCPU back in: it builds a failsafe callback frame
 * instead, and an exception of the interrupted instruction that was still
 * pending is delivered on top of it, at the failsafe callback's entry.
 * The kernel must survive that too (an oops at xen_failsafe_callback+0,
 * "segment-related general protection fault: 0038", before it did).
 *
 *   segreload [SECONDS [WORKERS]]    default: 20 s, one worker per CPU
 *
 * Prints each worker's rounds and one [OK]/[FAIL] line; exit 0 when every
 * worker ran its time with %gs null after each round.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int set_tls(struct user_desc *d)
{
	return syscall(SYS_set_thread_area, d);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One worker: returns the number of rounds, or -1 on a failure. */
static long worker(int id, double seconds)
{
	struct user_desc good = {
		.entry_number = -1, .base_addr = 0, .limit = 0xfffff,
		.seg_32bit = 1, .contents = 0, .read_exec_only = 0,
		.limit_in_pages = 1, .seg_not_present = 0, .useable = 1,
	};
	struct user_desc bad;
	unsigned short sel;
	unsigned int gs;
	double end;
	int ret;
	long n = 0;

	if (set_tls(&good)) {
		printf("worker %d: set_thread_area: %s\n", id, strerror(errno));
		return -1;
	}
	sel = (good.entry_number << 3) | 3;
	end = now() + seconds;
	while (n % 256 || now() < end) {
		/* The empty descriptor clears the entry. */
		memset(&bad, 0, sizeof(bad));
		bad.entry_number = good.entry_number;
		bad.read_exec_only = 1;
		bad.seg_not_present = 1;
		if (set_tls(&good)) {
			printf("worker %d round %ld: set_thread_area (valid): %s\n",
			       id, n, strerror(errno));
			return -1;
		}
		/*
		 * glibc keeps its thread pointer in %gs: load ours, have the
		 * entry changed under it and read %gs back without calling
		 * into libc, then put glibc's back.
		 */
		asm volatile("mov %%gs, %%cx\n\t"
			     "push %%ecx\n\t"
			     "push %%ebx\n\t"
			     "mov %[sel], %%gs\n\t"
			     "mov %[desc], %%ebx\n\t"
			     "int $0x80\n\t"
			     "pop %%ebx\n\t"
			     "mov %%gs, %[now]\n\t"
			     "pop %%ecx\n\t"
			     "mov %%cx, %%gs"
			     : "=a" (ret), [now] "=d" (gs)
			     : "a" (SYS_set_thread_area), [sel] "r" ((unsigned int)sel),
			       [desc] "S" (&bad)
			     : "ecx", "memory");
		if (ret) {
			printf("worker %d round %ld: set_thread_area (unusable): %s\n",
			       id, n, strerror(-ret));
			return -1;
		}
		if (gs & 0xffff) {
			printf("worker %d round %ld: %%gs is 0x%x after its entry became unusable (want 0)\n",
			       id, n, gs & 0xffff);
			return -1;
		}
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 20;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int workers = argc > 2 ? atoi(argv[2]) : (ncpu > 0 ? ncpu : 1);
	int i, bad = 0, status;
	int fds[64][2];
	pid_t pids[64];

	if (workers < 1 || workers > 64) {
		fprintf(stderr, "segreload: 1 to 64 workers\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < workers; i++) {
		if (pipe(fds[i])) {
			perror("pipe");
			return 2;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 2;
		}
		if (pids[i] == 0) {
			long n = worker(i, seconds);

			close(fds[i][0]);
			if (write(fds[i][1], &n, sizeof(n)) != sizeof(n))
				_exit(3);
			_exit(n < 0);
		}
		close(fds[i][1]);
	}
	for (i = 0; i < workers; i++) {
		long n = -1;

		if (read(fds[i][0], &n, sizeof(n)) != sizeof(n))
			n = -1;
		if (waitpid(pids[i], &status, 0) < 0) {
			perror("waitpid");
			return 2;
		}
		if (WIFSIGNALED(status)) {
			printf("worker %d: killed by signal %d (%s)\n", i,
			       WTERMSIG(status), strsignal(WTERMSIG(status)));
			bad++;
		} else if (WEXITSTATUS(status) || n < 0) {
			printf("worker %d: failed (exit %d)\n", i, WEXITSTATUS(status));
			bad++;
		} else {
			printf("worker %d: %ld rounds in %.0f s, %%gs null after each\n",
			       i, n, seconds);
		}
	}
	if (bad) {
		printf("[FAIL] %d of %d workers failed\n", bad, workers);
		return 1;
	}
	printf("[OK] %d workers: the TLS entry under a loaded %%gs became unusable in every round, the reload faulted and left %%gs null\n",
	       workers);
	return 0;
}
