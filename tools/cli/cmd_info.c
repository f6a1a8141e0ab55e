/* SPDX-License-Identifier: MIT */
/*
 * zeropage info [--json] IMAGE: everything the probe learns about a kernel
 * image, for a person (aligned "name  value" lines) or for a program (one
 * JSON object whose keys are documented in zeropage(1) and kept stable).
 *
 * Structure: probe, then one describer per format.  ELF images pass
 * through describe_elf(), which hands zeropage bundles (ELFs with a
 * "ZeroPage" note) to the bundle reader in info_bundle.c.  A UKI (a PE/COFF
 * image with a .linux section) is described by info_describe_uki(): its PE,
 * its parts (image/uki_view.c) and its kernel by the bzImage describer.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include <zeropage/zeropage.h>

#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "cli/commands.h"
#include "cli/info.h"
#include "common/fileio.h"
#include "image/linux_id.h"
#include "image/uki_view.h"
#include "cli/kernel_arg.h"
#include "common/json.h"
#include "common/safe_text.h"

static void info_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage info [--json] [--loaders] [--kernel-version V] IMAGE\n"
		"\n"
		"Describe a kernel image: a bzImage (every setup header field, kernel\n"
		"version, payload and its compression, the entry points it supports), an\n"
		"ELF kernel (class, entry, PT_LOAD segments, Xen notes, PVH entry), or a\n"
		"Unified Kernel Image (its PE sections, command line, os-release, uname,\n"
		"initrd, and the bzImage in its .linux described as above).  IMAGE may be\n"
		"a .deb or .rpm package: its kernel (boot/vmlinuz-V, [usr/]lib/modules/V/\n"
		"vmlinuz) is described, named PACKAGE:MEMBER.  Every kernel is said to be\n"
		"Linux or not, and why (its version string's form, its ELF notes):\n"
		"boot and matrix run no probe in an image that is not Linux.\n"
		"\n"
		"  --json       one JSON object instead of text (keys in zeropage(1)); its\n"
		"               \"loaders\" member says where the image boots\n"
		"  --loaders    where it boots as it is, loader by loader (QEMU, Firecracker,\n"
		"               Cloud Hypervisor, linux-loader, Xen, UEFI, GRUB), why not,\n"
		"               and the zeropage command that makes it boot there\n"
		"  --kernel-version V  the package's kernel V, where it holds several\n"
		"  -h, --help   this text\n");
}

/* ---- setup header fields, as a table so text and JSON agree ---- */

enum field_kind { HEX, DEC, FLAGS_LOAD, FLAGS_XLOAD, MAGIC };

struct hdr_field {
	const char *name;
	size_t offset;		/* in struct zp_setup_header */
	unsigned size;		/* bytes */
	uint16_t since;		/* boot protocol that added it */
	enum field_kind kind;
};

#define F(name, since, kind) \
	{ #name, offsetof(struct zp_setup_header, name), \
	  sizeof(((struct zp_setup_header *)0)->name), since, kind }

static const struct hdr_field hdr_fields[] = {
	F(setup_sects, 0x200, DEC), F(root_flags, 0x200, HEX), F(syssize, 0x200, HEX),
	F(ram_size, 0x200, HEX), F(vid_mode, 0x200, HEX), F(root_dev, 0x200, HEX),
	F(boot_flag, 0x200, HEX), F(jump, 0x200, HEX), F(header, 0x200, MAGIC),
	F(version, 0x200, HEX), F(realmode_swtch, 0x200, HEX), F(start_sys_seg, 0x200, HEX),
	F(kernel_version, 0x200, HEX), F(type_of_loader, 0x200, HEX),
	F(loadflags, 0x200, FLAGS_LOAD), F(setup_move_size, 0x200, HEX),
	F(code32_start, 0x200, HEX), F(ramdisk_image, 0x200, HEX), F(ramdisk_size, 0x200, HEX),
	F(bootsect_kludge, 0x200, HEX), F(heap_end_ptr, 0x201, HEX),
	F(ext_loader_ver, 0x202, HEX), F(ext_loader_type, 0x202, HEX),
	F(cmd_line_ptr, 0x202, HEX), F(initrd_addr_max, 0x203, HEX),
	F(kernel_alignment, 0x205, HEX), F(relocatable_kernel, 0x205, DEC),
	F(min_alignment, 0x20a, DEC), F(xloadflags, 0x20c, FLAGS_XLOAD),
	F(cmdline_size, 0x206, DEC), F(hardware_subarch, 0x207, HEX),
	F(hardware_subarch_data, 0x207, HEX), F(payload_offset, 0x208, HEX),
	F(payload_length, 0x208, HEX), F(setup_data, 0x209, HEX),
	F(pref_address, 0x20a, HEX), F(init_size, 0x20a, HEX),
	F(handover_offset, 0x20b, HEX), F(kernel_info_offset, 0x20f, HEX),
};
#undef F

struct flag_name {
	unsigned bit;
	const char *name;
};

static const struct flag_name loadflag_names[] = {
	{ ZP_LOADED_HIGH, "LOADED_HIGH" }, { ZP_KASLR_FLAG, "KASLR_FLAG" },
	{ ZP_QUIET_FLAG, "QUIET_FLAG" }, { ZP_KEEP_SEGMENTS, "KEEP_SEGMENTS" },
	{ ZP_CAN_USE_HEAP, "CAN_USE_HEAP" }, { 0, NULL },
};

static const struct flag_name xloadflag_names[] = {
	{ ZP_XLF_KERNEL_64, "XLF_KERNEL_64" },
	{ ZP_XLF_CAN_BE_LOADED_ABOVE_4G, "XLF_CAN_BE_LOADED_ABOVE_4G" },
	{ ZP_XLF_EFI_HANDOVER_32, "XLF_EFI_HANDOVER_32" },
	{ ZP_XLF_EFI_HANDOVER_64, "XLF_EFI_HANDOVER_64" },
	{ ZP_XLF_EFI_KEXEC, "XLF_EFI_KEXEC" }, { ZP_XLF_5LEVEL, "XLF_5LEVEL" },
	{ ZP_XLF_5LEVEL_ENABLED, "XLF_5LEVEL_ENABLED" }, { 0, NULL },
};

static uint64_t field_value(const struct zp_setup_header *h, const struct hdr_field *f)
{
	const uint8_t *p = (const uint8_t *)h + f->offset;
	uint64_t v = 0;

	for (unsigned i = f->size; i-- > 0;)
		v = v << 8 | p[i];	/* little-endian, as in the image */
	return v;
}

static bool field_present(const struct zp_bzimage *bz, const struct hdr_field *f)
{
	return bz->protocol >= f->since && f->offset + f->size <= bz->hdr_len;
}

static const struct flag_name *flag_table(enum field_kind kind)
{
	return kind == FLAGS_LOAD ? loadflag_names : kind == FLAGS_XLOAD ? xloadflag_names : NULL;
}

/* "0x81 LOADED_HIGH CAN_USE_HEAP", naming unknown bits by number. */
static void print_flags(uint64_t v, const struct flag_name *names)
{
	uint64_t known = 0;

	printf("0x%02llx", (unsigned long long)v);
	for (const struct flag_name *n = names; n->name; n++) {
		known |= n->bit;
		if (v & n->bit)
			printf(" %s", n->name);
	}
	for (unsigned bit = 0; bit < 16; bit++)
		if ((v & ~known) & (1ull << bit))
			printf(" bit%u", bit);
}

static void print_field(const struct zp_setup_header *h, const struct hdr_field *f)
{
	uint64_t v = field_value(h, f);

	printf("  %-22s ", f->name);
	switch (f->kind) {
	case DEC:
		printf("%llu", (unsigned long long)v);
		break;
	case MAGIC:
		printf("0x%08llx \"", (unsigned long long)v);
		safe_text_write(stdout, (const uint8_t *)h + f->offset, 4, SAFE_TEXT_LINE);
		putchar('"');
		break;
	case FLAGS_LOAD:
	case FLAGS_XLOAD:
		print_flags(v, flag_table(f->kind));
		break;
	default:
		printf("0x%0*llx", (int)f->size * 2, (unsigned long long)v);
	}
	putchar('\n');
}

/* ---- bzImage as text ---- */

static void print_entries(uint32_t entries)
{
	for (uint32_t bit = 1; bit <= ZP_ENTRY_PVH; bit <<= 1)
		if (entries & bit)
			printf(" %s", zp_entry_name((enum zp_entry)bit));
	putchar('\n');
}

void info_text_bzimage(const char *path, const struct zp_bzimage *bz)
{
	char why[200];

	safe_text_printf(stdout, "%s: bzImage, boot protocol %u.%02u\n", path, bz->protocol >> 8,
			 bz->protocol & 0xff);
	/* the image's own bytes, whatever they are */
	safe_text_printf(stdout, "  %-22s %s\n", "kernel version",
			 bz->version[0] ? bz->version : "(none)");
	linux_id_describe(bz, why, sizeof(why));
	safe_text_printf(stdout, "  %-22s %s\n", "linux", why);
	printf("  %-22s", "entries");
	print_entries(bz->entries);
	printf("  %-22s %u sectors + boot sector = %zu bytes\n", "real-mode setup",
	       bz->setup_sects, bz->setup_size);
	printf("  %-22s file offset 0x%zx, %zu bytes\n", "protected-mode code", bz->pm_offset,
	       bz->pm_size);
	if (bz->has_payload)
		printf("  %-22s file offset 0x%zx, %zu bytes, %s\n", "payload", bz->payload_offset,
		       bz->payload_size, zp_compression_name(bz->compression));
	else
		printf("  %-22s none recorded (%s)\n", "payload", bz->protocol < 0x208
		       ? "protocol before 2.08" : "payload_length is 0: not a compressed Linux kernel");
	printf("  %-22s %s\n", "relocatable", bz->relocatable ? "yes" : "no");
	printf("  %-22s 0x%llx\n", "pref_address", (unsigned long long)bz->pref_address);
	if (bz->protocol >= 0x205)
		printf("  %-22s 0x%x\n", "kernel_alignment", bz->kernel_alignment);
	if (bz->protocol >= 0x20a)
		printf("  %-22s 0x%x (%u bytes)\n", "init_size", bz->init_size, bz->init_size);
	else	/* the loader must guess how much room the kernel needs */
		printf("  %-22s not in protocol %u.%02u\n", "init_size", bz->protocol >> 8,
		       bz->protocol & 0xff);
	printf("  %-22s %u bytes\n", "cmdline_size", bz->cmdline_size);
	printf("  %-22s 0x%x\n", "initrd_addr_max", bz->initrd_addr_max);
	printf("setup header (%zu bytes at 0x1f1):\n", bz->hdr_len);
	for (size_t i = 0; i < sizeof(hdr_fields) / sizeof(hdr_fields[0]); i++)
		if (field_present(bz, &hdr_fields[i]))
			print_field(&bz->hdr, &hdr_fields[i]);
	if (bz->has_kernel_info) {
		const struct zp_kernel_info *ki = &bz->kernel_info;

		printf("kernel_info (at protected-mode offset 0x%x):\n", bz->hdr.kernel_info_offset);
		printf("  %-22s 0x%08x \"LToP\"\n", "header", ki->header);
		printf("  %-22s %u\n", "size", ki->size);
		printf("  %-22s %u\n", "size_total", ki->size_total);
		printf("  %-22s 0x%08x\n", "setup_type_max", ki->setup_type_max);
	}
}

/* ---- bzImage as JSON ---- */

void info_json_entries(struct json *j, uint32_t entries)
{
	json_array_begin(j, "entries");
	for (uint32_t bit = 1; bit <= ZP_ENTRY_PVH; bit <<= 1)
		if (entries & bit)
			json_string(j, NULL, zp_entry_name((enum zp_entry)bit));
	json_array_end(j);
}

static void json_flags(struct json *j, const char *key, uint64_t v, const struct flag_name *names)
{
	json_object_begin(j, key);
	json_uint(j, "value", v);
	json_array_begin(j, "names");
	for (const struct flag_name *n = names; n->name; n++)
		if (v & n->bit)
			json_string(j, NULL, n->name);
	json_array_end(j);
	json_object_end(j);
}

static void json_setup_header(struct json *j, const struct zp_bzimage *bz)
{
	json_object_begin(j, "setup_header");
	for (size_t i = 0; i < sizeof(hdr_fields) / sizeof(hdr_fields[0]); i++)
		if (field_present(bz, &hdr_fields[i]))
			json_uint(j, hdr_fields[i].name, field_value(&bz->hdr, &hdr_fields[i]));
	json_object_end(j);
}

/* Every bzImage key but "file" and "format", into the open object: the
 * document of a bzImage, and the "linux" object of a UKI. */
void info_json_bzimage_keys(struct json *j, const struct zp_bzimage *bz)
{
	char protocol[8], why[200];

	snprintf(protocol, sizeof(protocol), "%u.%02u", bz->protocol >> 8, bz->protocol & 0xff);
	json_string(j, "protocol", protocol);
	json_string(j, "kernel_version", bz->version[0] ? bz->version : NULL);
	/* what it is, by the core's evidence (lib/linux_id.c) */
	linux_id_describe(bz, why, sizeof(why));
	json_bool(j, "linux", zp_bzimage_is_linux(bz));
	json_string(j, "linux_evidence", zp_linux_evidence_name(zp_bzimage_linux_evidence(bz)));
	json_string(j, "linux_why", why);
	json_string(j, "compression", bz->has_payload ? zp_compression_name(bz->compression) : NULL);
	info_json_entries(j, bz->entries);
	json_uint(j, "setup_sects", bz->setup_sects);
	json_uint(j, "setup_size", bz->setup_size);
	if (bz->has_payload) {
		json_uint(j, "payload_offset", bz->payload_offset);
		json_uint(j, "payload_length", bz->payload_size);
	} else {
		json_null(j, "payload_offset");
		json_null(j, "payload_length");
	}
	json_bool(j, "relocatable", bz->relocatable);
	json_uint(j, "pref_address", bz->pref_address);
	json_uint(j, "kernel_alignment", bz->kernel_alignment);
	json_uint(j, "init_size", bz->init_size);
	json_uint(j, "cmdline_size", bz->cmdline_size);
	json_uint(j, "initrd_addr_max", bz->initrd_addr_max);
	json_uint(j, "code32_start", bz->hdr.code32_start);
	json_uint(j, "handover_offset", bz->protocol >= 0x20b ? bz->hdr.handover_offset : 0);
	json_flags(j, "loadflags", bz->hdr.loadflags, loadflag_names);
	json_flags(j, "xloadflags", bz->protocol >= 0x20c ? bz->hdr.xloadflags : 0,
		   xloadflag_names);
	if (bz->has_kernel_info) {
		json_object_begin(j, "kernel_info");
		json_uint(j, "offset", bz->hdr.kernel_info_offset);
		json_uint(j, "size", bz->kernel_info.size);
		json_uint(j, "size_total", bz->kernel_info.size_total);
		json_uint(j, "setup_type_max", bz->kernel_info.setup_type_max);
		json_object_end(j);
	} else {
		json_null(j, "kernel_info");
	}
	json_setup_header(j, bz);
}

static void json_bzimage(const char *path, const struct zp_bzimage *bz,
			 const struct info_loaders *loaders)
{
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "file", path);
	json_string(&j, "format", "bzimage");
	info_json_bzimage_keys(&j, bz);
	info_loaders_json(&j, loaders);
	json_object_end(&j);
	json_finish(&j);
}

/* ---- ELF notes: what a desc means depends on owner and type ---- */

enum note_form { NOTE_NUMBER, NOTE_STRING, NOTE_BYTES };

static bool is_xen(const struct zp_elf_note *n)
{
	return !strcmp(n->name, ZP_XEN_NOTE_NAME);
}

static bool printable(const uint8_t *p, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* Length of the desc as a string: without trailing NULs (Xen pads them). */
static size_t note_strlen(const struct zp_elf_note *n)
{
	size_t len = n->desc_len;

	while (len > 0 && n->desc[len - 1] == '\0')
		len--;
	return len;
}

static enum note_form note_form(const struct zp_elf_note *n)
{
	/* Xen's string notes (elfnote.h), whatever their length. */
	if (is_xen(n) && (n->type == ZP_XEN_ELFNOTE_XEN_VERSION ||
			  n->type == ZP_XEN_ELFNOTE_GUEST_OS ||
			  n->type == ZP_XEN_ELFNOTE_GUEST_VERSION ||
			  n->type == ZP_XEN_ELFNOTE_LOADER || n->type == ZP_XEN_ELFNOTE_PAE_MODE ||
			  n->type == ZP_XEN_ELFNOTE_FEATURES || n->type == ZP_XEN_ELFNOTE_BSD_SYMTAB))
		return printable(n->desc, note_strlen(n)) || n->desc_len == 0 ? NOTE_STRING : NOTE_BYTES;
	if (n->has_value)
		return NOTE_NUMBER;
	if (printable(n->desc, note_strlen(n)) && note_strlen(n) + 1 >= n->desc_len)
		return NOTE_STRING;
	return NOTE_BYTES;
}

static const char *note_type_name(const struct zp_elf_note *n)
{
	if (is_xen(n))
		return zp_xen_note_name(n->type);
	if (!strcmp(n->name, "GNU") && n->type == 3)
		return "BUILD_ID";
	if (!strcmp(n->name, ZP_LINUX_NOTE_NAME) && n->type == ZP_LINUX_ELFNOTE_BUILD_SALT)
		return "BUILD_SALT";
	if (!strcmp(n->name, ZP_LINUX_NOTE_NAME) && n->type == ZP_LINUX_ELFNOTE_LTO_INFO)
		return "LTO_INFO";
	return NULL;
}

#define NOTE_HEX_MAX 64	/* bytes of an opaque desc worth showing */

static void hex_string(char *out, const uint8_t *p, size_t len)
{
	size_t n = len > NOTE_HEX_MAX ? NOTE_HEX_MAX : len;

	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

/* ---- ELF as text and JSON ---- */

static const char *machine_name(uint16_t machine)
{
	return machine == ZP_EM_X86_64 ? "x86-64" : machine == ZP_EM_386 ? "i386" : "unknown";
}

/* PHYS32_RELOC by name: up to three u32s, each defaulting as Xen's
 * elfnote.h says when the note is shorter. */
static bool phys32_reloc(const struct zp_elf_note *n, uint32_t v[3])
{
	v[0] = 0x200000;
	v[1] = 0;
	v[2] = 0xffffffff;
	if (!is_xen(n) || n->type != ZP_XEN_ELFNOTE_PHYS32_RELOC || n->desc_len > 12 ||
	    n->desc_len % 4)
		return false;
	for (uint32_t i = 0; i < n->desc_len / 4; i++)
		memcpy(&v[i], n->desc + 4 * i, 4);
	return true;
}

static void text_note(const struct zp_elf_note *n)
{
	const char *tn = note_type_name(n);
	char hex[2 * NOTE_HEX_MAX + 1];
	uint32_t rel[3];

	fputs("  ", stdout);
	safe_text_cell(stdout, n->name, 8, false);	/* the ELF file names its notes */
	if (tn)
		printf(" %-20s ", tn);
	else
		printf(" type %-15u ", n->type);
	if (phys32_reloc(n, rel)) {
		printf("relocatable: align 0x%x, min 0x%x, max 0x%x%s\n", rel[0], rel[1], rel[2],
		       n->desc_len < 12 ? " (defaults where the note is shorter)" : "");
		return;
	}
	switch (note_form(n)) {
	case NOTE_NUMBER:
		printf("0x%llx\n", (unsigned long long)n->value);
		break;
	case NOTE_STRING:
		putchar('"');
		safe_text_write(stdout, n->desc, note_strlen(n), SAFE_TEXT_LINE);
		puts("\"");
		break;
	default:
		hex_string(hex, n->desc, n->desc_len);
		printf("%s%s (%u bytes)\n", hex, n->desc_len > NOTE_HEX_MAX ? "..." : "",
		       n->desc_len);
	}
}

static void text_elf(const char *path, const struct zp_elf *elf)
{
	char why[200];

	safe_text_printf(stdout, "%s: ELF%d %s kernel\n", path, elf->elf_class,
			 machine_name(elf->machine));
	linux_id_describe_elf(elf, why, sizeof(why));
	safe_text_printf(stdout, "  %-22s %s\n", "linux", why);
	printf("  %-22s 0x%llx\n", "entry", (unsigned long long)elf->entry);
	if (elf->has_pvh)
		printf("  %-22s 0x%llx\n", "pvh entry", (unsigned long long)elf->pvh_entry);
	else
		printf("  %-22s none (no Xen PHYS32_ENTRY note)\n", "pvh entry");
	printf("  %-22s", "entries");
	print_entries(elf->entries);
	printf("PT_LOAD segments:\n  %-18s %-18s %-18s %-12s %-12s %s\n", "offset", "paddr",
	       "vaddr", "filesz", "memsz", "flags");
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];

		if (s->type != ZP_PT_LOAD)
			continue;
		printf("  0x%016llx 0x%016llx 0x%016llx 0x%-10llx 0x%-10llx %c%c%c\n",
		       (unsigned long long)s->offset, (unsigned long long)s->paddr,
		       (unsigned long long)s->vaddr, (unsigned long long)s->filesz,
		       (unsigned long long)s->memsz, s->flags & 4 ? 'R' : '-',
		       s->flags & 2 ? 'W' : '-', s->flags & 1 ? 'X' : '-');
	}
	printf("notes (%u):\n", elf->nnotes);
	for (unsigned i = 0; i < elf->nnotes; i++)
		text_note(&elf->notes[i]);
}

static void json_note(struct json *j, const struct zp_elf_note *n)
{
	char hex[2 * NOTE_HEX_MAX + 1];

	json_object_begin(j, NULL);
	json_string(j, "name", n->name);
	json_uint(j, "type", n->type);
	json_string(j, "type_name", note_type_name(n));
	json_uint(j, "size", n->desc_len);
	uint32_t rel[3];
	if (phys32_reloc(n, rel)) {
		json_uint(j, "align", rel[0]);
		json_uint(j, "min", rel[1]);
		json_uint(j, "max", rel[2]);
	}
	switch (note_form(n)) {
	case NOTE_NUMBER:
		json_uint(j, "value", n->value);
		break;
	case NOTE_STRING:
		json_string_n(j, "string", (const char *)n->desc, note_strlen(n));
		break;
	default:
		hex_string(hex, n->desc, n->desc_len);
		json_string(j, "hex", hex);
	}
	json_object_end(j);
}

static void json_segments(struct json *j, const struct zp_elf *elf)
{
	json_array_begin(j, "segments");
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];

		if (s->type != ZP_PT_LOAD)
			continue;
		json_object_begin(j, NULL);
		json_uint(j, "offset", s->offset);
		json_uint(j, "paddr", s->paddr);
		json_uint(j, "vaddr", s->vaddr);
		json_uint(j, "filesz", s->filesz);
		json_uint(j, "memsz", s->memsz);
		json_uint(j, "flags", s->flags);
		json_uint(j, "align", s->align);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_elf(const char *path, const struct zp_elf *elf,
		     const struct info_loaders *loaders)
{
	char why[200];
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "file", path);
	json_string(&j, "format", "elf");
	/* The bzImage keys exist for ELF too, as null: one schema for both. */
	json_null(&j, "protocol");
	json_null(&j, "kernel_version");
	/* what it is, by the core's evidence from its notes (lib/linux_id.c) */
	linux_id_describe_elf(elf, why, sizeof(why));
	json_bool(&j, "linux", zp_elf_is_linux(elf));
	json_string(&j, "linux_evidence", zp_linux_evidence_name(zp_elf_linux_evidence(elf)));
	json_string(&j, "linux_why", why);
	json_null(&j, "compression");
	info_json_entries(&j, elf->entries);
	json_null(&j, "relocatable");
	json_null(&j, "pref_address");
	json_null(&j, "kernel_alignment");
	json_null(&j, "init_size");
	json_uint(&j, "class", (uint64_t)elf->elf_class);
	json_string(&j, "machine", machine_name(elf->machine));
	json_uint(&j, "entry", elf->entry);
	if (elf->has_pvh)
		json_uint(&j, "pvh_entry", elf->pvh_entry);
	else
		json_null(&j, "pvh_entry");
	json_segments(&j, elf);
	json_array_begin(&j, "notes");
	for (unsigned i = 0; i < elf->nnotes; i++)
		json_note(&j, &elf->notes[i]);
	json_array_end(&j);
	info_loaders_json(&j, loaders);
	json_object_end(&j);
	json_finish(&j);
}

/* ---- the command ---- */

/* An ELF kernel.  A zeropage bundle is an ELF too, marked by a "ZeroPage"
 * note, and is described by what it carries rather than as a bare ELF. */
static int describe_elf(const char *path, const uint8_t *img, size_t len,
			const struct zp_elf *elf, bool as_json, const struct info_loaders *loaders)
{
	if (bundle_is_ours(elf))
		return info_describe_bundle(stdout, path, img, len, elf, as_json, loaders);
	if (as_json)
		json_elf(path, elf, loaders);
	else
		text_elf(path, elf);
	return CLI_EXIT_OK;
}

static int describe_bzimage(const char *path, const struct zp_bzimage *bz, bool as_json,
			    const struct info_loaders *loaders)
{
	if (as_json)
		json_bzimage(path, bz, loaders);
	else
		info_text_bzimage(path, bz);
	return CLI_EXIT_OK;
}

/* The image's description (text or JSON); JSON carries the loaders'
 * verdicts when there are some. */
static int describe(const char *path, const uint8_t *img, size_t len,
		    const struct zp_image *probed, bool as_json,
		    const struct info_loaders *loaders)
{
	switch (probed->format) {
	case ZP_FORMAT_ELF:
		return describe_elf(path, img, len, &probed->u.elf, as_json, loaders);
	case ZP_FORMAT_UKI:
		return info_describe_uki(path, img, len, as_json, loaders);
	default:
		return describe_bzimage(path, &probed->u.bz, as_json, loaders);
	}
}

/* --loaders alone: the verdict table.  With --json, or --json alone: the
 * description with its "loaders" member.  file is what is read, path the
 * name shown ("PKG:MEMBER" for a package's kernel), arg the user's own
 * argument, which the fix commands name (every command takes a package). */
static int info(const char *file, const char *path, const char *arg, bool as_json,
		bool loaders)
{
	static struct zp_image probed;	/* large; one per process is enough */
	static struct info_loaders verdicts;
	struct fileio_mapped mapped;
	struct tool_err err;
	int r, rc;
	/* mapped, not read: only the pages describing it touch (a 4 GiB
	 * file of zeros is refused after its first page, not 4 GiB later) */
	if (fileio_map(file, &mapped, &err) < 0) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	const uint8_t *img = mapped.data;
	size_t len = mapped.len;

	r = zp_probe(img, len, &probed);
	if (r < 0 && zp_identify(img, len) == ZP_FORMAT_UKI) {
		/* says what is wrong with it */
		rc = info_describe_uki(path, img, len, as_json, NULL);
	} else if (r < 0) {
		tool_error("%s: not a kernel image we know (%s)", path,
			r == ZP_EUNKNOWN ? "not a bzImage, an ELF file or a UKI" : zp_strerror(r));
		rc = CLI_EXIT_ERROR;
	} else if ((as_json || loaders) && info_loaders_judge(arg, &probed, &verdicts) < 0) {
		tool_error("%s: no loader verdicts for this image", path);
		rc = CLI_EXIT_ERROR;
	} else if (loaders && !as_json) {
		info_loaders_text(stdout, path, &verdicts);
		rc = CLI_EXIT_OK;
	} else {
		rc = describe(path, img, len, &probed, as_json, as_json ? &verdicts : NULL);
	}
	fileio_unmap(&mapped);
	if (fflush(stdout) != 0) {
		tool_error("stdout: %s", strerror(errno));
		rc = CLI_EXIT_ERROR;
	}
	return rc;
}

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kernel-version", required_argument, NULL, 'V' },
		{ "loaders", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool as_json = false, loaders = false;
	const char *want_version = NULL;
	int c;

	optind = 0;	/* GNU: full reset, so the command can run twice in one process */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': as_json = true; break;
		case 'V': want_version = optarg; break;
		case 'l': loaders = true; break;
		case 'h': info_usage(stdout); return CLI_EXIT_OK;
		default: info_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		tool_error("%s",
			optind >= argc ? "missing IMAGE" : "one IMAGE expected");
		info_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	/* a package: its kernel, named "PKG:MEMBER" in what is printed */
	struct kernel_arg k;
	struct tool_err err;
	if (kernel_arg_open(&k, argv[optind], want_version, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	int rc = info(k.path, k.shown, argv[optind], as_json, loaders);
	kernel_arg_close(&k);
	return rc;
}
