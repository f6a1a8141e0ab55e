/* SPDX-License-Identifier: MIT */
/*
 * fuzz_shim_plan: the PVH shim's whole decision, zp_shim_plan, from the
 * bundle descriptor and the loader's start_info to the registers it enters
 * the kernel with, over a fuzzed window of guest memory at paddr 0.
 *
 * Input (little-endian):
 *
 *   0x00 u8   option bits (OPT_* below)
 *   0x01 u8   window: (byte + 1) * 128 KiB of guest memory at paddr 0
 *   0x02 u16  hypervisor map entries (what Xen's XENMEM_memory_map says)
 *   0x04 u32  start_info paddr (%ebx at the PVH entry)
 *   0x08 u32  shim start (page aligned here); its buffers lie inside it
 *   0x0c u32  shim length (at least what its buffers need)
 *   0x10 u32  paddr of the hypervisor map's bytes in the window
 *   0x14 u8   KASLR entropy words (byte % 5), from the seed at 0x18
 *   0x18 u64  entropy seed
 *   0x20      the bundle descriptor, 0x80 bytes
 *   0xa0      records { u32 paddr; u16 len; u8 bytes[len]; }, copied into
 *             the window (clipped at its end): start_info, memmap, modlist,
 *             command lines, the kernel's bytes, whatever the fuzzer likes
 *
 * A built-in synthetic bzImage (OPT_KERNEL) is put at the descriptor's
 * image_paddr before the records, so the fuzzer need not carry a kernel;
 * OPT_FIX_DESC makes the descriptor agree with it.  The window ends where
 * its allocation ends, and every hand-over buffer is malloc'ed at exactly
 * its capacity, so ASan sees any read past guest memory and any write past
 * a buffer.
 *
 * Seeds: ZP_FUZZ_SEEDS=DIR fuzz_shim_plan BUNDLE... writes seeds into DIR,
 * each bundle loaded as a PVH loader loads it (its PT_LOADs at their
 * paddrs, the shim's own left out: only its footprint matters) with a
 * QEMU-like and a Xen-like start_info, plus seeds on the built-in kernels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zeropage/bundle.h>
#include "fuzz.h"
#include "../tests/synth.h"

#define KIB		1024u
#define MIB		(1024u * 1024)
#define GIB4		(1ull << 32)
#define WIN_UNIT	(128 * KIB)
#define WIN_MAX		(256 * WIN_UNIT)	/* 32 MiB */
#define HDR_DESC	0x20
#define HDR_RECORDS	(HDR_DESC + 0x80)
#define MAX_RECORDS	512
#define HV_BUF		(ZP_HV_E820_MAX * sizeof(struct zp_e820_entry))	/* the shim's xen_map */

#define OPT_ON_XEN	0x01
#define OPT_HV_MAP	0x02	/* the hypercall gave a map (else it failed, on Xen) */
#define OPT_KERNEL_SHIFT 2	/* 0x0c: built-in kernel 0 (none) .. 3 */
#define OPT_FIX_DESC	0x10	/* descriptor made consistent with the built-in kernel */
#define OPT_SMALL	0x20	/* small hand-over buffers */
#define OPT_HV_SHORT	0x40	/* hypervisor buffer only entries * 20 bytes long */
#define OPT_LOW_BUFS	0x80	/* hand-over buffers at low addresses, not in the shim */

/* The shim's .bss layout (shim/main.c), relative to the shim's start. */
#define AT_ZERO_PAGE	0x10000u
#define AT_CMDLINE	0x11000u
#define AT_SETUP_DATA	0x12000u
#define AT_PRESERVE	0x18000u
#define SHIM_MIN_LEN	0x28000u

struct bufs {
	struct zp_boot_params *zero_page;
	char *cmdline;
	uint32_t cmdline_cap;
	uint8_t *setup_data;
	size_t setup_data_cap;
	uint8_t *preserve;
	size_t preserve_cap;
	struct zp_e820_entry *ram, *scratch;
	uint32_t e820_cap;
};

/* As in shim/main.c, and a small set that runs out. */
static struct bufs normal_bufs = { NULL, NULL, 4096, NULL, 24 * KIB, NULL, 64 * KIB,
				   NULL, NULL, ZP_PVH_MAX_MEMMAP + 16 };
static struct bufs small_bufs = { NULL, NULL, 256, NULL, 64, NULL, 512, NULL, NULL, 8 };

static uint8_t *window;			/* WIN_MAX bytes; a run's window is its tail */
static uint8_t *hv_buf;			/* HV_BUF bytes */
static struct { uint8_t *p; size_t n; } dirty[MAX_RECORDS + 2];
static unsigned ndirty;

/* Built-in kernels, index 1..3 (0: none). */
struct kernel {
	uint8_t *img;
	size_t len, setup_size;
};
static struct kernel kernels[4];

static const uint8_t lz4_payload[] = { 0x02, 0x21, 0x4c, 0x18, 1, 2, 3, 4, 5, 6, 7, 8 };

static void make_kernels(void)
{
	static const struct synth_bzimage_opts opts[4] = {
		[1] = { .protocol = 0x20f, .xloadflags = ZP_XLF_KERNEL_64 | ZP_XLF_CAN_BE_LOADED_ABOVE_4G,
			.payload = lz4_payload, .payload_len = sizeof(lz4_payload),
			.version = "6.99-fuzz", .pref_address = 0x400000, .init_size = 0x800000,
			.relocatable = true, .kernel_info = true },
		/* not relocatable, no 64-bit entry: runs at 1 MiB only */
		[2] = { .protocol = 0x206, .version = "2.6.32-fuzz", .cmdline_size = 255 },
		/* 64-bit, initrd below 4 GiB only, short command lines */
		[3] = { .protocol = 0x20c, .xloadflags = ZP_XLF_KERNEL_64,
			.payload = lz4_payload, .payload_len = sizeof(lz4_payload),
			.pref_address = 0x1000000, .relocatable = true, .cmdline_size = 511,
			.setup_sects = 1 },
	};
	for (int i = 1; i < 4; i++) {
		struct zp_bzimage bz;
		kernels[i].img = synth_bzimage(&opts[i], &kernels[i].len);
		if (zp_probe_bzimage(kernels[i].img, kernels[i].len, &bz)) {
			fprintf(stderr, "fuzz_shim_plan: built-in kernel %d does not probe\n", i);
			abort();
		}
		kernels[i].setup_size = bz.setup_size;
	}
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		abort();
	return p;
}

static void alloc_bufs(struct bufs *b)
{
	b->zero_page = xmalloc(sizeof(*b->zero_page));
	b->cmdline = xmalloc(b->cmdline_cap);
	b->setup_data = xmalloc(b->setup_data_cap);
	b->preserve = xmalloc(b->preserve_cap);
	b->ram = xmalloc(b->e820_cap * sizeof(*b->ram));
	b->scratch = xmalloc(b->e820_cap * sizeof(*b->scratch));
}

/* What the shim's .bss holds at the entry: zeros.  The command line is
 * poisoned instead, so its NUL must be the plan's. */
static void reset_bufs(struct bufs *b)
{
	memset(b->zero_page, 0, sizeof(*b->zero_page));
	memset(b->cmdline, 0xa5, b->cmdline_cap);
	memset(b->setup_data, 0, b->setup_data_cap);
	memset(b->preserve, 0, b->preserve_cap);
	memset(b->ram, 0, b->e820_cap * sizeof(*b->ram));
	memset(b->scratch, 0, b->e820_cap * sizeof(*b->scratch));
}

static void write_seeds(const char *dir, int argc, char **argv);
static bool verbose;	/* ZP_FUZZ_VERBOSE: each run's verdict, to triage seeds */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	make_kernels();
	window = calloc(1, WIN_MAX);
	hv_buf = calloc(1, HV_BUF);
	if (!window || !hv_buf)
		abort();
	alloc_bufs(&normal_bufs);
	alloc_bufs(&small_bufs);
	verbose = getenv("ZP_FUZZ_VERBOSE") != NULL;
	if (getenv("ZP_FUZZ_SEEDS")) {
		write_seeds(getenv("ZP_FUZZ_SEEDS"), *argc, *argv);
		exit(0);
	}
	return 0;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t le64(const uint8_t *p)
{
	return fuzz_le32(p) | (uint64_t)fuzz_le32(p + 4) << 32;
}

static void put(uint8_t *base, size_t size, uint64_t paddr, const void *src, size_t n)
{
	if (paddr >= size || ndirty == sizeof(dirty) / sizeof(dirty[0]))
		return;
	if (n > size - paddr)
		n = (size_t)(size - paddr);
	memcpy(base + paddr, src, n);
	dirty[ndirty].p = base + paddr;
	dirty[ndirty++].n = n;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The copy the subarch handoff points the kernel at must be a start_info
 * of its own: it parses where it was put, and says what the loader's did. */
static void check_preserved(const struct zp_guest_mem *mem, const struct zp_shim_input *in,
			    const struct zp_shim_plan *plan)
{
	const struct zp_pvh_info *si = &plan->si;
	uint64_t len = plan->preserved_size < in->preserve_cap ? plan->preserved_size
							      : in->preserve_cap;
	struct zp_guest_mem copy = { in->preserve, in->preserve_addr, len };
	struct zp_pvh_info c;
	struct zp_diag diag;

	FUZZ_CHECK(plan->preserved_addr == in->preserve_addr && plan->preserved_size);
	FUZZ_CHECK(zp_pvh_parse(&copy, plan->preserved_addr, &c, &diag) == 0);
	FUZZ_CHECK(c.flags == si->flags && c.rsdp_paddr == si->rsdp_paddr);
	FUZZ_CHECK(c.nr_modules == si->nr_modules && c.cmdline_len == si->cmdline_len);
	FUZZ_CHECK(!c.cmdline_paddr == !si->cmdline_paddr);
	if (si->cmdline_paddr)
		FUZZ_CHECK(!memcmp(zp_guest_ptr(&copy, c.cmdline_paddr, c.cmdline_len + 1),
				   zp_guest_ptr(mem, si->cmdline_paddr, si->cmdline_len + 1),
				   si->cmdline_len + 1));
	if (si->version >= 1) {
		uint64_t n = (uint64_t)si->memmap_entries * sizeof(struct zp_hvm_memmap_table_entry);
		FUZZ_CHECK(c.memmap_entries == si->memmap_entries);
		if (n)
			FUZZ_CHECK(!memcmp(zp_guest_ptr(&copy, c.memmap_paddr, n),
					   zp_guest_ptr(mem, si->memmap_paddr, n), n));
	}
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct zp_pvh_module a, b;
		FUZZ_CHECK(zp_pvh_module(mem, si, i, &a) == 0 && zp_pvh_module(&copy, &c, i, &b) == 0);
		FUZZ_CHECK(a.paddr == b.paddr && a.size == b.size && !a.cmdline_paddr == !b.cmdline_paddr);
		if (a.cmdline_paddr) {
			const char *sa = zp_guest_ptr(mem, a.cmdline_paddr, 1);
			const char *sb = zp_guest_ptr(&copy, b.cmdline_paddr, 1);
			size_t na = strnlen(sa, mem->size - (a.cmdline_paddr - mem->paddr));
			FUZZ_CHECK(sb && zp_guest_ptr(&copy, b.cmdline_paddr, na + 1) &&
				   !memcmp(sa, sb, na + 1));
		}
	}
}

static void check_plan(const struct zp_guest_mem *mem, const struct zp_shim_input *in,
		       const struct zp_bundle_desc *d, const struct zp_shim_plan *plan)
{
	const struct zp_boot_params *bp = in->zero_page;
	uint64_t k = plan->kernel_addr, span = d->kernel_span;
	const void *image = zp_guest_ptr(mem, d->image_paddr, d->image_loaded);
	struct zp_bzimage bz;

	/* The kernel's header, as the plan read it. */
	FUZZ_CHECK(image && zp_probe_bzimage_header(image, d->image_loaded, &bz) == 0);

	FUZZ_CHECK(plan->entry == d->entry && plan->zero_page_addr == in->zero_page_addr);
	FUZZ_CHECK(k < GIB4 && span <= GIB4 - k);
	FUZZ_CHECK(plan->entry_addr >= k && plan->entry_addr - k < span);
	/* The kernel runs where it was bundled, or the shim moves it there. */
	FUZZ_CHECK(k == d->kernel_addr || (plan->move_len && plan->move_from == d->kernel_addr));
	if (plan->move_len)	/* the shim's memmove must not overwrite the shim */
		FUZZ_CHECK(!overlaps(k, plan->move_len, in->shim_start,
				     in->shim_end - in->shim_start));

	/* The zero page: what the plan says, and the map Linux's PVH entry
	 * would build (the loader's entries, the ISA range, the copy). */
	FUZZ_CHECK(bp->hdr.header == ZP_HDRS_MAGIC);
	FUZZ_CHECK(bp->e820_entries <= ZP_E820_MAX_ZEROPAGE && bp->e820_entries == plan->e820_entries);
	{
		uint64_t total = (uint64_t)plan->memmap_entries + 1 + (plan->preserved_size ? 1 : 0);
		FUZZ_CHECK(plan->e820_entries == (total < ZP_E820_MAX_ZEROPAGE ? total
								     : ZP_E820_MAX_ZEROPAGE));
	}

	/* The command line: NUL-terminated within the buffer, of the plan's
	 * length, where the zero page says. */
	FUZZ_CHECK(plan->cmdline_len < in->cmdline_cap);
	FUZZ_CHECK(in->cmdline[plan->cmdline_len] == '\0');
	FUZZ_CHECK(strlen(in->cmdline) <= plan->cmdline_len);
	FUZZ_CHECK((bp->hdr.cmd_line_ptr | (uint64_t)bp->ext_cmd_line_ptr << 32) == in->cmdline_addr);
	if (d->cmdline_len == 0 && !plan->si.cmdline_paddr)
		FUZZ_CHECK(plan->cmdline_len == (plan->console_added ? strlen(plan->console_added) : 0));
	/* On Xen, what the plan says it added ends the line (console=hvc0,
	 * on dom0 xen_console_io=1); elsewhere nothing is added. */
	FUZZ_CHECK(!plan->console_added || in->on_xen);
	FUZZ_CHECK(!plan->console_added || !plan->console_skipped);
	if (plan->console_added) {
		const char *a = plan->console_added;
		FUZZ_CHECK(a >= in->cmdline && a < in->cmdline + plan->cmdline_len);
		FUZZ_CHECK(a + strlen(a) == in->cmdline + plan->cmdline_len);
		FUZZ_CHECK(!strcmp(a, ZP_SHIM_XEN_CONSOLE) || !strcmp(a, ZP_SHIM_XEN_DOM0_CONSOLE_IO) ||
			   !strcmp(a, ZP_SHIM_XEN_CONSOLE " " ZP_SHIM_XEN_DOM0_CONSOLE_IO));
		FUZZ_CHECK(!strstr(a, "xen_console_io") || (plan->si.flags & ZP_HVM_SIF_INITDOMAIN));
	}

	/* The initrd the zero page names is the plan's. */
	FUZZ_CHECK((bp->hdr.ramdisk_image | (uint64_t)bp->ext_ramdisk_image << 32) ==
		   (plan->initrd_size ? plan->initrd_addr : 0));
	FUZZ_CHECK((bp->hdr.ramdisk_size | (uint64_t)bp->ext_ramdisk_size << 32) == plan->initrd_size);
	FUZZ_CHECK(plan->initrd_from_module == (plan->si.nr_modules != 0));

	/* Nothing the kernel is handed lies in its room. */
	FUZZ_CHECK(!overlaps(k, span, in->zero_page_addr, sizeof(struct zp_boot_params)));
	FUZZ_CHECK(!overlaps(k, span, in->cmdline_addr, plan->cmdline_len + 1));
	FUZZ_CHECK(!overlaps(k, span, plan->initrd_addr, plan->initrd_size));
	FUZZ_CHECK(!overlaps(k, span, plan->preserved_addr, plan->preserved_size));

	if (d->handoff == ZP_HANDOFF_SUBARCH) {
		FUZZ_CHECK(bp->hdr.hardware_subarch == (in->on_xen ? ZP_SUBARCH_XEN : ZP_SUBARCH_PC));
		FUZZ_CHECK(bp->hdr.hardware_subarch_data == plan->preserved_addr);
		check_preserved(mem, in, plan);
		/* The copy is reserved in what the kernel is told: the map's
		 * last entry (when the zero page holds them all). */
		if (plan->memmap_entries + 2 <= ZP_E820_MAX_ZEROPAGE) {
			const struct zp_e820_entry *e = &bp->e820_table[bp->e820_entries - 1];
			FUZZ_CHECK(e->addr == plan->preserved_addr && e->size == plan->preserved_size &&
				   e->type == ZP_E820_RESERVED);
		}
	} else {	/* hardware_subarch is a field from protocol 2.07 on */
		FUZZ_CHECK(plan->preserved_size == 0);
		FUZZ_CHECK(bz.protocol < 0x207 || bp->hdr.hardware_subarch == ZP_SUBARCH_PC);
	}
	/* KASLR (vmlinux entry): a 2 MiB-aligned base clear of all that is
	 * still needed, the relocation table included (read after the move). */
	FUZZ_CHECK(!plan->kaslr || d->entry == ZP_BUNDLE_ENTRY_VMLINUX);
	FUZZ_CHECK(!plan->kaslr || !(d->flags & ZP_BUNDLE_KASLR_OFF));
	if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX && (d->flags & ZP_BUNDLE_KASLR_REQUIRE))
		FUZZ_CHECK(plan->kaslr);
	if (plan->kaslr) {
		FUZZ_CHECK((k & 0x1fffff) == 0);
		/* what it copies: the segments' contents, kernel_loaded (all
		 * of the room when the descriptor does not say) */
		uint64_t loaded = d->kernel_loaded && d->kernel_loaded <= span ? d->kernel_loaded
									       : span;
		FUZZ_CHECK(plan->move_len == (k != d->kernel_addr ? loaded : 0));
		FUZZ_CHECK(!overlaps(k, span, in->shim_start, in->shim_end - in->shim_start));
		FUZZ_CHECK(!overlaps(k, span, d->relocs_paddr, d->relocs_size));
		FUZZ_CHECK(!overlaps(k, span, d->image_paddr, d->image_loaded));
		FUZZ_CHECK(!overlaps(k, span, plan->si.paddr, ZP_HVM_START_INFO_V1_SIZE));
		FUZZ_CHECK(bp->hdr.loadflags & ZP_KASLR_FLAG);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HDR_RECORDS)
		return 0;
	for (unsigned i = 0; i < ndirty; i++)	/* last run's bytes, gone */
		memset(dirty[i].p, 0, dirty[i].n);
	ndirty = 0;

	uint8_t opt = data[0];
	size_t win = (size_t)(data[1] + 1) * WIN_UNIT;
	struct zp_guest_mem mem = { window + WIN_MAX - win, 0, win };
	uint8_t *base = window + WIN_MAX - win;
	struct zp_bundle_desc d;
	memcpy(&d, data + HDR_DESC, sizeof(d));

	/* The built-in kernel, at the descriptor's image_paddr. */
	const struct kernel *kern = &kernels[(opt >> OPT_KERNEL_SHIFT) & 3];
	if (kern->img && (opt & OPT_FIX_DESC)) {
		d.magic = ZP_BUNDLE_MAGIC;
		d.version = ZP_BUNDLE_VERSION;
		d.size = sizeof(d);
		d.image_size = kern->len;
		d.image_loaded = d.entry == ZP_BUNDLE_ENTRY_VMLINUX ? kern->setup_size : kern->len;
		if (d.entry != ZP_BUNDLE_ENTRY_VMLINUX)
			d.kernel_addr = d.image_paddr + kern->setup_size;
	}
	if (kern->img)
		put(base, win, d.image_paddr, kern->img,
		    d.entry == ZP_BUNDLE_ENTRY_VMLINUX && (opt & OPT_FIX_DESC) ? kern->setup_size
									    : kern->len);

	/* The records, over it. */
	const uint8_t *p = data + HDR_RECORDS, *end = data + size;
	for (unsigned n = 0; n < MAX_RECORDS && end - p >= 6; n++) {
		uint32_t paddr = fuzz_le32(p);
		size_t len = le16(p + 4);
		p += 6;
		if (len > (size_t)(end - p))
			len = (size_t)(end - p);
		put(base, win, paddr, p, len);
		p += len;
	}

	const struct bufs *b = (opt & OPT_SMALL) ? &small_bufs : &normal_bufs;
	reset_bufs((struct bufs *)b);
	uint64_t shim = fuzz_le32(data + 8) & ~0xfffull;
	uint64_t shim_len = fuzz_le32(data + 12);
	uint64_t at = (opt & OPT_LOW_BUFS) ? 0x10000 - AT_ZERO_PAGE : shim;
	uint64_t ent[4];
	for (unsigned i = 0; i < 4; i++)
		ent[i] = mix(le64(data + 0x18) + i);

	struct zp_shim_input in = {
		.mem = &mem, .desc = &d, .start_info = fuzz_le32(data + 4),
		.on_xen = !!(opt & OPT_ON_XEN),
		.shim_start = shim, .shim_end = shim + (shim_len < SHIM_MIN_LEN ? SHIM_MIN_LEN : shim_len),
		.zero_page = b->zero_page, .zero_page_addr = at + AT_ZERO_PAGE,
		.cmdline = b->cmdline, .cmdline_addr = at + AT_CMDLINE, .cmdline_cap = b->cmdline_cap,
		.setup_data = b->setup_data, .setup_data_addr = at + AT_SETUP_DATA,
		.setup_data_cap = b->setup_data_cap,
		.preserve = b->preserve, .preserve_addr = at + AT_PRESERVE,
		.preserve_cap = b->preserve_cap,
		.ram_entries = b->ram, .scratch_entries = b->scratch, .e820_cap = b->e820_cap,
		.entropy = ent, .nentropy = data[0x14] % 5,
	};
	if (opt & OPT_HV_MAP) {
		/* The shim's buffer, or one just the entries long: the map's
		 * bytes at its end, so a read past them is ASan's. */
		uint32_t nr = le16(data + 2);
		size_t len = (opt & OPT_HV_SHORT) ? (size_t)nr * 20 : HV_BUF;
		uint64_t from = fuzz_le32(data + 16);
		if (len > HV_BUF)
			len = HV_BUF;
		uint8_t *hv = hv_buf + HV_BUF - len;
		memset(hv, 0, len);
		if (from < win)
			memcpy(hv, base + from, len < win - from ? len : (size_t)(win - from));
		in.hv_e820 = hv;
		in.hv_e820_len = len;
		in.hv_e820_entries = nr;
	} else if (in.on_xen) {
		in.hv_error = -22;
	}

	struct zp_shim_plan plan;
	struct zp_diag diag;
	memset(&diag, 0x5a, sizeof(diag));
	int rc = zp_shim_plan(&in, &plan, &diag);
	if (verbose)
		fprintf(stderr, "zp_shim_plan: %d %s; entry 0x%llx kernel 0x%llx move 0x%llx "
			"initrd 0x%llx+0x%llx e820 %u cmdline %u\n", rc, rc ? diag.msg : "ok",
			(unsigned long long)plan.entry_addr, (unsigned long long)plan.kernel_addr,
			(unsigned long long)plan.move_len, (unsigned long long)plan.initrd_addr,
			(unsigned long long)plan.initrd_size, plan.e820_entries, plan.cmdline_len);
	FUZZ_CHECK(rc <= 0 && memchr(diag.msg, 0, sizeof(diag.msg)));
	if (rc) {
		FUZZ_CHECK(diag.msg[0] != '\0');	/* a refusal always says why */
		return 0;
	}
	check_plan(&mem, &in, &d, &plan);
	return 0;
}

/* ---- seeds ---- */

struct seed {
	uint8_t b[256 * KIB];
	size_t len;
};

static void seed_hdr(struct seed *s, uint8_t opt, size_t win, uint16_t hv_nr, uint32_t si,
		     uint32_t shim, uint32_t shim_len, uint32_t hv_at, const struct zp_bundle_desc *d)
{
	memset(s->b, 0, HDR_RECORDS);
	s->b[0] = opt;
	s->b[1] = (uint8_t)(win > WIN_MAX ? 255 : (win + WIN_UNIT - 1) / WIN_UNIT - 1);
	memcpy(s->b + 2, &hv_nr, 2);
	memcpy(s->b + 4, &si, 4);
	memcpy(s->b + 8, &shim, 4);
	memcpy(s->b + 12, &shim_len, 4);
	memcpy(s->b + 16, &hv_at, 4);
	s->b[0x14] = 4;
	memcpy(s->b + 0x18, "zeropage", 8);
	memcpy(s->b + HDR_DESC, d, sizeof(*d));
	s->len = HDR_RECORDS;
}

static void seed_rec(struct seed *s, uint32_t paddr, const void *src, size_t n)
{
	const uint8_t *q = src;

	while (n && !q[n - 1])	/* the window starts zeroed */
		n--;
	while (n) {
		size_t k = n < 0xffff ? n : 0xffff;
		uint16_t k16 = (uint16_t)k;
		if (s->len + 6 + k > sizeof(s->b))
			abort();
		memcpy(s->b + s->len, &paddr, 4);
		memcpy(s->b + s->len + 4, &k16, 2);
		memcpy(s->b + s->len + 6, q, k);
		s->len += 6 + k;
		paddr += (uint32_t)k;
		q += k;
		n -= k;
	}
}

static void seed_write(const char *dir, const char *name, const struct seed *s)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s->b, 1, s->len, f) != s->len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A loader's start_info, modlist, memmap and command lines, as QEMU's
 * pvh.bin lays them out in its option ROM (the ISA hole; the command line
 * at 0x20000, where QEMU's fw_cfg puts it), or as Xen's PVH dom0 builder
 * does: a v0 start_info, the map only from XENMEM_memory_map. */
#define SI_AT		0xcb000u
#define SI_CMDLINE	0x20000u
#define GUEST_RAM	(512ull * MIB)

static void seed_start_info(struct seed *s, uint32_t version, const char *cmdline,
			    bool module, bool xen_map)
{
	struct zp_hvm_start_info si = { ZP_HVM_START_MAGIC, version, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct zp_hvm_modlist_entry mod = { GUEST_RAM - MIB, 0x10000, SI_AT + 0x100, 0 };
	struct zp_hvm_memmap_table_entry mm[2] = {
		{ 0, GUEST_RAM, ZP_HVM_MEMMAP_RAM, 0 },
		{ 0xfeffc000, 0x4000, ZP_HVM_MEMMAP_RESERVED, 0 },
	};

	if (cmdline) {
		si.cmdline_paddr = SI_CMDLINE;
		seed_rec(s, SI_CMDLINE, cmdline, strlen(cmdline) + 1);
	}
	if (module) {
		si.nr_modules = 1;
		si.modlist_paddr = SI_AT + 0x40;
		seed_rec(s, SI_AT + 0x40, &mod, sizeof(mod));
		seed_rec(s, SI_AT + 0x100, "initrd", 7);
	}
	if (version >= 1 && !xen_map) {
		si.memmap_paddr = SI_AT + 0x200;
		si.memmap_entries = 2;
		seed_rec(s, SI_AT + 0x200, mm, sizeof(mm));
	}
	if (xen_map) {	/* XENMEM_memory_map's packed e820, at 0x8000 */
		struct zp_e820_entry e[3] = {
			{ 0, 0x9fc00, ZP_E820_RAM },
			{ 0x100000, GUEST_RAM - 0x100000, ZP_E820_RAM },
			{ 0xfee00000, 0x1000, ZP_E820_RESERVED },
		};
		seed_rec(s, 0x8000, e, sizeof(e));
	}
	seed_rec(s, SI_AT, &si, version ? ZP_HVM_START_INFO_V1_SIZE : ZP_HVM_START_INFO_V0_SIZE);
}

/* A bundle as a PVH loader leaves it: every PT_LOAD but the shim's at its
 * paddr.  Returns the descriptor and the shim's footprint. */
static bool load_bundle(const uint8_t *f, size_t len, struct zp_bundle_desc *d,
			uint32_t *shim, uint32_t *shim_len, uint64_t *top)
{
	static struct zp_elf elf;
	const struct zp_elf_note *n;
	uint64_t s0 = UINT64_MAX, s1 = 0;

	if (zp_probe_elf(f, len, &elf) || !(n = zp_elf_find_note(&elf, ZP_NOTE_NAME, ZP_NOTE_BUNDLE)))
		return false;
	*top = 0;
	memset(d, 0, sizeof(*d));
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *g = &elf.segments[i];
		bool is_shim = (elf.pvh_entry >= g->paddr && elf.pvh_entry < g->paddr + g->memsz) ||
			       (n->value >= g->paddr && n->value < g->paddr + g->memsz);
		if (g->type != ZP_PT_LOAD || g->offset + g->filesz > len)
			continue;
		if (is_shim) {
			if (g->paddr < s0)
				s0 = g->paddr;
			if (g->paddr + g->memsz > s1)
				s1 = g->paddr + g->memsz;
			if (n->value >= g->paddr && n->value + sizeof(*d) <= g->paddr + g->filesz)
				memcpy(d, f + g->offset + (n->value - g->paddr), sizeof(*d));
			continue;
		}
		if (g->filesz && g->paddr + g->filesz > *top)
			*top = g->paddr + g->filesz;
	}
	*shim = (uint32_t)s0;
	*shim_len = (uint32_t)(s1 - s0);
	return d->magic == ZP_BUNDLE_MAGIC && d->entry;
}

static void add_pieces(struct seed *s, const uint8_t *f, size_t len)
{
	static struct zp_elf elf;
	const struct zp_elf_note *n;

	if (zp_probe_elf(f, len, &elf) || !(n = zp_elf_find_note(&elf, ZP_NOTE_NAME, ZP_NOTE_BUNDLE)))
		return;
	for (unsigned i = 0; i < elf.nsegments; i++) {
		const struct zp_elf_segment *g = &elf.segments[i];
		bool is_shim = (elf.pvh_entry >= g->paddr && elf.pvh_entry < g->paddr + g->memsz) ||
			       (n->value >= g->paddr && n->value < g->paddr + g->memsz);
		if (g->type == ZP_PT_LOAD && !is_shim && g->offset + g->filesz <= len)
			seed_rec(s, (uint32_t)g->paddr, f + g->offset, g->filesz);
	}
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void write_seeds(const char *dir, int argc, char **argv)
{
	static struct seed s;
	char name[512];

	for (int i = 1; i < argc; i++) {
		size_t len = 0;
		uint8_t *f = read_file(argv[i], &len);
		struct zp_bundle_desc d;
		uint32_t shim, shim_len;
		uint64_t top;
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

		if (!f || !load_bundle(f, len, &d, &shim, &shim_len, &top)) {
			free(f);
			continue;	/* not a bundle, or the bare shim */
		}
		size_t win = top > MIB ? (size_t)top : MIB;
		/* QEMU -kernel BUNDLE -append ...: no initrd, native handoff. */
		seed_hdr(&s, 0, win, 0, SI_AT, shim, shim_len, 0, &d);
		add_pieces(&s, f, len);
		seed_start_info(&s, 1, "console=ttyS0 earlyprintk=serial", false, false);
		snprintf(name, sizeof(name), "%s-qemu", base);
		seed_write(dir, name, &s);
		/* QEMU -initrd, subarch handoff: module 0, the start_info copy. */
		uint32_t handoff = d.handoff;
		d.handoff = ZP_HANDOFF_SUBARCH;
		seed_hdr(&s, 0, win, 0, SI_AT, shim, shim_len, 0, &d);
		add_pieces(&s, f, len);
		seed_start_info(&s, 1, "console=ttyS0", true, false);
		snprintf(name, sizeof(name), "%s-qemu-initrd-subarch", base);
		seed_write(dir, name, &s);
		/* Xen PVH: a v0 start_info, the map from the hypercall. */
		d.handoff = handoff;
		seed_hdr(&s, OPT_ON_XEN | OPT_HV_MAP, win, 3, SI_AT, shim, shim_len, 0x8000, &d);
		add_pieces(&s, f, len);
		seed_start_info(&s, 0, "console=hvc0", false, true);
		snprintf(name, sizeof(name), "%s-xen-v0", base);
		seed_write(dir, name, &s);
		free(f);
	}

	/* The built-in kernels, bundled low. */
	struct zp_bundle_desc d = { .magic = ZP_BUNDLE_MAGIC, .version = ZP_BUNDLE_VERSION,
				    .size = sizeof(d), .entry = ZP_BUNDLE_ENTRY_64 };
	/* 1: relocatable at 4 MiB, a bundled command line and initrd */
	d.image_paddr = 0x400000 - kernels[1].setup_size;
	d.kernel_span = 0x800000;
	d.cmdline_paddr = 0x140000;
	d.cmdline_len = 5;
	d.initrd_paddr = 0x200000;
	d.initrd_size = 0x1000;
	seed_hdr(&s, OPT_FIX_DESC | 1 << OPT_KERNEL_SHIFT, 5 * MIB, 0, SI_AT, 0x100000, 0x3f000, 0, &d);
	seed_rec(&s, 0x140000, "quiet", 6);
	seed_start_info(&s, 1, "console=ttyS0", false, false);
	seed_write(dir, "builtin1-64-cmdline-initrd", &s);
	/* 2: not relocatable, entry 32: the shim moves it to 1 MiB; 2.06 has
	 * no hardware_subarch, so the native handoff */
	d = (struct zp_bundle_desc){ .magic = ZP_BUNDLE_MAGIC, .version = ZP_BUNDLE_VERSION,
				     .size = sizeof(d), .entry = ZP_BUNDLE_ENTRY_32 };
	d.image_paddr = 0x300000;
	d.kernel_span = 0x100000;
	seed_hdr(&s, OPT_FIX_DESC | 2 << OPT_KERNEL_SHIFT, 4 * MIB, 0, SI_AT, 0x200000, 0x3f000, 0, &d);
	seed_start_info(&s, 1, "console=ttyS0", true, false);
	seed_write(dir, "builtin2-32-moved", &s);
	/* 3: the vmlinux entry, with a KASLR relocation table */
	d = (struct zp_bundle_desc){ .magic = ZP_BUNDLE_MAGIC, .version = ZP_BUNDLE_VERSION,
				     .size = sizeof(d), .entry = ZP_BUNDLE_ENTRY_VMLINUX };
	d.image_paddr = 0x140000;
	d.kernel_addr = 0x1000000;
	d.kernel_span = 0x1000000;
	d.vmlinux_entry = 0x1000000 + 0x1000;
	static const uint32_t relocs[] = { 0, 0x81000008, 0, 0x81000100, 0, 0x81000200 };
	d.relocs_paddr = 0x180000;
	d.relocs_size = sizeof(relocs);
	seed_hdr(&s, OPT_FIX_DESC | 3 << OPT_KERNEL_SHIFT, 2 * MIB, 0, SI_AT, 0x100000, 0x3f000, 0, &d);
	seed_rec(&s, 0x180000, relocs, sizeof(relocs));
	seed_start_info(&s, 1, "console=ttyS0", false, false);
	seed_write(dir, "builtin3-vmlinux", &s);
}
