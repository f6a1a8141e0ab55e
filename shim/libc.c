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

/* Bulk copies as an explicit loop of 64 bytes per iteration through the
 * SSE registers (entry.S enabled SSE), then the tail with string
 * instructions.  Under TCG a `rep` prefix runs one iteration per trip
 * through the emulator's helper, while a plain loop is translated once and
 * runs as host code, and the fewer guest instructions per byte the better:
 * the 46 MiB KASLR move of a vmlinux is most of the shim's own time.  The
 * loops are assembly so that the compiler cannot turn them back into calls
 * to memcpy. */
/* target("sse2"): the shim is built -mno-sse; only these loops use SSE. */
__attribute__((target("sse2")))
static void forward64(uint8_t **d, const uint8_t **s, size_t *n)
{
	size_t blocks = *n / 64;

	if (!blocks)
		return;
	__asm__ volatile(
		"1:	movdqu (%1), %%xmm0\n\t"
		"	movdqu 16(%1), %%xmm1\n\t"
		"	movdqu 32(%1), %%xmm2\n\t"
		"	movdqu 48(%1), %%xmm3\n\t"
		"	movdqu %%xmm0, (%0)\n\t"
		"	movdqu %%xmm1, 16(%0)\n\t"
		"	movdqu %%xmm2, 32(%0)\n\t"
		"	movdqu %%xmm3, 48(%0)\n\t"
		"	addq $64, %1\n\t"
		"	addq $64, %0\n\t"
		"	decq %2\n\t"
		"	jnz 1b"
		: "+r"(*d), "+r"(*s), "+r"(blocks) : : "xmm0", "xmm1", "xmm2", "xmm3", "memory", "cc");
	*n %= 64;
}

/* The same from the end down: *d and *s point one past what is left. */
__attribute__((target("sse2")))
static void backward64(uint8_t **d, const uint8_t **s, size_t *n)
{
	size_t blocks = *n / 64;

	if (!blocks)
		return;
	__asm__ volatile(
		"1:	subq $64, %1\n\t"
		"	subq $64, %0\n\t"
		"	movdqu 48(%1), %%xmm0\n\t"
		"	movdqu 32(%1), %%xmm1\n\t"
		"	movdqu 16(%1), %%xmm2\n\t"
		"	movdqu (%1), %%xmm3\n\t"
		"	movdqu %%xmm0, 48(%0)\n\t"
		"	movdqu %%xmm1, 32(%0)\n\t"
		"	movdqu %%xmm2, 16(%0)\n\t"
		"	movdqu %%xmm3, (%0)\n\t"
		"	decq %2\n\t"
		"	jnz 1b"
		: "+r"(*d), "+r"(*s), "+r"(blocks) : : "xmm0", "xmm1", "xmm2", "xmm3", "memory", "cc");
	*n %= 64;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	forward64(&d, &s, &n);
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: from the end down, 64 bytes at a time,
	 * then the head bytes backwards (direction flag set). */
	d += n;
	s += n;
	backward64(&d, &s, &n);
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
