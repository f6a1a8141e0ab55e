/* SPDX-License-Identifier: MIT */
/*
 * libc.c - what the core may call that gnu-efi's libefi lacks.  The core
 * is freestanding, and gcc turns its zp_memcmp (a builtin) and struct
 * copies into calls to memcmp/memmove; libefi has memcpy and memset only.
 * On ia32 the compilers also call libgcc's 64-bit division helpers
 * (__udivdi3, __umoddi3: the core's arithmetic is in uint64_t), and Debian's
 * amd64 gcc has no 32-bit libgcc without gcc-multilib; they are here too.
 * The link is made with --no-undefined, so a missing one is a build error,
 * not a jump into nowhere at run time.
 */
#include <stddef.h>

int memcmp(const void *a, const void *b, size_t n);
void *memmove(void *dst, const void *src, size_t n);

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	else
		while (n--)
			d[n] = s[n];
	return dst;
}

#ifdef __i386__
#include <stdint.h>

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);

/* Long division, one bit at a time: the loader divides a handful of
 * numbers (formatting, alignment), so speed does not matter.  A zero
 * divisor gives all ones, as no caller divides by zero. */
static uint64_t divide(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;

	if (d == 0) {
		*rem = n;
		return ~(uint64_t)0;
	}
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (uint64_t)1 << i;
		}
	}
	*rem = r;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	return divide(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	divide(n, d, &r);
	return r;
}
#endif
