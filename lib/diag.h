/* SPDX-License-Identifier: MIT */
/* diag.h - filling a caller's struct zp_diag (which may be NULL).  Private. */
#ifndef ZEROPAGE_LIB_DIAG_H
#define ZEROPAGE_LIB_DIAG_H

#include <zeropage/zeropage.h>

/* Formats into diag (when non-NULL) and returns err, so that a failure
 * reads as one line: return zp_diag_fail(diag, ZP_EX, "what %u", n); */
int zp_diag_fail(struct zp_diag *diag, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Empties diag so that success leaves no stale message behind. */
void zp_diag_clear(struct zp_diag *diag);

#endif
