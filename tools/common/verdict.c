/* SPDX-License-Identifier: MIT */
/* verdict.c - a verdict's name, as every report spells it. */
#include "common/verdict.h"

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_OK: return "ok";
	case VERDICT_PANIC: return "panic";
	case VERDICT_TIMEOUT: return "timeout";
	case VERDICT_NOINIT: return "no-init";
	case VERDICT_QEMU: return "qemu-failed";
	case VERDICT_ERROR: return "error";
	case VERDICT_MISMATCH: return "mismatch";
	case VERDICT_SKIPPED: return "skipped";
	case VERDICT_NA: return "n/a";
	case VERDICT_STARTED: return "started";
	}
	return "?";
}
