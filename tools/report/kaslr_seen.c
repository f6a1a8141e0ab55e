/* SPDX-License-Identifier: MIT */
/* kaslr_seen.c - see kaslr_seen.h. */
#include <string.h>

#include "common/json.h"
#include "report/kaslr_seen.h"

/* i386's __PAGE_OFFSET with the default 3G/1G split (CONFIG_PAGE_OFFSET,
 * arch/x86/Kconfig; Debian's 686 kernels use it). */
#define I386_PAGE_OFFSET	0xc0000000ull

struct kernel_link kernel_link_from_pref(uint64_t pref_address, bool kernel64)
{
	/* x86-64 links _text at __START_KERNEL = __START_KERNEL_map +
	 * __PHYSICAL_START, i386 at __PAGE_OFFSET + __PHYSICAL_START, and
	 * __PHYSICAL_START is what the boot protocol hands loaders as
	 * pref_address (arch/x86/include/asm/page_64_types.h,
	 * page_32_types.h, arch/x86/boot/header.S). */
	uint64_t base = kernel64 ? ZP_START_KERNEL_MAP : I386_PAGE_OFFSET;

	return (struct kernel_link){ pref_address, base + pref_address, false };
}

void kaslr_seen_offsets_of(const struct guest_report *r, const struct kernel_link *l,
			 struct kaslr_seen_offsets *k)
{
	memset(k, 0, sizeof(*k));
	if (!r)
		return;
	/* The differences are small (under 64 TiB), so a wrapped unsigned
	 * difference read as signed is the true, possibly negative, offset. */
	k->has_phys = r->kernel_phys != 0;
	k->has_virt = r->kernel_text != 0;
	if (k->has_phys)
		k->phys_offset = (int64_t)(r->kernel_phys - l->phys);
	if (k->has_virt)
		k->virt_offset = (int64_t)(r->kernel_text - l->virt);
}

/* "+0x2a00000", "-0x200000" */
static void fmt_offset(char *b, size_t cap, int64_t v)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	snprintf(b, cap, "%c0x%llx", v < 0 ? '-' : '+', (unsigned long long)mag);
}

static void fmt_addr(char *b, size_t cap, bool known, uint64_t v)
{
	if (known)
		snprintf(b, cap, "0x%llx", (unsigned long long)v);
	else
		snprintf(b, cap, "?");
}

void kaslr_seen_print(FILE *f, const struct guest_report *r, const struct kernel_link *l)
{
	struct kaslr_seen_offsets k;
	char pa[24], va[24], po[24] = "?", vo[24] = "?";

	kaslr_seen_offsets_of(r, l, &k);
	fmt_addr(pa, sizeof(pa), k.has_phys, r ? r->kernel_phys : 0);
	fmt_addr(va, sizeof(va), k.has_virt, r ? r->kernel_text : 0);
	if (k.has_phys)
		fmt_offset(po, sizeof(po), k.phys_offset);
	if (k.has_virt)
		fmt_offset(vo, sizeof(vo), k.virt_offset);
	fprintf(f, "kernel runs at phys %s, virt %s (offset %s / %s)\n", pa, va, po, vo);
}

bool kaslr_seen_lost(const struct guest_report *r, const struct kernel_link *l)
{
	struct kaslr_seen_offsets k;

	kaslr_seen_offsets_of(r, l, &k);
	return l->expect_random && k.has_phys && k.has_virt && !k.phys_offset && !k.virt_offset;
}

void kaslr_seen_cell(char *buf, size_t cap, const struct guest_report *r,
		   const struct kernel_link *l)
{
	struct kaslr_seen_offsets k;
	char p[24] = "?", v[24] = "?";

	kaslr_seen_offsets_of(r, l, &k);
	if (!k.has_phys && !k.has_virt) {
		snprintf(buf, cap, "?");
		return;
	}
	if (k.has_phys && k.has_virt && !k.phys_offset && !k.virt_offset) {
		snprintf(buf, cap, "%s", kaslr_seen_lost(r, l) ? "- LOST" : "-");
		return;
	}
	if (k.has_phys)
		fmt_offset(p, sizeof(p), k.phys_offset);
	if (k.has_virt)
		fmt_offset(v, sizeof(v), k.virt_offset);
	snprintf(buf, cap, "p%s,v%s", p, v);
}

/* Addresses go out as hex strings: jq 1.6 and JavaScript read JSON
 * numbers as doubles, in which 0xffffffff81000000 would not survive.  The
 * offsets stay numbers: they are far below 2^53. */
static void json_addr(struct json *j, const char *key, bool known, uint64_t v)
{
	char b[24];

	if (!known) {
		json_null(j, key);
		return;
	}
	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	json_string(j, key, b);
}

void kaslr_seen_json(struct json *j, const struct guest_report *r,
		   const struct kernel_link *l)
{
	struct kaslr_seen_offsets k;

	kaslr_seen_offsets_of(r, l, &k);
	json_addr(j, "kernel_phys", k.has_phys, r ? r->kernel_phys : 0);
	json_addr(j, "kernel_text", k.has_virt, r ? r->kernel_text : 0);
	json_object_begin(j, "kaslr");
	if (k.has_phys)
		json_int(j, "phys_offset", k.phys_offset);
	else
		json_null(j, "phys_offset");
	if (k.has_virt)
		json_int(j, "virt_offset", k.virt_offset);
	else
		json_null(j, "virt_offset");
	/* what the offsets are measured from */
	json_addr(j, "link_phys", true, l->phys);
	json_addr(j, "link_virt", true, l->virt);
	/* the shim was to randomise it; lost: it did not */
	json_bool(j, "expected", l->expect_random);
	json_bool(j, "lost", kaslr_seen_lost(r, l));
	json_object_end(j);
}
