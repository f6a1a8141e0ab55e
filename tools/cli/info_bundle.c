/* SPDX-License-Identifier: MIT */
/*
 * info_bundle.c - `zeropage info` on a bundle: what the shim will do with it.
 * The reading is image/bundle_read.c's; this file only describes.
 */
#include <string.h>

#include "cli/commands.h"
#include "cli/info.h"
#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "image/linux_id.h"
#include "common/json.h"
#include "common/safe_text.h"

#define ULL(v) ((unsigned long long)(v))

static const char *entry_str(uint32_t e)
{
	switch (e) {
	case ZP_BUNDLE_ENTRY_64: return "64";
	case ZP_BUNDLE_ENTRY_32: return "32";
	case ZP_BUNDLE_ENTRY_VMLINUX: return "vmlinux";
	default: return "none";
	}
}

static const char *entry_text(uint32_t e)
{
	switch (e) {
	case ZP_BUNDLE_ENTRY_64:
		return "long mode at load address + 0x200 (the decompressor's startup_64)";
	case ZP_BUNDLE_ENTRY_32:
		return "protected mode, paging off, at the load address (startup_32)";
	case ZP_BUNDLE_ENTRY_VMLINUX:
		return "decompressed vmlinux, its own startup_64; no decompressor "
		       "(the shim does KASLR itself)";
	default:
		return "none: the bare shim, no kernel inside";
	}
}

/* How KASLR will be applied: by the decompressor (entries 64, 32, a
 * relocatable Linux), by the shim with the kernel's relocation table
 * (vmlinux), or not, and why.  Only Linux has that decompressor: for an
 * image that is not (memtest86+), the core's evidence says so. */
static const char *kaslr_mode(const struct bundle_view *v)
{
	const struct zp_bundle_desc *d = &v->desc;

	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX && !zp_bzimage_is_linux(&v->bz))
		return "none";
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX && !v->bz.relocatable)
		return "unavailable";
	if (d->entry != ZP_BUNDLE_ENTRY_VMLINUX)
		return "decompressor";
	if (d->flags & ZP_BUNDLE_KASLR_OFF)
		return "off";
	return d->relocs_size ? "shim" : "unavailable";
}

static const char *kaslr_text(const struct bundle_view *v)
{
	static char buf[256];
	const char *m = kaslr_mode(v);

	if (!strcmp(m, "decompressor"))
		return "by the kernel's decompressor, as its command line says (nokaslr)";
	if (!strcmp(m, "off"))
		return "off (bundled with --no-kaslr): the kernel runs at its link address";
	if (!strcmp(m, "none")) {
		char why[200];
		linux_id_describe(&v->bz, why, sizeof(why));
		snprintf(buf, sizeof(buf), "none: %s; it runs where the shim puts it", why);
		return buf;
	}
	/* zeropage bundle leaves the table out only where the image proved
	 * there is none (zp_relocs_find); the setup header here says which
	 * proof it was. */
	if (!strcmp(m, "unavailable") && !v->bz.relocatable)
		return "unavailable: the kernel is not relocatable (relocatable_kernel 0); it "
		       "runs at its link address";
	if (!strcmp(m, "unavailable"))
		return "unavailable: the bundle carries no relocation table (its kernel's "
		       "payload had none after its vmlinux: built without RANDOMIZE_BASE); it "
		       "runs at its link address";
	snprintf(buf, sizeof(buf), "by the shim: a random physical base and virtual offset, "
		 "%llu KiB relocation table at 0x%llx; off with nokaslr on the command line%s",
		 (unsigned long long)(v->desc.relocs_size >> 10),
		 (unsigned long long)v->desc.relocs_paddr,
		 (v->desc.flags & ZP_BUNDLE_KASLR_REQUIRE) ? "; required (--kaslr=require): "
		 "the shim halts rather than boot unrandomised" : "");
	return buf;
}

static void text(FILE *f, const char *path, const struct bundle_view *v)
{
	const struct zp_bundle_desc *d = &v->desc;

	safe_text_printf(f, "%s: zeropage bundle (PVH shim + kernel)\n", path);
	fprintf(f, "  %-16s 0x%llx\n", "pvh_entry", ULL(v->pvh_entry));
	fprintf(f, "  %-16s 0x%llx\n", "descriptor", ULL(v->desc_paddr));
	fprintf(f, "  %-16s 0x%llx-0x%llx%s\n", "shim", ULL(v->shim_start), ULL(v->shim_end),
		v->shim_start == 0x100000 ? "" : " (moved out of the kernel's way)");
	fprintf(f, "  %-16s %llu MiB (the highest segment ends at 0x%llx)\n", "guest RAM needed",
		ULL((v->ram_needed + (1 << 20) - 1) >> 20), ULL(v->ram_needed));
	/* startup_32/64 are Linux's names: another image's entry is its own */
	if (d->entry != 0 && d->entry != ZP_BUNDLE_ENTRY_VMLINUX && !zp_bzimage_is_linux(&v->bz))
		fprintf(f, "  %-16s %s: %s\n", "entry", entry_str(d->entry),
			d->entry == ZP_BUNDLE_ENTRY_64 ? "long mode at load address + 0x200" :
			"protected mode, paging off, at the load address");
	else
		fprintf(f, "  %-16s %s: %s\n", "entry", entry_str(d->entry), entry_text(d->entry));
	if (d->entry == 0)
		return;
	fprintf(f, "  %-16s %s\n", "handoff", d->handoff == ZP_HANDOFF_SUBARCH ?
		"subarch: hardware_subarch = PC (XEN on Xen), hardware_subarch_data = "
		"reserved copy of the start_info" : "native: plain zero page");
	safe_text_printf(f, "  %-16s %s\n", "kaslr", kaslr_text(v));
	/* the bundled kernel's version string and command line are its maker's bytes */
	safe_text_printf(f, "  %-16s %s\n", "kernel_version",
			 v->bz.version[0] ? v->bz.version : "(none)");
	fprintf(f, "  %-16s %u.%02u\n", "protocol", v->bz.protocol >> 8, v->bz.protocol & 0xff);
	if (v->run_addr != d->kernel_addr)
		fprintf(f, "  %-16s runs at 0x%llx (not relocatable), room 0x%llx bytes; bundled "
			"at 0x%llx, the shim copies it\n", "kernel", ULL(v->run_addr),
			ULL(d->kernel_span), ULL(d->kernel_addr));
	else
		fprintf(f, "  %-16s 0x%llx, room 0x%llx bytes\n", "kernel", ULL(d->kernel_addr),
			ULL(d->kernel_span));
	if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX)
		fprintf(f, "  %-16s 0x%llx\n", "vmlinux_entry", ULL(d->vmlinux_entry));
	fprintf(f, "  %-16s 0x%llx, %llu of %llu bytes (%s)\n", "bzimage", ULL(d->image_paddr),
		ULL(d->image_loaded), ULL(d->image_size),
		d->image_loaded == d->image_size ? "whole file" : "setup part only");
	if (d->initrd_size)
		fprintf(f, "  %-16s 0x%llx, %llu bytes (a VMM's module 0 replaces it)\n", "initrd",
			ULL(d->initrd_paddr), ULL(d->initrd_size));
	else
		fprintf(f, "  %-16s none (a VMM's module 0 is used if given)\n", "initrd");
	safe_text_printf(f, "  %-16s \"%s\" (a VMM's command line is appended)\n", "cmdline",
			 v->cmdline ? v->cmdline : "");
	fprintf(f, "  %-16s %u\n", "segments", v->nload);
}

static void json(FILE *f, const char *path, const struct bundle_view *v,
		 const struct info_loaders *loaders)
{
	const struct zp_bundle_desc *d = &v->desc;
	struct json j;
	char proto[16];

	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "file", path);
	json_string(&j, "format", "bundle");
	json_uint(&j, "pvh_entry", v->pvh_entry);
	json_uint(&j, "descriptor", v->desc_paddr);
	json_uint(&j, "shim_start", v->shim_start);
	json_uint(&j, "shim_end", v->shim_end);
	json_uint(&j, "ram_needed", v->ram_needed);
	json_string(&j, "entry", entry_str(d->entry));
	if (d->entry) {
		snprintf(proto, sizeof(proto), "%u.%u", v->bz.protocol >> 8, v->bz.protocol & 0xff);
		json_string(&j, "handoff", d->handoff == ZP_HANDOFF_SUBARCH ? "subarch" : "native");
		json_bool(&j, "kaslr", strcmp(kaslr_mode(v), "off") && strcmp(kaslr_mode(v), "unavailable") &&
			  strcmp(kaslr_mode(v), "none"));
		json_string(&j, "kaslr_by", kaslr_mode(v));
		json_bool(&j, "kaslr_required", d->flags & ZP_BUNDLE_KASLR_REQUIRE);
		json_uint(&j, "relocs_paddr", d->relocs_paddr);
		json_uint(&j, "relocs_size", d->relocs_size);
		json_string(&j, "kernel_version", v->bz.version);
		json_string(&j, "protocol", proto);
		json_uint(&j, "kernel_addr", d->kernel_addr);
		json_uint(&j, "kernel_span", d->kernel_span);
		json_uint(&j, "kernel_run_addr", v->run_addr);
		if (d->entry == ZP_BUNDLE_ENTRY_VMLINUX)
			json_uint(&j, "vmlinux_entry", d->vmlinux_entry);
		else
			json_null(&j, "vmlinux_entry");
		json_uint(&j, "image_paddr", d->image_paddr);
		json_uint(&j, "image_size", d->image_size);
		json_uint(&j, "image_loaded", d->image_loaded);
		json_uint(&j, "initrd_paddr", d->initrd_paddr);
		json_uint(&j, "initrd_size", d->initrd_size);
		json_uint(&j, "cmdline_paddr", d->cmdline_paddr);
		json_string(&j, "cmdline", v->cmdline ? v->cmdline : "");
	}
	json_uint(&j, "segments", v->nload);
	info_loaders_json(&j, loaders);
	json_object_end(&j);
	json_finish(&j);
}

int info_describe_bundle(FILE *f, const char *path, const uint8_t *buf, size_t len,
			 const struct zp_elf *elf, bool as_json, const struct info_loaders *loaders)
{
	static struct bundle_view v;
	struct tool_err err;

	if (bundle_read(buf, len, elf, &v, &err)) {
		tool_error("%s: %s", path, err.msg);
		return CLI_EXIT_ERROR;
	}
	if (as_json)
		json(f, path, &v, loaders);
	else
		text(f, path, &v);
	return CLI_EXIT_OK;
}
