/* SPDX-License-Identifier: MIT */
/*
 * env.h - the core's whole "environment": memory and string helpers and
 * overflow-checked arithmetic.  Private to lib/.
 *
 * The core is freestanding, so it cannot call libc.  The mem* helpers use
 * the compiler builtins, which gcc and clang either inline or turn into
 * calls to memcpy/memset/memcmp (every freestanding environment, the shim
 * included, provides those four).  The str* helpers are plain loops: a
 * builtin strlen could become a call to strlen, which the shim lacks.
 */
#ifndef ZEROPAGE_LIB_ENV_H
#define ZEROPAGE_LIB_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* n == 0 is a no-op here, whatever the pointers: C makes memcpy and
 * memset with a null pointer undefined even for 0 bytes, and "nothing to
 * copy" often comes with "no buffer" (an empty e820 list, no setup_data). */
static inline void *zp_memcpy(void *dst, const void *src, size_t n)
{
	return n ? __builtin_memcpy(dst, src, n) : dst;
}

static inline void *zp_memset(void *dst, int c, size_t n)
{
	return n ? __builtin_memset(dst, c, n) : dst;
}

static inline int zp_memcmp(const void *a, const void *b, size_t n)
{
	return __builtin_memcmp(a, b, n);
}

static inline size_t zp_strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

static inline size_t zp_strlen(const char *s)
{
	return zp_strnlen(s, SIZE_MAX);
}

static inline bool zp_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Overflow-checked arithmetic: true when the result does not fit. */
static inline bool zp_add_overflows_u64(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

static inline bool zp_mul_overflows_u64(uint64_t a, uint64_t b, uint64_t *product)
{
	return __builtin_mul_overflow(a, b, product);
}

static inline bool zp_add_overflows_u32(uint32_t a, uint32_t b, uint32_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

static inline bool zp_add_overflows_size(size_t a, size_t b, size_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

/* Little-endian loads from untrusted bytes (no alignment assumed). */
static inline uint16_t zp_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t zp_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t zp_le64(const uint8_t *p)
{
	return (uint64_t)zp_le32(p) | (uint64_t)zp_le32(p + 4) << 32;
}

static inline uint64_t zp_align_up_u64(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static inline uint64_t zp_max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

#endif
