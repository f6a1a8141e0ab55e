/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer targets: invariant checks that crash loudly. */
#ifndef ZEROPAGE_FUZZ_H
#define ZEROPAGE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* An invariant the library promises.  A plain assert() would vanish under
 * -DNDEBUG; this one must always fire, and abort() is what libFuzzer turns
 * into a saved crash file. */
#define FUZZ_CHECK(cond)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",      \
				__FILE__, __LINE__, #cond);                   \
			abort();                                              \
		}                                                             \
	} while (0)

/* Reads every byte of [p, p+n) so ASan sees any pointer the library hands
 * back that strays outside the input.  The empty asm keeps the loop alive. */
static inline void fuzz_touch(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc ^= b[i];
	__asm__ volatile("" : : "r"(acc));
}

/* True when [p, p+n) lies inside [base, base+len). */
static inline int fuzz_inside(const void *p, size_t n, const void *base, size_t len)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;
	return a >= b && a - b <= len && n <= len - (a - b);
}

static inline uint32_t fuzz_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
