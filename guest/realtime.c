// SPDX-License-Identifier: GPL-2.0
/*
 * realtime: print the guest's CLOCK_REALTIME as one line
 * "guest-clock: <seconds>.<nanoseconds>", which the host compares with
 * its own (dom0's) clock (guest/tests/15-clock prints it).
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts)) {
		perror("clock_gettime(CLOCK_REALTIME)");
		return 1;
	}
	printf("guest-clock: %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
	return 0;
}
