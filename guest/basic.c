// SPDX-License-Identifier: GPL-2.0
/*
 * basic: the process basics every kernel of the series must get right:
 * fork, exec, pipes, signals and anonymous/shared mmap.  Prints one
 * "[OK]"/"[FAIL]" line per check and exits non-zero on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("[%s] %s\n", ok ? "OK" : "FAIL", what);
	if (!ok)
		failures++;
}

static void test_fork(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(42);
	check(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 42,
	      "fork: child exit status reaches the parent");
}

static void test_exec(const char *self)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execl(self, self, "--exec-child", (char *)NULL);
		_exit(127);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "exec: re-executed image runs and returns 7");
}

static void test_pipe(void)
{
	int up[2], down[2], status = 0, i, ok = 1;
	unsigned int v;
	pid_t pid;

	if (pipe(up) || pipe(down)) {
		check(0, "pipe: create");
		return;
	}
	pid = fork();
	if (pid == 0) {
		/* Echo every word back, plus one, until EOF. */
		close(down[1]);
		close(up[0]);
		while (read(down[0], &v, sizeof(v)) == sizeof(v)) {
			v++;
			if (write(up[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	for (i = 0; i < 1000 && ok; i++) {
		v = i;
		ok = write(down[1], &v, sizeof(v)) == sizeof(v) &&
		     read(up[0], &v, sizeof(v)) == sizeof(v) &&
		     v == (unsigned int)i + 1;
	}
	close(down[1]);
	waitpid(pid, &status, 0);
	close(up[0]);
	check(ok && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "pipe: 1000 round trips between two processes");
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

static void test_signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int status = 0;
	pid_t pid;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	check(got_usr1 == SIGUSR1, "signal: handler runs for raise(SIGUSR1)");

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGKILL);
	check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "signal: SIGKILL ends a child");
}

static void test_mmap(void)
{
	size_t len = 64 * 4096, i;
	unsigned char *p, *shared;
	int ok = 1, status = 0;
	pid_t pid;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		check(0, "mmap: anonymous private mapping");
		return;
	}
	for (i = 0; i < len; i += 4096)
		p[i] = (unsigned char)(i >> 12);
	for (i = 0; i < len; i += 4096)
		ok &= p[i] == (unsigned char)(i >> 12);
	check(ok && munmap(p, len) == 0, "mmap: touch 64 pages, munmap");

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || p == MAP_FAILED) {
		check(0, "mmap: shared and private mappings");
		return;
	}
	shared[0] = 1;
	p[0] = 1;
	pid = fork();
	if (pid == 0) {
		shared[0] = 2;	/* seen by the parent */
		p[0] = 2;	/* copy on write: not seen */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check(shared[0] == 2 && p[0] == 1,
	      "mmap: MAP_SHARED shared, MAP_PRIVATE copied on write after fork");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return 7;
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_fork();
	test_exec(argv[0]);
	test_pipe();
	test_signals();
	test_mmap();
	return failures ? 1 : 0;
}
