/* SPDX-License-Identifier: MIT */
/*
 * fuzz_start_info: what the PVH shim does with a start_info it was handed,
 * zp_pvh_parse and zp_start_info_to_boot_params, over a fuzzed window of
 * guest memory.  The kernel is a fixed synthetic bzImage, so every finding
 * is about the start_info side.
 *
 * Input: byte 0 = option bits (below), byte 1 = start_info offset in the
 * window / 8, the rest = guest memory at guest-physical WIN_PADDR.
 *
 * The same bytes are also a hypervisor's memory map (what Xen's
 * XENMEM_memory_map writes: packed 20-byte e820 entries), read by
 * zp_e820_from_hypervisor and handed to the translation as opts.hv_e820
 * (used when the start_info has no map of its own).  The buffer is the
 * whole window; the count is the entries that fit before the start_info
 * or, with OPT_HV_LIES, byte 1 itself (a count that may run over the
 * start_info and past the end of the buffer).
 */
#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include "fuzz.h"

#define WIN_PADDR	0x1000u
#define OPT_SUBARCH	0x01
#define OPT_ON_XEN	0x02
#define OPT_INITRD	0x04
#define OPT_RESERVE	0x08
#define OPT_SMALL_E820	0x10	/* scratch map smaller than the memmap can be */
#define OPT_SMALL_SD	0x20	/* setup_data buffer too small for E820_EXT */
#define OPT_OLD_KERNEL	0x40	/* protocol 2.06, cmdline_size 255 */
#define OPT_HV_LIES	0x80	/* hypervisor map count = byte 1, not what fits */

static uint8_t images[2][2048];
static struct zp_bzimage kernels[2];

static void put(uint8_t *img, size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

/* A minimal but complete bzImage: 1 setup sector, 1 KiB of protected-mode
 * code holding a kernel_info and an LZ4-magic payload. */
static void make_kernel(uint8_t *img, uint16_t version, uint32_t cmdline_size)
{
	memset(img, 0, 2048);
	put(img, 0x1f1, 1, 1);			/* setup_sects */
	put(img, 0x1f4, 1024 / 16, 4);		/* syssize */
	put(img, 0x1fe, ZP_BOOT_FLAG, 2);
	put(img, 0x200, 0x6aeb, 2);		/* jmp past the header: its length */
	put(img, 0x202, ZP_HDRS_MAGIC, 4);
	put(img, 0x206, version, 2);
	put(img, 0x211, ZP_LOADED_HIGH, 1);
	put(img, 0x214, 0x100000, 4);		/* code32_start */
	put(img, 0x22c, 0x7fffffff, 4);		/* initrd_addr_max */
	put(img, 0x230, 0x200000, 4);		/* kernel_alignment */
	put(img, 0x234, 1, 1);			/* relocatable */
	put(img, 0x235, 21, 1);			/* min_alignment */
	put(img, 0x238, cmdline_size, 4);
	if (version >= 0x0208) {
		put(img, 0x236, ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G, 2);
		put(img, 0x248, 0x200, 4);	/* payload_offset, from pm start */
		put(img, 0x24c, 64, 4);
		put(img, 0x258, 0x1000000, 8);	/* pref_address */
		put(img, 0x260, 0x2000000, 4);	/* init_size */
		put(img, 0x268, 0x100, 4);	/* kernel_info_offset */
		put(img, 1024 + 0x100, ZP_KERNEL_INFO_MAGIC, 4);
		put(img, 1024 + 0x104, 16, 4);
		put(img, 1024 + 0x108, 16, 4);
		put(img, 1024 + 0x10c, ZP_SETUP_RNG_SEED, 4);
		put(img, 1024 + 0x200, 0x184c2102, 4);	/* LZ4 legacy magic */
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_kernel(images[0], 0x020f, 2048);
	make_kernel(images[1], 0x0206, 255);
	for (int i = 0; i < 2; i++) {
		int rc = zp_probe_bzimage(images[i], sizeof(images[i]), &kernels[i]);
		if (rc) {	/* fuzzing against no kernel would prove nothing */
			fprintf(stderr, "fuzz_start_info: synthetic kernel %d: %s\n", i, zp_strerror(rc));
			abort();
		}
	}
	return 0;
}

static void check_parsed(const struct zp_guest_mem *mem, const struct zp_pvh_info *si)
{
	uint64_t end = mem->paddr + mem->size;
	FUZZ_CHECK(si->nr_modules <= ZP_PVH_MAX_MODULES);
	FUZZ_CHECK(si->memmap_entries <= ZP_PVH_MAX_MEMMAP);
	FUZZ_CHECK(si->cmdline_len <= ZP_PVH_MAX_CMDLINE);
	FUZZ_CHECK(si->blob_end <= end);
	/* Xen only appends fields: any version past 0 has the v1 layout. */
	FUZZ_CHECK(zp_guest_ptr(mem, si->paddr, si->version ? ZP_HVM_START_INFO_V1_SIZE
							: ZP_HVM_START_INFO_V0_SIZE));
	if (si->cmdline_paddr) {
		const char *c = zp_guest_ptr(mem, si->cmdline_paddr, si->cmdline_len + 1);
		FUZZ_CHECK(c && c[si->cmdline_len] == 0 && strlen(c) == si->cmdline_len);
	}
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct zp_pvh_module m;
		FUZZ_CHECK(zp_pvh_module(mem, si, i, &m) == 0);
		/* a module's bytes may lie anywhere (above 4 GiB too), never wrap */
		FUZZ_CHECK(m.size <= UINT64_MAX - m.paddr);
	}
	struct zp_pvh_module m;
	FUZZ_CHECK(zp_pvh_module(mem, si, si->nr_modules, &m) < 0);

	static struct zp_e820_entry small[8];
	struct zp_e820_map map = { small, 0, 8 };
	int rc = zp_pvh_memmap_to_e820(mem, si, &map);
	FUZZ_CHECK(rc <= 0 && map.count <= map.capacity);
	if (si->version == 0)
		FUZZ_CHECK(rc < 0);
}

/* Round trip: zp_build_start_info on what zp_pvh_parse read, placed in
 * guest memory just after the window (so module addresses still resolve),
 * must parse back to the same start_info.  Builder and parser are two
 * readings of one ABI; this keeps them from drifting apart. */
static void round_trip(const struct zp_guest_mem *mem, const struct zp_pvh_info *si)
{
	struct zp_pvh_module mods[ZP_PVH_MAX_MODULES];
	for (uint32_t i = 0; i < si->nr_modules; i++)
		FUZZ_CHECK(zp_pvh_module(mem, si, i, &mods[i]) == 0);
	uint64_t mm_len = (uint64_t)si->memmap_entries * sizeof(struct zp_hvm_memmap_table_entry);
	struct zp_pvh_config cfg = {
		.version = si->version ? 1 : 0, .flags = si->flags,
		.cmdline = si->cmdline_paddr ? zp_guest_ptr(mem, si->cmdline_paddr, 1) : NULL,
		.rsdp_paddr = si->rsdp_paddr, .modules = mods, .nr_modules = si->nr_modules,
		.memmap = si->memmap_entries ? zp_guest_ptr(mem, si->memmap_paddr, mm_len) : NULL,
		.memmap_entries = si->memmap_entries,
	};
	size_t at = (mem->size + 7) & ~(size_t)7;
	size_t cap = 0x40 + si->nr_modules * 32u + mm_len + si->cmdline_len + 1 + 16;
	uint8_t *buf = calloc(1, at + cap);
	FUZZ_CHECK(buf != NULL);
	memcpy(buf, mem->base, mem->size);
	size_t used = 0;
	FUZZ_CHECK(zp_build_start_info(&cfg, buf + at, cap, mem->paddr + at, &used) == 0);
	FUZZ_CHECK(used <= cap);

	struct zp_guest_mem m2 = { buf, mem->paddr, at + used };
	struct zp_pvh_info si2;
	struct zp_diag diag;
	FUZZ_CHECK(zp_pvh_parse(&m2, mem->paddr + at, &si2, &diag) == 0);
	FUZZ_CHECK(si2.flags == si->flags && si2.rsdp_paddr == si->rsdp_paddr);
	FUZZ_CHECK(si2.nr_modules == si->nr_modules && si2.memmap_entries == si->memmap_entries);
	FUZZ_CHECK(si2.cmdline_len == si->cmdline_len);
	if (si->cmdline_paddr)
		FUZZ_CHECK(!memcmp(zp_guest_ptr(&m2, si2.cmdline_paddr, si2.cmdline_len),
				   cfg.cmdline, si->cmdline_len));
	if (mm_len)
		FUZZ_CHECK(!memcmp(zp_guest_ptr(&m2, si2.memmap_paddr, mm_len), cfg.memmap, mm_len));
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct zp_pvh_module m;
		FUZZ_CHECK(zp_pvh_module(&m2, &si2, i, &m) == 0);
		FUZZ_CHECK(!memcmp(&m, &mods[i], sizeof(m)));
	}
	free(buf);
}

static void check_boot_params(const struct zp_boot_params *bp, const struct zp_bzimage *bz,
			      const struct zp_translate_opts *o, size_t sd_len)
{
	FUZZ_CHECK(bp->e820_entries <= ZP_E820_MAX_ZEROPAGE);
	FUZZ_CHECK(sd_len <= o->setup_data_cap);
	FUZZ_CHECK(bp->hdr.header == ZP_HDRS_MAGIC);
	/* Never a success with a command line the kernel would truncate. */
	if (o->cmdline) {
		FUZZ_CHECK(strlen(o->cmdline) <= bz->cmdline_size);
		FUZZ_CHECK((bp->hdr.cmd_line_ptr | (uint64_t)bp->ext_cmd_line_ptr << 32) ==
			   o->cmdline_addr);
	}
	if (o->handoff == ZP_HANDOFF_SUBARCH) {
		FUZZ_CHECK(bp->hdr.hardware_subarch == (o->on_xen ? ZP_SUBARCH_XEN : ZP_SUBARCH_PC));
		FUZZ_CHECK(bp->hdr.hardware_subarch_data == o->start_info_copy);
	}
	if (o->initrd_size)
		FUZZ_CHECK(bp->hdr.ramdisk_image == (uint32_t)o->initrd_addr &&
			   bp->hdr.ramdisk_size == (uint32_t)o->initrd_size);
	/* The map the kernel gets is Linux's own PVH form (translate.c): the
	 * loader's entries as given, in its order, then the ISA range and our
	 * reserved ranges; the kernel sorts it and resolves overlaps (the
	 * higher type wins).  No entry wraps past 2^64: Linux's sanitizer
	 * would reject such a map whole.  The ISA range is always there. */
	bool isa = false;
	for (unsigned i = 0; i < bp->e820_entries; i++) {
		const struct zp_e820_entry *e = &bp->e820_table[i];
		FUZZ_CHECK(e->size <= UINT64_MAX - e->addr);
		isa |= e->addr == 0xa0000 && e->size == 0x60000 && e->type == ZP_E820_RESERVED;
	}
	FUZZ_CHECK(isa || bp->e820_entries == ZP_E820_MAX_ZEROPAGE);
}

/* The window's bytes as a hypervisor's map: refused with a specific error,
 * or a sorted map of non-empty, non-wrapping entries with some RAM. */
static uint32_t check_hv_map(const uint8_t *buf, size_t len, uint32_t nr)
{
	static struct zp_e820_entry entries[ZP_HV_E820_MAX];
	struct zp_e820_map map = { entries, 0, ZP_HV_E820_MAX };
	struct zp_diag diag = { { 0 } };
	bool ram = false;
	int rc = zp_e820_from_hypervisor(buf, len, nr, &map, &diag);

	FUZZ_CHECK(rc <= 0 && memchr(diag.msg, 0, sizeof(diag.msg)));
	if (rc) {
		FUZZ_CHECK(map.count == 0 && diag.msg[0]);
		return nr;
	}
	FUZZ_CHECK(nr > 0 && (uint64_t)nr * 20 <= len && map.count <= nr);
	for (uint32_t i = 0; i < map.count; i++) {
		const struct zp_e820_entry *e = &entries[i];
		FUZZ_CHECK(e->size > 0 && e->size <= UINT64_MAX - e->addr);
		if (i)
			FUZZ_CHECK(entries[i - 1].addr <= e->addr);
		ram |= e->type == ZP_E820_RAM;
	}
	FUZZ_CHECK(ram);
	return nr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t opt = data[0];
	struct zp_guest_mem mem = { data + 2, WIN_PADDR, size - 2 };
	uint64_t si_paddr = WIN_PADDR + 8u * data[1];

	uint32_t hv_nr = check_hv_map(data + 2, size - 2,
				      (opt & OPT_HV_LIES) ? data[1] : 8u * data[1] / 20);
	struct zp_pvh_info si;
	struct zp_diag diag = { { 0 } };
	int rc = zp_pvh_parse(&mem, si_paddr, &si, &diag);
	FUZZ_CHECK(rc <= 0 && memchr(diag.msg, 0, sizeof(diag.msg)));
	if (rc)
		return 0;
	check_parsed(&mem, &si);
	round_trip(&mem, &si);

	static struct zp_e820_entry scratch[ZP_PVH_MAX_MEMMAP + 64];
	static uint8_t sd[32768];
	static const struct zp_e820_entry reserve = { 0xa0000, 0x60000, ZP_E820_RESERVED };
	const struct zp_bzimage *bz = &kernels[!!(opt & OPT_OLD_KERNEL)];
	struct zp_translate_opts o = {
		.handoff = (opt & OPT_SUBARCH) ? ZP_HANDOFF_SUBARCH : ZP_HANDOFF_NATIVE,
		.on_xen = !!(opt & OPT_ON_XEN),
		.start_info_copy = 0x9000,
		.kernel_addr = 0x1000000,
		.cmdline_addr = 0x20000,
		.initrd_addr = (opt & OPT_INITRD) ? 0x4000000 : 0,
		.initrd_size = (opt & OPT_INITRD) ? 0x100000 : 0,
		.extra_reserved = (opt & OPT_RESERVE) ? &reserve : NULL,
		.nr_extra_reserved = (opt & OPT_RESERVE) ? 1 : 0,
		.e820_scratch = scratch,
		.e820_scratch_cap = (opt & OPT_SMALL_E820) ? 16 : ZP_PVH_MAX_MEMMAP + 64,
		.setup_data_buf = sd,
		.setup_data_cap = (opt & OPT_SMALL_SD) ? 64 : sizeof(sd),
		.setup_data_addr = 0x30000,
		.hv_e820 = data + 2,		/* used only when the start_info has no map */
		.hv_e820_len = size - 2,
		.hv_e820_entries = hv_nr,
	};
	/* The shim hands the kernel the command line it was given. */
	if (si.cmdline_paddr)
		o.cmdline = zp_guest_ptr(&mem, si.cmdline_paddr, si.cmdline_len + 1);

	static struct zp_boot_params bp;
	size_t sd_len = (size_t)-1;
	memset(&diag, 0, sizeof(diag));
	rc = zp_start_info_to_boot_params(&mem, &si, bz, &o, &bp, &sd_len, &diag);
	FUZZ_CHECK(rc <= 0 && memchr(diag.msg, 0, sizeof(diag.msg)));
	if (rc == 0)
		check_boot_params(&bp, bz, &o, sd_len);
	return 0;
}
