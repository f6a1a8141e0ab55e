/* SPDX-License-Identifier: MIT */
/*
 * libc.c - the four functions a freestanding C compiler may call on its own
 * (for struct copies and the core's zp_mem* helpers).  String instructions
 * rather than loops, so the compiler cannot turn them back into calls to
 * themselves, and so a 14 MiB kernel move is one instruction under TCG.
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Eight bytes per iteration, then the rest: under TCG every iteration of
 * a rep prefix costs about the same, so the 50 MiB KASLR move of a vmlinux
 * is eight times faster in quadwords. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t q = n / 8, r = n % 8;

	__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(r) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;
	size_t q = n / 8, r = n % 8;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy backwards (direction flag set),
	 * the odd tail bytes first, then quadwords from the last one down. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(r) : : "memory");
	d -= 7;
	s -= 7;
	__asm__ volatile("std; rep movsq; cld" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (size_t i = 0; i < n; i++)
		if (p[i] != q[i])
			return p[i] < q[i] ? -1 : 1;
	return 0;
}
