/* SPDX-License-Identifier: MIT */
/*
 * zp_loaders_judge (lib/loaders.c): one test per loader rule on synthetic
 * images (tests/synth.c) whose one differing fact is the rule's, then the
 * real kernels: the Debian cloud bzImage, its vmlinux, and the 686 build
 * beside it in the cache (each skipped when absent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <zeropage/loaders.h>
#include <zeropage/pe.h>

#include "realkernel.h"
#include "synth.h"

static struct zp_loader_verdict verdicts[ZP_LOADERS_COUNT];

/* The probed image and its facts: the image's bytes stay alive in `buf`
 * until the next one. */
struct subject {
	uint8_t *buf;
	size_t len;
	struct zp_image img;
	struct zp_loader_facts f;
};

static struct subject subj, inner;

static void release(struct subject *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

static void take(struct subject *s, uint8_t *buf, size_t len)
{
	release(s);
	s->buf = buf;
	s->len = len;
	assert_int_equal(zp_probe(buf, len, &s->img), ZP_OK);
	s->f.format = s->img.format;
	if (s->img.format == ZP_FORMAT_ELF)
		s->f.elf = &s->img.u.elf;
	else
		s->f.bz = &s->img.u.bz;
}

static const struct zp_loader_verdict *judge_named(const char *name)
{
	assert_int_equal(zp_loaders_judge(&subj.f, "IMG", verdicts, ZP_LOADERS_COUNT),
			 ZP_LOADERS_COUNT);
	for (unsigned i = 0; i < ZP_LOADERS_COUNT; i++)
		if (!strcmp(verdicts[i].loader, name))
			return &verdicts[i];
	fail_msg("no loader %s", name);
	return NULL;
}

/* boots, and the why and fix contain the words given (NULL: fix empty) */
static void expect(const char *loader, bool boots, const char *why_has, const char *fix_has)
{
	const struct zp_loader_verdict *v = judge_named(loader);

	char both[2 * ZP_LOADER_FIX_MAX + 4];

	print_message("  %-24s %-3s %s | fix: %s | %s\n", loader,
		      !v->known ? "?" : v->boots ? "yes" : "no", v->why, v->fix, v->fix_note);
	assert_true(v->known);
	assert_int_equal(v->boots, boots);
	assert_non_null(strstr(v->why, why_has));
	/* a fix is one command a user runs as it is */
	if (v->fix[0]) {
		assert_memory_equal(v->fix, "zeropage ", 9);
		assert_null(strpbrk(v->fix, "();`"));
	}
	snprintf(both, sizeof(both), "%s | %s", v->fix, v->fix_note);
	if (fix_has)
		assert_non_null(strstr(both, fix_has));
	else
		assert_string_equal(both, " | ");
}

/* A rule that cannot tell: known false, boots false, why says so. */
static void expect_unknown(const char *loader, const char *why_has)
{
	const struct zp_loader_verdict *v = judge_named(loader);

	print_message("  %-24s ?   %s\n", loader, v->why);
	assert_false(v->known);
	assert_false(v->boots);
	assert_non_null(strstr(v->why, "cannot tell"));
	assert_non_null(strstr(v->why, why_has));
}

/* ---- synthetic images ---- */

/* gzip's magic and a few bytes: a payload as Xen's and our probes see one */
static const uint8_t gz_payload[16] = { 0x1f, 0x8b, 0x08, 0x00 };

static void bz_full(uint16_t protocol, uint16_t xlf, uint32_t handover, bool payload,
		    bool relocatable)
{
	struct synth_bzimage_opts o = { .protocol = protocol, .xloadflags = xlf,
					.handover_offset = handover, .relocatable = relocatable };
	size_t len;
	uint8_t *img;

	if (payload) {
		o.payload = gz_payload;
		o.payload_len = sizeof(gz_payload);
	}
	img = synth_bzimage(&o, &len);
	take(&subj, img, len);
}

/* A relocatable bzImage with no payload (our synthetic default). */
static void bz(uint16_t protocol, uint16_t xlf, uint32_t handover)
{
	bz_full(protocol, xlf, handover, false, true);
}

/* code32_start set to `addr`, the image probed again */
static void set_code32_start(uint32_t addr)
{
	synth_put32(subj.buf + 0x214, addr);
	assert_int_equal(zp_probe(subj.buf, subj.len, &subj.img), ZP_OK);
}

static const uint8_t pvh_desc[4] = { 0x50, 0x08, 0x00, 0x01 };	/* 0x1000850 */
static const uint8_t entry_desc[8] = { 0x00, 0x00, 0x00, 0x81, 0xff, 0xff, 0xff, 0xff };
static const uint8_t reloc_desc[12] = { 0, 0, 0x20, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff };

enum { PVH = 1, XENPV = 2, RELOC = 4 };

static void elf_into(struct subject *s, int elf_class, uint64_t entry, unsigned notes)
{
	struct synth_note n[3];
	unsigned k = 0;
	size_t len;
	uint8_t *img;

	if (notes & PVH)
		n[k++] = (struct synth_note){ "Xen", ZP_XEN_ELFNOTE_PHYS32_ENTRY, pvh_desc, 4 };
	if (notes & XENPV)
		n[k++] = (struct synth_note){ "Xen", ZP_XEN_ELFNOTE_ENTRY, entry_desc,
					      elf_class == 64 ? 8 : 4 };
	if (notes & RELOC)
		n[k++] = (struct synth_note){ "Xen", ZP_XEN_ELFNOTE_PHYS32_RELOC, reloc_desc, 12 };
	img = synth_elf(elf_class, entry, n, k, &len);
	take(s, img, len);
}

static void elf(int elf_class, uint64_t entry, unsigned notes)
{
	elf_into(&subj, elf_class, entry, notes);
}

/* A bzImage whose payload "decompressed" to an ELF with these notes. */
static void bz_with_payload(uint16_t xlf, int elf_class, unsigned notes)
{
	elf_into(&inner, elf_class, 0x1000000, notes);
	bz_full(0x20f, xlf, 0, true, true);
	subj.f.elf = &inner.img.u.elf;
}

#define K64 ZP_XLF_KERNEL_64

static void test_qemu_bzimage(void **state)
{
	(void)state;
	bz(0x20f, K64, 0);
	expect("qemu-bzimage", true, "enters the 16-bit setup", NULL);
	bz(0x200, 0, 0);	/* the oldest protocol still has "HdrS" */
	expect("qemu-bzimage", true, "protocol 2.00", NULL);
	elf(64, 0x1000000, PVH);
	expect("qemu-bzimage", false, "takes an ELF by its PVH note", NULL);
	/* a UKI: no HdrS; what QEMU says with -initrd (mkosi #4292) */
	bz(0x20f, K64, 0);
	subj.f.format = ZP_FORMAT_UKI;
	expect("qemu-bzimage", false, "linux kernel too old to load a ram disk",
	       "zeropage bundle --kernel IMG");
}

static void test_qemu_pvh(void **state)
{
	(void)state;
	elf(64, 0x1000000, PVH);
	expect("qemu-pvh", true, "PVH entry 0x1000850", NULL);
	elf(32, 0x1000000, PVH);	/* load_elfboot takes ELF32 too */
	expect("qemu-pvh", true, "ELF32", NULL);
	elf(64, 0x1000000, XENPV);
	expect("qemu-pvh", false, "without PVH ELF Note", "CONFIG_PVH=y");
	elf(32, 0x1000000, 0);	/* QEMU would take it with the note: rebuild */
	expect("qemu-pvh", false, "without PVH ELF Note", "CONFIG_PVH=y");
	/* a bzImage: extract when its vmlinux has the note, else bundle */
	bz_with_payload(K64, 64, PVH);
	expect("qemu-pvh", false, "its vmlinux has a PVH note", "zeropage extract IMG -o vmlinux");
	bz_with_payload(0, 32, 0);
	expect("qemu-pvh", false, "its vmlinux has no PVH note", "zeropage bundle --kernel IMG");
	assert_null(strstr(judge_named("qemu-pvh")->fix, "extract"));
	bz(0x20f, K64, 0);	/* payload not read: still the bundle */
	subj.f.payload_why = "its payload did not decompress";
	expect("qemu-pvh", false, "QEMU's PVH loader takes an ELF only",
	       "zeropage bundle --kernel IMG -o bundle.elf");
}

static void test_firecracker_116(void **state)
{
	(void)state;
	bz_with_payload(K64, 64, PVH);
	expect("firecracker-1.16", false, "Invalid Elf magic number",
	       "zeropage extract IMG -o vmlinux");
	bz_with_payload(0, 32, 0);	/* an ELF32 inside: only the bundle helps */
	expect("firecracker-1.16", false, "Invalid Elf magic number", "zeropage bundle");
	elf(64, 0x1000000, PVH);
	expect("firecracker-1.16", true, "PVH entry 0x1000850", NULL);
	elf(64, 0x1000000, 0);	/* no note: the 64-bit Linux boot protocol */
	expect("firecracker-1.16", true, "64-bit Linux boot protocol at e_entry 0x1000000", NULL);
	elf(32, 0x1000000, PVH);
	expect("firecracker-1.16", false, "InvalidProgramHeaderSize", "none from an ELF32");
	elf(64, 0x8000, PVH);
	expect("firecracker-1.16", false, "InvalidEntryAddress", "CONFIG_PVH=y");
}

static void test_firecracker_main(void **state)
{
	(void)state;
	bz(0x20f, K64, 0);
	expect("firecracker-main", true, "64-bit entry 0x100200", NULL);
	bz(0x20f, 0, 0);
	expect("firecracker-main", false, "no XLF_KERNEL_64", "zeropage bundle --kernel IMG");
	bz(0x20f, K64, 0);
	set_code32_start(0x10000);	/* below 1 MiB */
	expect("firecracker-main", false, "InvalidKernelStartAddress", "zeropage bundle");
	elf(64, 0x1000000, 0);
	expect("firecracker-main", true, "64-bit Linux boot protocol", NULL);
}

static void test_cloud_hypervisor(void **state)
{
	(void)state;
	bz(0x20f, 0, 0);	/* any bzImage: its 32-bit entry */
	expect("cloud-hypervisor-53", true, "32-bit entry 0x100000", NULL);
	subj.buf[0x211] &= (uint8_t)~ZP_LOADED_HIGH;
	assert_int_equal(zp_probe(subj.buf, subj.len, &subj.img), ZP_OK);
	/* a 32-bit zImage: no entry `zeropage bundle`'s shim could use either */
	expect("cloud-hypervisor-53", false, "InvalidBzImage", "none: a zImage");
	bz(0x20f, K64, 0);
	subj.buf[0x211] &= (uint8_t)~ZP_LOADED_HIGH;
	assert_int_equal(zp_probe(subj.buf, subj.len, &subj.img), ZP_OK);
	expect("cloud-hypervisor-53", false, "InvalidBzImage", "zeropage bundle");
	elf(64, 0x1000000, PVH);
	expect("cloud-hypervisor-53", true, "#7782", NULL);
	elf(64, 0x1000000, 0);
	expect("cloud-hypervisor-53", false, "#2231", "CONFIG_PVH=y");
}

static void test_linux_loader(void **state)
{
	(void)state;
	elf(64, 0x1000000, PVH | RELOC);
	expect("linux-loader-0.14", true, "never PHYS32_RELOC", NULL);
	assert_non_null(strstr(judge_named("linux-loader-0.14")->why, "capability present"));
	elf(64, 0x1000000, 0);
	expect("linux-loader-0.14", true, "capability absent", NULL);
	bz(0x20f, 0, 0);
	expect("linux-loader-0.14", true, "code32_start 0x100000", NULL);
	bz(0x20f, K64, 0);
	subj.f.format = ZP_FORMAT_UKI;
	expect("linux-loader-0.14", false, "InvalidElfMagicNumber", "zeropage bundle");
}

static void test_xen_pv(void **state)
{
	(void)state;
	elf(64, 0x1000000, XENPV);
	expect("xen-pv-domu", true, "XEN_ELFNOTE_ENTRY", NULL);
	expect("xen-pv-dom0", true, "XEN_ELFNOTE_ENTRY", NULL);
	elf(64, 0x1000000, PVH);
	expect("xen-pv-domu", false, "CONFIG_XEN_PV", "xen-pvh-domu");
	bz_with_payload(K64, 64, XENPV);	/* Xen decompresses the bzImage itself */
	expect("xen-pv-dom0", true, "decompresses out of the bzImage", NULL);
	bz_full(0x20f, K64, 0, true, true);	/* the payload unread: no verdict to give */
	subj.f.payload_why = "its payload did not decompress";
	expect_unknown("xen-pv-domu", "did not decompress");
	expect_unknown("xen-pvh-dom0-4.19", "did not decompress");
	elf(64, 0x100000, PVH);			/* a bundle: the shim is PVH only */
	subj.f.bundle = true;
	expect("xen-pv-dom0", false, "PVH entry only", "the bzImage it bundles");
}

static void test_xen_pvh(void **state)
{
	(void)state;
	bz_with_payload(K64, 64, PVH);
	expect("xen-pvh-domu", true, "PVH entry 0x1000850", NULL);
	bz_with_payload(0, 32, XENPV);
	expect("xen-pvh-domu", false, "no XEN_ELFNOTE_PHYS32_ENTRY", "zeropage bundle --kernel IMG");
	/* dom0: at the link address before 4.19; relocated within PHYS32_RELOC since */
	elf(64, 0x1000000, PVH | RELOC);
	expect("xen-pvh-dom0-upto-4.18", true, "not read before 4.19", NULL);
	expect("xen-pvh-dom0-4.19", true, "relocated within its PHYS32_RELOC range", NULL);
	elf(64, 0x1000000, PVH);
	expect("xen-pvh-dom0-4.19", true, "no PHYS32_RELOC note", NULL);
	elf(32, 0x1000000, 0);
	expect("xen-pvh-dom0-4.19", false, "no XEN_ELFNOTE_PHYS32_ENTRY", "CONFIG_PVH=y");
	/* linux-loader's VMMs read ELF64 only: an ELF32 PVH vmlinux is no fix */
	bz_with_payload(0, 32, PVH);
	subj.buf[0x211] &= (uint8_t)~ZP_LOADED_HIGH;
	assert_int_equal(zp_probe(subj.buf, subj.len, &subj.img), ZP_OK);
	expect("cloud-hypervisor-53", false, "InvalidBzImage", "none: a zImage");
	assert_null(strstr(judge_named("cloud-hypervisor-53")->fix, "extract"));
	expect("qemu-pvh", false, "its vmlinux has a PVH note", "zeropage extract");
}

/* An EFI stub's PE header in a synthetic bzImage: "MZ", e_lfanew, "PE". */
static void add_pe_header(void)
{
	subj.buf[0] = 'M';
	subj.buf[1] = 'Z';
	synth_put32(subj.buf + 0x3c, 0x80);
	memcpy(subj.buf + 0x80, "PE\0\0", 4);
	assert_int_equal(zp_probe(subj.buf, subj.len, &subj.img), ZP_OK);
	assert_true(subj.img.u.bz.has_pe_header);
}

static void test_ovmf(void **state)
{
	(void)state;
	bz(0x20f, K64, 0);
	expect("ovmf", false, "CONFIG_EFI_STUB", NULL);
	add_pe_header();
	subj.f.pe_machine = ZP_PE_MACHINE_AMD64;
	expect("ovmf", true, "efi_pe_entry", NULL);
	subj.f.pe_machine = 0;			/* machine unread: a 64-bit kernel's */
	expect("ovmf", true, "efi_pe_entry", NULL);
	subj.f.pe_machine = ZP_PE_MACHINE_I386;
	expect("ovmf", false, "i386", NULL);
	subj.f.format = ZP_FORMAT_UKI;
	subj.f.pe_machine = ZP_PE_MACHINE_AMD64;
	expect("ovmf", true, "systemd-stub", NULL);
	elf(64, 0x1000000, PVH);
	expect("ovmf", false, "PE/COFF images only", "bzImage it came from");
}

static void test_ovmf_ia32(void **state)
{
	(void)state;
	bz(0x20f, K64 | ZP_XLF_EFI_HANDOVER_32 | ZP_XLF_EFI_HANDOVER_64, 0x190);
	expect("ovmf-ia32", true, "mixed mode", NULL);
	bz(0x20f, K64 | ZP_XLF_EFI_HANDOVER_64, 0x190);
	expect("ovmf-ia32", false, "no i386 EFI stub", NULL);
	bz(0x20f, 0, 0);
	add_pe_header();
	subj.f.pe_machine = ZP_PE_MACHINE_I386;
	expect("ovmf-ia32", true, "i386 EFI stub", NULL);
	subj.f.format = ZP_FORMAT_UKI;
	expect("ovmf-ia32", false, "systemd-stub is x86-64", NULL);
}

static void test_grub(void **state)
{
	struct synth_bzimage_opts o = { .protocol = 0x20f, .setup_sects = 65 };
	size_t len;

	(void)state;
	bz(0x20f, K64, 0);
	expect("grub-bios", true, "code32_start 0x100000", NULL);
	expect("grub-efi", true, "code32_start 0x100000", NULL);
	bz(0x202, 0, 0);
	expect("grub-bios", false, "version too old for 32-bit boot", NULL);
	bz(0x20f, 0, 0);
	subj.buf[0x211] &= (uint8_t)~ZP_LOADED_HIGH;
	assert_int_equal(zp_probe(subj.buf, subj.len, &subj.img), ZP_OK);
	expect("grub-efi", false, "zImage doesn't support 32-bit boot", "i386-pc only");
	take(&subj, synth_bzimage(&o, &len), len);
	expect("grub-bios", false, "too many setup sectors", NULL);
	bz(0x20f, K64, 0);
	subj.f.format = ZP_FORMAT_UKI;
	expect("grub-efi", false, "invalid magic number", "chainloader");
	expect("grub-bios", false, "invalid magic number", NULL);
	elf(64, 0x1000000, PVH);
	expect("grub-bios", false, "invalid magic number", "bzImage it came from");
}

/* Xen's bzImage loaders (xen/arch/x86/bzimage.c bzimage_check, and
 * libxenguest's xc_dom_probe_bzimage_kernel): 2.08+ and a payload, or a
 * definite no; "cannot tell" only where a payload is there but unread. */
static void test_xen_bzimage(void **state)
{
	(void)state;
	bz_full(0x207, 0, 0, false, false);	/* iPXE's .lkrn: protocol 2.07 */
	expect("xen-pvh-domu", false, "need 2.08", "zeropage bundle --kernel IMG");
	expect("xen-pv-dom0", false, "boot protocol too old", "Xen PV entry");
	bz(0x20c, K64, 0);			/* memtest86+: 2.12, payload_length 0 */
	expect("xen-pvh-dom0-4.19", false, "no payload (payload_length 0)", "non-Linux");
	expect("xen-pv-domu", false, "unknown compression format", "Xen PV entry");
	assert_null(strstr(judge_named("xen-pv-domu")->why, "cannot tell"));
	bz_full(0x20f, K64, 0, true, true);	/* a payload the caller did not read */
	expect_unknown("xen-pvh-domu", "its payload was not read");
	expect_unknown("xen-pv-dom0", "its payload was not read");
	expect("qemu-bzimage", true, "16-bit setup", NULL);	/* the others still know */
}

/* KASLR is said of a bzImage only when it is relocatable and has a
 * payload for its decompressor (memtest86+ is neither). */
static void test_bzimage_kaslr(void **state)
{
	(void)state;
	bz_full(0x20c, K64, 0, false, false);
	expect("firecracker-main", true, "no KASLR", NULL);
	assert_null(strstr(judge_named("firecracker-main")->why, "randomise"));
	expect("cloud-hypervisor-53", true, "no payload to decompress", NULL);
	bz_full(0x20f, K64, 0, true, false);
	expect("cloud-hypervisor-53", true, "not relocatable", NULL);
	bz_full(0x20f, K64, 0, true, true);
	expect("firecracker-main", true, "may randomise it (KASLR", NULL);
	expect("cloud-hypervisor-53", true, "may randomise it (KASLR", NULL);
}

/* code32_start 0, as iPXE's .lkrn has it: no 32-bit entry.  GRUB 2.06's
 * linux enters load address + code32_start - 1 MiB; linux-loader refuses
 * it below the VMM's 1 MiB; QEMU runs the 16-bit setup and is fine. */
static void test_no_32bit_entry(void **state)
{
	(void)state;
	bz_full(0x207, 0, 0, false, false);
	set_code32_start(0);
	expect("qemu-bzimage", true, "16-bit setup", NULL);
	expect("grub-bios", false, "no 32-bit entry; try with `linux16'", NULL);
	expect("grub-efi", false, "no 32-bit entry", "i386-pc only");
	/* and no shim helps: `zeropage bundle` would enter the start of the
	 * protected-mode code, which is no entry here */
	expect("linux-loader-0.14", false, "InvalidKernelStartAddress", "is no 32-bit entry");
	expect("cloud-hypervisor-53", false, "code32_start 0x0 lies below 1 MiB", "16-bit setup");
	expect("qemu-pvh", false, "takes an ELF only", "none: code32_start 0x0");
	expect("xen-pvh-domu", false, "need 2.08", "none: code32_start 0x0");
	assert_string_equal(judge_named("firecracker-1.16")->fix, "");
	set_code32_start(0x10000);	/* an entry, but below the kernel GRUB loads */
	expect("grub-bios", false, "code32_start 0x10000", NULL);
}

/* ---- the API's contract ---- */

static void test_contract(void **state)
{
	struct zp_loader_facts bad = { .format = ZP_FORMAT_ELF };

	(void)state;
	bz(0x20f, K64, 0);
	assert_int_equal(zp_loaders_judge(NULL, "x", verdicts, ZP_LOADERS_COUNT), ZP_EINVAL);
	assert_int_equal(zp_loaders_judge(&subj.f, "x", NULL, ZP_LOADERS_COUNT), ZP_EINVAL);
	assert_int_equal(zp_loaders_judge(&bad, "x", verdicts, ZP_LOADERS_COUNT), ZP_EINVAL);
	bad.format = ZP_FORMAT_UNKNOWN;
	assert_int_equal(zp_loaders_judge(&bad, "x", verdicts, ZP_LOADERS_COUNT), ZP_EINVAL);
	assert_int_equal(zp_loaders_judge(&subj.f, "x", verdicts, ZP_LOADERS_COUNT - 1),
			 ZP_ENOSPACE);
	/* NULL image: the fixes say IMAGE */
	bz(0x20f, 0, 0);
	assert_int_equal(zp_loaders_judge(&subj.f, NULL, verdicts, ZP_LOADERS_COUNT),
			 ZP_LOADERS_COUNT);
	assert_non_null(strstr(verdicts[1].fix, "--kernel IMAGE"));
	/* names: stable, unique, in table order; every verdict says why */
	for (unsigned i = 0; i < ZP_LOADERS_COUNT; i++) {
		assert_string_equal(verdicts[i].loader, zp_loader_name(i));
		assert_true(verdicts[i].why[0] != '\0');
		assert_non_null(verdicts[i].versions);
		assert_non_null(verdicts[i].unknown);
		if (verdicts[i].boots) {
			assert_string_equal(verdicts[i].fix, "");
			assert_string_equal(verdicts[i].fix_note, "");
		}
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(verdicts[i].loader, verdicts[j].loader);
	}
	assert_null(zp_loader_name(ZP_LOADERS_COUNT));
	assert_string_equal(zp_loader_name(0), "qemu-bzimage");
	assert_string_equal(zp_loader_name(2), "firecracker-1.16");
	assert_string_equal(zp_loader_name(3), "firecracker-main");
}

/* ---- real kernels ---- */

static bool booted(const char *loader)
{
	return judge_named(loader)->boots;
}

/* A real bzImage, its payload decompressed by the compressor's own tool
 * (realk_decompress) and probed as the vmlinux inside. */
static bool real_bzimage(const char *path)
{
	uint8_t *buf, *vmlinux;
	size_t len, vlen;
	static struct zp_pe pe;

	if (!path || access(path, R_OK))
		return false;
	buf = realk_read(path, &len);
	take(&subj, buf, len);
	assert_true(subj.img.u.bz.has_payload);
	vmlinux = realk_decompress(subj.img.u.bz.compression,
				   buf + subj.img.u.bz.payload_offset,
				   subj.img.u.bz.payload_size, &vlen);
	assert_non_null(vmlinux);
	take(&inner, vmlinux, vlen);
	subj.f.elf = &inner.img.u.elf;
	if (zp_probe_pe(buf, len, &pe, NULL) == ZP_OK)
		subj.f.pe_machine = pe.machine;
	return true;
}

static void test_real_cloud_kernel(void **state)
{
	(void)state;
	if (!real_bzimage(realk_path()))
		skip();
	assert_true(booted("qemu-bzimage"));
	expect("qemu-pvh", false, "its vmlinux has a PVH note", "zeropage extract IMG -o vmlinux");
	expect("firecracker-1.16", false, "Invalid Elf magic number", "zeropage extract");
	assert_true(booted("firecracker-main"));
	assert_true(booted("cloud-hypervisor-53"));
	assert_true(booted("linux-loader-0.14"));
	assert_true(booted("xen-pv-dom0"));	/* Debian's cloud kernel has CONFIG_XEN_PV */
	assert_true(booted("xen-pvh-domu"));
	assert_true(booted("xen-pvh-dom0-upto-4.18"));
	assert_true(booted("ovmf"));
	assert_true(booted("ovmf-ia32"));	/* mixed mode */
	assert_true(booted("grub-bios"));
	assert_true(booted("grub-efi"));
	/* its vmlinux, as the image */
	release(&subj);
	subj = inner;
	memset(&inner, 0, sizeof(inner));
	subj.f = (struct zp_loader_facts){ .format = ZP_FORMAT_ELF, .elf = &subj.img.u.elf };
	expect("qemu-pvh", true, "PVH entry", NULL);
	expect("firecracker-1.16", true, "PVH entry", NULL);
	expect("cloud-hypervisor-53", true, "#7782", NULL);
	assert_false(booted("qemu-bzimage"));
	assert_false(booted("ovmf"));
	assert_false(booted("grub-bios"));
	release(&subj);
}

/* The 686 flavour beside the cloud kernel in the cache: a 32-bit kernel
 * with an i386 EFI stub and neither a PVH nor a Xen PV entry. */
static void test_real_686_kernel(void **state)
{
	const char *cloud = realk_path();
	char path[1024];
	const char *dash = cloud ? strstr(cloud, "-cloud-amd64") : NULL;

	(void)state;
	if (!dash) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%.*s-686", (int)(dash - cloud), cloud);
	if (!real_bzimage(path)) {
		skip();
		return;
	}
	assert_true(booted("qemu-bzimage"));
	expect("qemu-pvh", false, "its vmlinux has no PVH note", "zeropage bundle --kernel IMG");
	expect("firecracker-main", false, "no XLF_KERNEL_64", "zeropage bundle");
	assert_true(booted("cloud-hypervisor-53"));
	expect("xen-pvh-domu", false, "no XEN_ELFNOTE_PHYS32_ENTRY", "zeropage bundle");
	expect("xen-pv-domu", false, "CONFIG_XEN_PV", "xen-pvh-domu");
	expect("ovmf", false, "i386", NULL);
	expect("ovmf-ia32", true, "i386 EFI stub", NULL);
	assert_true(booted("grub-bios"));
	release(&inner);
	release(&subj);
}

static int teardown(void **state)
{
	(void)state;
	release(&subj);
	release(&inner);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_bzimage),
		cmocka_unit_test(test_qemu_pvh),
		cmocka_unit_test(test_firecracker_116),
		cmocka_unit_test(test_firecracker_main),
		cmocka_unit_test(test_cloud_hypervisor),
		cmocka_unit_test(test_linux_loader),
		cmocka_unit_test(test_xen_pv),
		cmocka_unit_test(test_xen_pvh),
		cmocka_unit_test(test_ovmf),
		cmocka_unit_test(test_ovmf_ia32),
		cmocka_unit_test(test_grub),
		cmocka_unit_test(test_xen_bzimage),
		cmocka_unit_test(test_bzimage_kaslr),
		cmocka_unit_test(test_no_32bit_entry),
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_real_cloud_kernel),
		cmocka_unit_test(test_real_686_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
