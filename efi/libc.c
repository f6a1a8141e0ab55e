/* SPDX-License-Identifier: MIT */
/*
 * libc.c - what the core may call that gnu-efi's libefi lacks.  The core
 * is freestanding, and gcc turns its zp_memcmp (a builtin) and struct
 * copies into calls to memcmp/memmove; libefi has memcpy and memset only.
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
