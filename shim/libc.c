/* SPDX-License-Identifier: MIT */
/*
 * libc.c - the four functions a freestanding C compiler may call on its own
 * (for struct copies and the core's zp_mem* helpers).  Assembly, loops and
 * string instructions, so the compiler cannot turn them back into calls to
 * themselves.
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Bulk copies as an explicit loop of 32 bytes per iteration, then the
 * tail with string instructions.  Under TCG a `rep` prefix runs one
 * iteration per trip through the emulator's helper, while a plain loop is
 * translated once and runs as host code: the 44 MiB KASLR move of a
 * vmlinux takes a fraction of the time.  The loops are assembly so that
 * the compiler cannot turn them back into calls to memcpy. */
static void forward32(uint8_t **d, const uint8_t **s, size_t *n)
{
	size_t blocks = *n / 32;

	if (!blocks)
		return;
	__asm__ volatile(
		"1:	movq (%1), %%rax\n\t"
		"	movq 8(%1), %%r8\n\t"
		"	movq 16(%1), %%r9\n\t"
		"	movq 24(%1), %%r10\n\t"
		"	movq %%rax, (%0)\n\t"
		"	movq %%r8, 8(%0)\n\t"
		"	movq %%r9, 16(%0)\n\t"
		"	movq %%r10, 24(%0)\n\t"
		"	addq $32, %1\n\t"
		"	addq $32, %0\n\t"
		"	decq %2\n\t"
		"	jnz 1b"
		: "+r"(*d), "+r"(*s), "+r"(blocks) : : "rax", "r8", "r9", "r10", "memory", "cc");
	*n %= 32;
}

/* The same from the end down: *d and *s point one past what is left. */
static void backward32(uint8_t **d, const uint8_t **s, size_t *n)
{
	size_t blocks = *n / 32;

	if (!blocks)
		return;
	__asm__ volatile(
		"1:	subq $32, %1\n\t"
		"	subq $32, %0\n\t"
		"	movq 24(%1), %%rax\n\t"
		"	movq 16(%1), %%r8\n\t"
		"	movq 8(%1), %%r9\n\t"
		"	movq (%1), %%r10\n\t"
		"	movq %%rax, 24(%0)\n\t"
		"	movq %%r8, 16(%0)\n\t"
		"	movq %%r9, 8(%0)\n\t"
		"	movq %%r10, (%0)\n\t"
		"	decq %2\n\t"
		"	jnz 1b"
		: "+r"(*d), "+r"(*s), "+r"(blocks) : : "rax", "r8", "r9", "r10", "memory", "cc");
	*n %= 32;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	forward32(&d, &s, &n);
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: from the end down, 32 bytes at a time,
	 * then the head bytes backwards (direction flag set). */
	d += n;
	s += n;
	backward32(&d, &s, &n);
	if (n) {
		uint8_t *dl = d - 1;
		const uint8_t *sl = s - 1;
		__asm__ volatile("std; rep movsb; cld" : "+D"(dl), "+S"(sl), "+c"(n) : : "memory");
	}
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
