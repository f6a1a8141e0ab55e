/* SPDX-License-Identifier: MIT */
/* verdict.c - a verdict's name, as every report spells it. */
#include "common/verdict.h"

const char *zp_verdict_name(enum zp_verdict v)
{
	switch (v) {
	case ZP_VERDICT_OK: return "ok";
	case ZP_VERDICT_PANIC: return "panic";
	case ZP_VERDICT_TIMEOUT: return "timeout";
	case ZP_VERDICT_NOINIT: return "no-init";
	case ZP_VERDICT_QEMU: return "qemu-failed";
	case ZP_VERDICT_ERROR: return "error";
	case ZP_VERDICT_MISMATCH: return "mismatch";
	case ZP_VERDICT_SKIPPED: return "skipped";
	case ZP_VERDICT_NA: return "n/a";
	}
	return "?";
}
