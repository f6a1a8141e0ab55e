/* SPDX-License-Identifier: MIT */
/*
 * kaslr.c - where a randomised kernel goes, by the kernel's own rules.
 *
 * The decompressor's KASLR (arch/x86/boot/compressed/kaslr.c) picks two
 * independent things: a physical base (find_random_phys_addr: among RAM
 * from min(load address, 512 MiB) up, aligned to CONFIG_PHYSICAL_ALIGN,
 * wherever the whole image fits clear of the zero page, command line,
 * initrd and setup_data) and a virtual offset (find_random_virt_addr: slot
 * i of 1 + (KERNEL_IMAGE_SIZE - LOAD_PHYSICAL_ADDR - image) / align).  A
 * loader that randomises a pre-decompressed kernel must stay inside the
 * same limits, or the kernel's page tables and its own checks break.
 *
 * Entropy is whatever the caller gathered (RDSEED, RDRAND, the TSC, the
 * loader's own structures); it is mixed here so that each draw depends on
 * all of it.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define ULL(v) ((unsigned long long)(v))
#define MIB512 (512ull << 20)

/* A 64-bit finaliser (the splitmix64 constants): every input bit reaches
 * every output bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t draw(const struct zp_kaslr_request *rq, uint64_t which)
{
	uint64_t h = 0x9e3779b97f4a7c15ull * (which + 1);

	for (unsigned i = 0; i < rq->nentropy; i++)
		h = mix64(h ^ rq->entropy[i]) + 0x9e3779b97f4a7c15ull;
	return mix64(h ^ which);
}

static bool clear_of(const struct zp_kaslr_request *rq, uint64_t a, uint64_t size)
{
	for (unsigned i = 0; i < rq->navoid; i++) {
		const struct zp_kaslr_range *v = &rq->avoid[i];
		if (v->size && a < v->addr + v->size && v->addr < a + size)
			return false;
	}
	return true;
}

/* Slot `pick` (or, with pick = UINT64_MAX, how many there are). */
static uint64_t phys_slot(const struct zp_kaslr_request *rq, uint64_t lo, uint64_t pick,
			  uint64_t *addr)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < rq->ram->count; i++) {
		const struct zp_e820_entry *e = &rq->ram->entries[i];
		uint64_t end = e->addr + e->size < rq->phys_limit ? e->addr + e->size
								   : rq->phys_limit;
		if (e->type != ZP_E820_RAM)
			continue;
		for (uint64_t a = zp_align_up_u64(zp_max_u64(e->addr, lo), rq->align);
		     a < end && rq->image_size <= end - a; a += rq->align) {
			if (!clear_of(rq, a, rq->image_size))
				continue;
			if (n++ == pick) {
				*addr = a;
				return n;
			}
		}
	}
	return n;
}

int zp_kaslr_choose(const struct zp_kaslr_request *rq, struct zp_kaslr_choice *out,
		    struct zp_diag *diag)
{
	uint64_t lo, unused;

	zp_diag_clear(diag);
	if (!rq || !out || !rq->ram || !rq->image_size || !rq->align ||
	    (rq->align & (rq->align - 1)) || (rq->navoid && !rq->avoid))
		return zp_diag_fail(diag, ZP_EINVAL, "KASLR: missing or bad request");
	zp_memset(out, 0, sizeof(*out));
	/* Physical: from the smaller of the link address and 512 MiB. */
	lo = zp_align_up_u64(rq->link_phys < MIB512 ? rq->link_phys : MIB512, rq->align);
	out->phys_slots = phys_slot(rq, lo, UINT64_MAX, &unused);
	if (!out->phys_slots)
		return zp_diag_fail(diag, ZP_ENOSPACE, "KASLR: no aligned room of 0x%llx bytes in "
				    "RAM between 0x%llx and 0x%llx clear of what is in use",
				    ULL(rq->image_size), ULL(lo), ULL(rq->phys_limit));
	phys_slot(rq, lo, draw(rq, 1) % out->phys_slots, &out->phys);
	/* Virtual: the image must end below KERNEL_IMAGE_SIZE. */
	if (rq->link_phys + rq->image_size > ZP_KERNEL_IMAGE_SIZE)
		return zp_diag_fail(diag, ZP_ENOSPACE, "KASLR: an image of 0x%llx bytes at 0x%llx "
				    "leaves no virtual room below 0x%llx", ULL(rq->image_size),
				    ULL(rq->link_phys), ULL(ZP_KERNEL_IMAGE_SIZE));
	out->virt_slots = 1 + (ZP_KERNEL_IMAGE_SIZE - rq->link_phys - rq->image_size) / rq->align;
	out->virt = rq->link_phys + (draw(rq, 2) % out->virt_slots) * rq->align;
	return ZP_OK;
}

bool zp_cmdline_has_word(const char *cmdline, const char *word)
{
	size_t wl = zp_strlen(word);

	for (const char *p = cmdline; p && *p;) {
		size_t n = 0;
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		while (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != '\n')
			n++;
		if (n == wl && !zp_memcmp(p, word, wl))
			return true;
		p += n;
	}
	return false;
}
