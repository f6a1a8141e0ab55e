/* SPDX-License-Identifier: MIT */
/*
 * accel.h - which QEMU accelerator `--accel auto` should use.
 */
#ifndef ZEROPAGE_TOOLS_ACCEL_H
#define ZEROPAGE_TOOLS_ACCEL_H

#include <stddef.h>

/* "kvm" when /dev/kvm runs a calibration guest at hardware speed, else
 * "tcg".  why receives a one-line reason.  The answer is computed once
 * per process. */
const char *accel_auto(char *why, size_t whylen);

/* The host's TSC rate in kHz, measured once against CLOCK_MONOTONIC, or
 * 0 when unknown (not x86).  Under TCG the guest's TSC is the host's, so
 * a guest may be told this rate instead of calibrating it (see bootpath.c). */
unsigned long accel_host_tsc_khz(void);

#endif
