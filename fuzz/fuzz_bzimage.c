/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bzimage: zp_probe_bzimage and zp_probe over arbitrary bytes, then the
 * zero-page builder and the layout check on whatever the probe accepted,
 * since a header the probe lets through is exactly what the builders trust;
 * and the EFI handover plan (what efi/handover.c jumps to) for both widths.
 */
#include <string.h>

#include <zeropage/zeropage.h>
#include "fuzz.h"

static void check_diag(const struct zp_diag *d)
{
	FUZZ_CHECK(memchr(d->msg, 0, sizeof(d->msg)) != NULL);
}

static void check_probed(const struct zp_bzimage *bz, const uint8_t *data, size_t size)
{
	FUZZ_CHECK(bz->image == data && bz->image_len == size);
	FUZZ_CHECK(bz->protocol >= 0x0200);
	FUZZ_CHECK(bz->hdr.boot_flag == ZP_BOOT_FLAG && bz->hdr.header == ZP_HDRS_MAGIC);
	FUZZ_CHECK(bz->setup_sects >= 1);
	FUZZ_CHECK(bz->setup_size == ((size_t)bz->setup_sects + 1) * ZP_SECTOR_SIZE);
	FUZZ_CHECK(bz->setup_size <= size);
	FUZZ_CHECK(bz->pm_offset <= size && bz->pm_size <= size - bz->pm_offset);
	if (bz->has_payload) {
		FUZZ_CHECK(bz->payload_offset <= size);
		FUZZ_CHECK(bz->payload_size <= size - bz->payload_offset);
		fuzz_touch(data + bz->payload_offset, bz->payload_size);
	}
	FUZZ_CHECK(memchr(bz->version, 0, sizeof(bz->version)) != NULL);
	FUZZ_CHECK(bz->entries <= (ZP_ENTRY_PVH << 1) - 1);
	for (uint32_t e = 1; e <= ZP_ENTRY_PVH; e <<= 1)
		if (bz->entries & e)
			FUZZ_CHECK(zp_entry_name((enum zp_entry)e) != NULL);
	FUZZ_CHECK(zp_compression_name(bz->compression) != NULL);
}

/* A fixed, sane loader configuration: the fuzzed part is the kernel header. */
static void build(const struct zp_bzimage *bz)
{
	static const struct zp_e820_entry e820[] = {
		{ 0, 0x9fc00, ZP_E820_RAM },
		{ 0xf0000, 0x10000, ZP_E820_RESERVED },
		{ 0x100000, 0x3ff00000, ZP_E820_RAM },
	};
	static const uint8_t seed[32] = { 1, 2, 3, 4 };
	static uint8_t sd[4096];
	struct zp_boot_config cfg = {
		.e820 = e820, .e820_count = 3,
		.cmdline = "console=ttyS0 quiet", .cmdline_addr = 0x20000,
		.initrd_addr = 0x8000000, .initrd_size = 0x100000,
		.rsdp_addr = 0xe0000, .kernel_addr = 0x1000000,
		.rng_seed = seed, .rng_seed_len = sizeof(seed),
		.setup_data_buf = sd, .setup_data_cap = sizeof(sd),
		.setup_data_addr = 0x30000,
	};
	struct zp_boot_params bp;
	struct zp_diag diag = { { 0 } };
	size_t sd_len = (size_t)-1;

	int rc = zp_build_boot_params(bz, &cfg, &bp, &sd_len, &diag);
	check_diag(&diag);
	FUZZ_CHECK(rc <= 0 && zp_strerror(rc) != NULL);
	if (rc == 0) {
		FUZZ_CHECK(sd_len <= sizeof(sd));
		FUZZ_CHECK(bp.e820_entries <= ZP_E820_MAX_ZEROPAGE);
		FUZZ_CHECK(bp.hdr.type_of_loader == ZP_LOADER_UNDEFINED);
		FUZZ_CHECK(strlen(cfg.cmdline) <= bz->cmdline_size);
	}

	struct zp_layout lay = {
		.kernel_addr = cfg.kernel_addr, .zero_page_addr = 0x10000,
		.cmdline_addr = cfg.cmdline_addr, .cmdline_len = strlen(cfg.cmdline),
		.initrd_addr = cfg.initrd_addr, .initrd_size = cfg.initrd_size,
		.setup_data_addr = cfg.setup_data_addr, .setup_data_len = rc == 0 ? sd_len : 0,
	};
	memset(&diag, 0, sizeof(diag));
	rc = zp_check_layout(bz, e820, 3, &lay, &diag);
	check_diag(&diag);
	FUZZ_CHECK(rc <= 0);
}

/* Whatever the header says, an accepted plan's entry lies inside the
 * protected-mode code the loader copies. */
static void handover(const struct zp_bzimage *bz)
{
	for (unsigned bits = 32; bits <= 64; bits += 32) {
		struct zp_handover_plan plan;
		struct zp_diag diag = { { 0 } };
		int rc = zp_efi_handover_plan(bz, bits, &plan, &diag);

		check_diag(&diag);
		FUZZ_CHECK(rc == ZP_OK || rc == ZP_EENTRY);
		if (rc == ZP_OK) {
			FUZZ_CHECK(plan.entry_offset < bz->pm_size);
			FUZZ_CHECK(bz->entries & (bits == 64 ? ZP_ENTRY_EFI64 : ZP_ENTRY_EFI32));
			FUZZ_CHECK(plan.initrd_max <= 0xffffffffull);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zp_bzimage bz;
	int rc = zp_probe_bzimage(data, size, &bz);
	FUZZ_CHECK(rc <= 0 && zp_strerror(rc) != NULL);
	if (rc == 0) {
		check_probed(&bz, data, size);
		build(&bz);
		handover(&bz);
	}

	/* zp_probe must agree with the specific probe on bzImages (an ELF
	 * magic wins: a polyglot file is read as the ELF it claims to be). */
	static struct zp_image img;
	int rc2 = zp_probe(data, size, &img);
	FUZZ_CHECK(rc2 <= 0);
	if (rc == 0 && !(size >= 4 && !memcmp(data, "\x7f" "ELF", 4)))
		FUZZ_CHECK(rc2 == 0 && img.format == ZP_FORMAT_BZIMAGE);
	if (rc2 == 0) {
		FUZZ_CHECK(img.format == ZP_FORMAT_BZIMAGE || img.format == ZP_FORMAT_ELF ||
			   img.format == ZP_FORMAT_UKI);
		fuzz_check_loaders(&img);
	}
	return 0;
}
