/* SPDX-License-Identifier: MIT */
/*
 * shim_kaslr.c - zp_shim_plan's KASLR step for the vmlinux entry.
 */
#include <zeropage/bundle.h>
#include "diag.h"
#include "env.h"
#include "shim_plan.h"

/* KASLR for the vmlinux entry, which has no decompressor to do it:
 * a random physical base and virtual offset by the kernel's own rules
 * (lib/kaslr.c), the relocation table checked against the image now, so a
 * corrupt one stops us before anything moves.  Where it cannot or must not
 * randomise it says why and keeps the link address, unless the bundle
 * requires KASLR. */
static const char *kaslr_refusal(const struct zp_shim_input *in)
{
	const struct zp_bundle_desc *d = in->desc;

	if (d->flags & ZP_BUNDLE_KASLR_OFF)
		return "bundled with --no-kaslr";
	if (zp_cmdline_has_word(in->cmdline, "nokaslr"))
		return "nokaslr on the command line";
	if (!d->relocs_size)
		return "the bundle has no relocation table (a kernel built without RANDOMIZE_BASE)";
	return NULL;
}

static int choose_bases(const struct zp_shim_input *in, const struct zp_bzimage *bz,
			const struct zp_e820_map *ram, const struct zp_shim_plan *plan,
			struct zp_kaslr_choice *c, struct zp_diag *diag)
{
	const struct zp_bundle_desc *d = in->desc;
	struct zp_kaslr_range avoid[ZP_SHIM_IN_USE_MAX];
	struct zp_kaslr_request rq = {
		.ram = ram, .avoid = avoid, .navoid = zp_shim_in_use(in, plan, bz->setup_size, avoid),
		.image_size = d->kernel_span, .align = 0x200000, .link_phys = d->kernel_addr,
		.phys_limit = GIB4, .entropy = in->entropy, .nentropy = in->nentropy,
	};

	return zp_kaslr_choose(&rq, c, diag);
}

/* The kernel's contents from kernel_addr (all of its room for a bundle
 * that does not say). */
static uint64_t loaded(const struct zp_bundle_desc *d)
{
	return d->kernel_loaded && d->kernel_loaded <= d->kernel_span ? d->kernel_loaded
								       : d->kernel_span;
}

int zp_shim_plan_kaslr(const struct zp_shim_input *in, const struct zp_bzimage *bz,
		       const struct zp_e820_map *ram, struct zp_shim_plan *plan,
		       struct zp_diag *diag)
{
	const struct zp_bundle_desc *d = in->desc;
	const void *table = zp_guest_ptr(in->mem, d->relocs_paddr, d->relocs_size);
	struct zp_kaslr_choice c;
	struct zp_diag why;
	int r;

	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX)
		return ZP_OK;			/* the decompressor decides */
	plan->kaslr_why = kaslr_refusal(in);
	if (!plan->kaslr_why) {
		plan->target = (struct zp_relocs_target){ NULL, loaded(d),
							  ZP_START_KERNEL_MAP + d->kernel_addr };
		r = table ? zp_relocs_parse(table, d->relocs_size, &plan->relocs, diag) : ZP_EBADADDR;
		if (!r)
			r = zp_relocs_check(&plan->relocs, &plan->target, diag);
		if (r)
			return table ? r : zp_diag_fail(diag, r, "relocation table unreadable");
		if (choose_bases(in, bz, ram, plan, &c, &why))
			plan->kaslr_why = "no room to randomise in this guest's RAM";
	}
	if (plan->kaslr_why && (d->flags & ZP_BUNDLE_KASLR_REQUIRE))
		return zp_diag_fail(diag, ZP_EENTRY, "KASLR required (--kaslr=require), but %s",
				    plan->kaslr_why);
	if (plan->kaslr_why)
		return ZP_OK;
	plan->kaslr = true;
	plan->phys_slots = c.phys_slots;
	plan->virt_slots = c.virt_slots;
	plan->virt_delta = c.virt - d->kernel_addr;
	plan->kernel_addr = c.phys;
	plan->move_from = d->kernel_addr;
	/* Only the segments' bytes: the rest of the room is the kernel's to
	 * clear (its bss and brk: clear_bss() in head64.c), as after the
	 * decompressor, which copies no more either. */
	plan->move_len = c.phys != d->kernel_addr ? loaded(d) : 0;
	return ZP_OK;
}

