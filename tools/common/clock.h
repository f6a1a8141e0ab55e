/* SPDX-License-Identifier: MIT */
/*
 * clock.h - the two clocks the tools time boots with, in seconds:
 * monotonic for how long something took (a wall clock may be set while a
 * boot runs), real for when it started (what a report prints as a date).
 */
#ifndef ZEROPAGE_TOOLS_CLOCK_H
#define ZEROPAGE_TOOLS_CLOCK_H

#include <time.h>

static inline double clock_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline double clock_real_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
