/* SPDX-License-Identifier: MIT */
/*
 * relocs.c - the relocation table an x86-64 kernel carries for KASLR.
 *
 * A kernel built with RANDOMIZE_BASE (CONFIG_X86_NEED_RELOCS) has the
 * output of arch/x86/tools/relocs appended to its decompressed image, the
 * bytes after the vmlinux ELF inside the bzImage's payload.  Its own
 * decompressor reads it backwards from the end (handle_relocations in
 * arch/x86/boot/compressed/misc.c), and so do we:
 *
 *   0, then the 64-bit entries        (the table's first word)
 *   0, then the inverse 32-bit entries
 *   0, then the 32-bit entries        (ending at the table's last word)
 *
 * Each entry is the kernel-virtual address (a 32-bit value, sign-extended:
 * 0xffffffff8xxxxxxx) of a place that holds an address of the kernel's own.
 * Moving the kernel's virtual base by delta adds delta to each 32- and
 * 64-bit place and subtracts it from each inverse one (per-CPU offsets,
 * which are relative to the kernel).  Every entry is checked against the
 * image before any is applied: a corrupt table is an error, never a write
 * outside the kernel.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define ULL(v) ((unsigned long long)(v))

static int32_t entry_at(const uint8_t *t, size_t i)
{
	return (int32_t)zp_le32(t + i * 4);
}

/* Counts entries backwards from word `from` (exclusive) to the next zero. */
static size_t run_back(const uint8_t *t, size_t from, size_t *zero_at)
{
	size_t i = from;

	while (i > 0 && entry_at(t, i - 1) != 0)
		i--;
	*zero_at = i ? i - 1 : SIZE_MAX;
	return from - i;
}

int zp_relocs_parse(const void *table, size_t len, struct zp_relocs *out, struct zp_diag *diag)
{
	const uint8_t *t = table;
	size_t words = len / 4, z32, zinv, z64;

	zp_diag_clear(diag);
	if (!table || !out)
		return zp_diag_fail(diag, ZP_EINVAL, "missing relocation table or output");
	zp_memset(out, 0, sizeof(*out));
	if (len % 4 || words < 3)
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation table of %zu bytes: not three "
				    "zero-terminated lists of 32-bit words", len);
	out->n32 = run_back(t, words, &z32);
	if (z32 == SIZE_MAX)
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation table: no terminator before the "
				    "32-bit entries");
	out->ninv32 = run_back(t, z32, &zinv);
	if (zinv == SIZE_MAX)
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation table: no terminator before the "
				    "inverse 32-bit entries");
	out->n64 = run_back(t, zinv, &z64);
	if (z64 != 0)
		return zp_diag_fail(diag, ZP_ERELOCS, "relocation table: %zu words before the "
				    "64-bit list's terminator (it must start the table)", z64);
	out->table = t;
	out->len = len;
	out->at64 = 1;
	out->atinv32 = zinv + 1;
	out->at32 = z32 + 1;
	return ZP_OK;
}

/* The offset into the image of the place entry e names, if width bytes
 * there lie inside it. */
static bool place(const struct zp_relocs_target *k, int32_t e, unsigned width, uint64_t *off)
{
	uint64_t va = (uint64_t)(int64_t)e;

	if (va < k->link_vaddr)
		return false;
	*off = va - k->link_vaddr;
	return *off <= k->image_len && width <= k->image_len - *off;
}

static int check_list(const struct zp_relocs *r, const struct zp_relocs_target *k, size_t at,
		      size_t n, unsigned width, const char *what, struct zp_diag *diag)
{
	uint64_t off;

	for (size_t i = 0; i < n; i++)
		if (!place(k, entry_at(r->table, at + i), width, &off))
			return zp_diag_fail(diag, ZP_ERELOCS, "%s relocation %zu (0x%llx) lies "
					    "outside the kernel image 0x%llx+0x%llx", what, i,
					    ULL((uint64_t)(int64_t)entry_at(r->table, at + i)),
					    ULL(k->link_vaddr), ULL(k->image_len));
	return ZP_OK;
}

int zp_relocs_check(const struct zp_relocs *r, const struct zp_relocs_target *k,
		    struct zp_diag *diag)
{
	int rc;

	zp_diag_clear(diag);
	if (!r || !r->table || !k)
		return zp_diag_fail(diag, ZP_EINVAL, "missing relocation table or kernel");
	rc = check_list(r, k, r->at64, r->n64, 8, "64-bit", diag);
	if (!rc)
		rc = check_list(r, k, r->atinv32, r->ninv32, 4, "inverse 32-bit", diag);
	if (!rc)
		rc = check_list(r, k, r->at32, r->n32, 4, "32-bit", diag);
	return rc;
}

static void add32(uint8_t *p, uint32_t v)
{
	uint32_t x;

	zp_memcpy(&x, p, 4);
	x += v;
	zp_memcpy(p, &x, 4);
}

int zp_relocs_apply(const struct zp_relocs *r, const struct zp_relocs_target *k,
		    uint64_t delta, struct zp_diag *diag)
{
	uint64_t off = 0, x;
	int rc = zp_relocs_check(r, k, diag);

	if (rc)
		return rc;
	if (!k->image)
		return zp_diag_fail(diag, ZP_EINVAL, "no kernel image to relocate");
	for (size_t i = 0; i < r->n64; i++) {
		place(k, entry_at(r->table, r->at64 + i), 8, &off);
		zp_memcpy(&x, k->image + off, 8);
		x += delta;
		zp_memcpy(k->image + off, &x, 8);
	}
	for (size_t i = 0; i < r->ninv32; i++) {
		place(k, entry_at(r->table, r->atinv32 + i), 4, &off);
		add32(k->image + off, (uint32_t)-delta);
	}
	for (size_t i = 0; i < r->n32; i++) {
		place(k, entry_at(r->table, r->at32 + i), 4, &off);
		add32(k->image + off, (uint32_t)delta);
	}
	return ZP_OK;
}
