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

/* The loader verdicts on whatever zp_probe accepted (lib/loaders.c reads
 * only probed facts, and must hold its promises on every one of them): one
 * verdict per loader, each with a why, no fix where it boots, and a fix
 * that is a zeropage command. */
#include <string.h>
#include <zeropage/loaders.h>

static inline void fuzz_check_loaders(const struct zp_image *img)
{
	static struct zp_loader_verdict v[ZP_LOADERS_COUNT];
	struct zp_loader_facts f = { .format = img->format };

	if (img->format == ZP_FORMAT_ELF)
		f.elf = &img->u.elf;
	else
		f.bz = &img->u.bz;
	FUZZ_CHECK(zp_loaders_judge(&f, "IMG", v, ZP_LOADERS_COUNT) == ZP_LOADERS_COUNT);
	for (unsigned i = 0; i < ZP_LOADERS_COUNT; i++) {
		FUZZ_CHECK(memchr(v[i].why, 0, sizeof(v[i].why)) && v[i].why[0]);
		FUZZ_CHECK(memchr(v[i].fix, 0, sizeof(v[i].fix)));
		FUZZ_CHECK(memchr(v[i].fix_note, 0, sizeof(v[i].fix_note)));
		FUZZ_CHECK(!v[i].boots || (!v[i].fix[0] && !v[i].fix_note[0]));
		FUZZ_CHECK(v[i].known || !v[i].boots);
		FUZZ_CHECK(!v[i].fix[0] || !strncmp(v[i].fix, "zeropage ", 9));
	}
}

#endif
