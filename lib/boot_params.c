/* SPDX-License-Identifier: MIT */
/*
 * boot_params.c - building the zero page a loader hands to a bzImage
 * (boot.rst "THE ZERO PAGE" and zero-page.rst).
 *
 * The kernel's own setup header is the starting point: the loader then
 * fills in only the fields boot.rst marks as "write" for a loader.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

/* Where the real-mode heap ends, as an offset from the setup segment:
 * the usual 0xfe00 stack top less 0x200 of stack.  Only the 16-bit entry
 * uses it, and it does no harm to the 32/64-bit ones. */
#define HEAP_END_PTR	(0xfe00 - 0x200)

#define LOW32(v)	((uint32_t)(v))
#define HIGH32(v)	((uint32_t)((uint64_t)(v) >> 32))

/* Appends setup_data nodes to the caller's buffer, chaining each new node
 * onto the previous one through guest-physical addresses. */
struct node_writer {
	const struct zp_boot_config *cfg;
	struct zp_boot_params *bp;
	size_t used;
	size_t last;		/* offset of the previous node */
	bool any;
};

static int add_node(struct node_writer *w, uint32_t type, const void *data,
		    uint64_t len, struct zp_diag *diag)
{
	const struct zp_boot_config *cfg = w->cfg;
	size_t start = (size_t)zp_align_up_u64(w->used, 8);
	struct zp_setup_data hdr = { 0, type, (uint32_t)len };
	uint64_t end = start + sizeof(hdr) + len;
	uint64_t node_addr;

	if (len > UINT32_MAX)
		return zp_diag_fail(diag, ZP_EOVERFLOW, "setup_data type %u: %llu bytes", type,
				    (unsigned long long)len);
	if (!cfg->setup_data_buf || end > cfg->setup_data_cap)
		return zp_diag_fail(diag, ZP_ENOSPACE,
				    "setup_data needs %llu bytes, buffer has %zu",
				    (unsigned long long)end, cfg->setup_data_buf ? cfg->setup_data_cap : 0);
	if (cfg->setup_data_addr == 0 ||
	    zp_add_overflows_u64(cfg->setup_data_addr, start, &node_addr))
		return zp_diag_fail(diag, ZP_EINVAL, "setup_data_addr 0x%llx unusable",
				    (unsigned long long)cfg->setup_data_addr);
	zp_memset(cfg->setup_data_buf + w->used, 0, start - w->used);
	zp_memcpy(cfg->setup_data_buf + start, &hdr, sizeof(hdr));
	zp_memcpy(cfg->setup_data_buf + start + sizeof(hdr), data, (size_t)len);
	if (w->any)	/* link the previous node to this one */
		zp_memcpy(cfg->setup_data_buf + w->last, &node_addr, sizeof(node_addr));
	else
		w->bp->hdr.setup_data = node_addr;
	w->any = true;
	w->last = start;
	w->used = (size_t)end;
	return ZP_OK;
}

static int put_cmdline(const struct zp_bzimage *bz, const struct zp_boot_config *cfg,
		       struct zp_boot_params *bp, struct zp_diag *diag)
{
	if (cfg->cmdline) {
		size_t len = zp_strlen(cfg->cmdline);
		if (len > bz->cmdline_size)
			return zp_diag_fail(diag, ZP_ECMDLINE,
					    "command line of %zu bytes exceeds cmdline_size %u",
					    len, bz->cmdline_size);
	}
	if (cfg->cmdline_addr == 0)
		return ZP_OK;
	if (bz->protocol < 0x202)
		return zp_diag_fail(diag, ZP_EPROTOCOL,
				    "cmd_line_ptr needs protocol 2.02, image has %u.%02u",
				    bz->protocol >> 8, bz->protocol & 0xff);
	bp->hdr.cmd_line_ptr = LOW32(cfg->cmdline_addr);
	bp->ext_cmd_line_ptr = HIGH32(cfg->cmdline_addr);
	return ZP_OK;
}

static int put_subarch(const struct zp_bzimage *bz, const struct zp_boot_config *cfg,
		       struct zp_boot_params *bp, struct zp_diag *diag)
{
	if (bz->protocol >= 0x207) {
		bp->hdr.hardware_subarch = cfg->hardware_subarch;
		bp->hdr.hardware_subarch_data = cfg->hardware_subarch_data;
		return ZP_OK;
	}
	if (cfg->hardware_subarch || cfg->hardware_subarch_data)
		return zp_diag_fail(diag, ZP_EPROTOCOL,
				    "hardware_subarch needs protocol 2.07, image has %u.%02u",
				    bz->protocol >> 8, bz->protocol & 0xff);
	return ZP_OK;
}

static void put_loader_fields(const struct zp_bzimage *bz, const struct zp_boot_config *cfg,
			      struct zp_boot_params *bp)
{
	bp->hdr.type_of_loader = cfg->type_of_loader ? cfg->type_of_loader : ZP_LOADER_UNDEFINED;
	bp->hdr.loadflags = (uint8_t)(bz->hdr.loadflags & ~ZP_QUIET_FLAG);
	if (bz->protocol >= 0x201) {	/* heap_end_ptr exists from 2.01 */
		bp->hdr.loadflags |= ZP_CAN_USE_HEAP;
		bp->hdr.heap_end_ptr = HEAP_END_PTR;
	}
	if (cfg->kernel_addr && cfg->kernel_addr <= UINT32_MAX)
		bp->hdr.code32_start = LOW32(cfg->kernel_addr);
	/* A loader that used min_alignment "should update the kernel_alignment
	 * field with the alignment unit desired" (boot.rst): the decompressor
	 * rounds its load address up to kernel_alignment before running. */
	if (bz->relocatable && bz->kernel_alignment &&
	    (cfg->kernel_addr & (bz->kernel_alignment - 1)) && bz->min_align < bz->kernel_alignment)
		bp->hdr.kernel_alignment = (uint32_t)bz->min_align;
	/* Written even without an initrd: the header copied from the image
	 * may carry stale ramdisk fields (the kernel would take an initrd
	 * nobody loaded; found by fuzz_shim_plan). */
	bp->hdr.ramdisk_image = LOW32(cfg->initrd_size ? cfg->initrd_addr : 0);
	bp->hdr.ramdisk_size = LOW32(cfg->initrd_size);
	bp->ext_ramdisk_image = HIGH32(cfg->initrd_size ? cfg->initrd_addr : 0);
	bp->ext_ramdisk_size = HIGH32(cfg->initrd_size);
	if (bz->protocol >= 0x20e)	/* older kernels do not read it */
		bp->acpi_rsdp_addr = cfg->rsdp_addr;
}

static int put_e820(const struct zp_bzimage *bz, const struct zp_boot_config *cfg,
		    struct node_writer *w, struct zp_diag *diag)
{
	uint32_t n = cfg->e820_count, in_page = n < ZP_E820_MAX_ZEROPAGE ? n : ZP_E820_MAX_ZEROPAGE;

	if (n && !cfg->e820)
		return zp_diag_fail(diag, ZP_EINVAL, "e820_count %u without entries", n);
	zp_memcpy(w->bp->e820_table, cfg->e820, in_page * sizeof(cfg->e820[0]));
	w->bp->e820_entries = (uint8_t)in_page;
	if (n == in_page)
		return ZP_OK;
	if (bz->protocol < 0x209)
		return zp_diag_fail(diag, ZP_ETOOMANY,
				    "%u e820 entries need SETUP_E820_EXT (protocol 2.09), image has %u.%02u",
				    n, bz->protocol >> 8, bz->protocol & 0xff);
	return add_node(w, ZP_SETUP_E820_EXT, cfg->e820 + in_page,
			(uint64_t)(n - in_page) * sizeof(cfg->e820[0]), diag);
}

static int put_rng_seed(const struct zp_bzimage *bz, const struct zp_boot_config *cfg,
			struct node_writer *w, struct zp_diag *diag)
{
	if (!cfg->rng_seed || !cfg->rng_seed_len)
		return ZP_OK;
	if (bz->protocol < 0x209)
		return zp_diag_fail(diag, ZP_EPROTOCOL,
				    "SETUP_RNG_SEED needs setup_data (protocol 2.09), image has %u.%02u",
				    bz->protocol >> 8, bz->protocol & 0xff);
	return add_node(w, ZP_SETUP_RNG_SEED, cfg->rng_seed, cfg->rng_seed_len, diag);
}

int zp_build_boot_params(const struct zp_bzimage *bz, const struct zp_boot_config *cfg,
			 struct zp_boot_params *bp, size_t *setup_data_len,
			 struct zp_diag *diag)
{
	struct node_writer w = { cfg, bp, 0, 0, false };
	int r;

	zp_diag_clear(diag);
	if (!bz || !cfg || !bp)
		return zp_diag_fail(diag, ZP_EINVAL, "missing image, config or boot_params");
	if (setup_data_len)
		*setup_data_len = 0;
	zp_memset(bp, 0, sizeof(*bp));
	zp_memcpy(&bp->hdr, &bz->hdr, bz->hdr_len);
	bp->hdr.setup_data = 0;	/* ours alone: the image's value means nothing here */
	put_loader_fields(bz, cfg, bp);
	r = put_cmdline(bz, cfg, bp, diag);
	if (!r)
		r = put_subarch(bz, cfg, bp, diag);
	if (!r)
		r = put_e820(bz, cfg, &w, diag);
	if (!r)
		r = put_rng_seed(bz, cfg, &w, diag);
	if (r)
		return r;
	if (setup_data_len)
		*setup_data_len = w.used;
	return ZP_OK;
}
