/* SPDX-License-Identifier: MIT */
/*
 * info_uki.c - `zeropage info` on a Unified Kernel Image: the PE/COFF image,
 * its sections, os-release, command line and initrd, and the bzImage in its
 * .linux described as `info` describes any bzImage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zeropage/zeropage.h>
#include <zeropage/pe.h>

#include "cli/commands.h"
#include "cli/info.h"
#include "common/tool_err.h"
#include "image/uki_view.h"
#include "common/json.h"
#include "common/safe_text.h"


#define OSREL_MAX 64

struct osrel_kv {
	char key[64];
	char value[256];
};

/* The .osrel assignments, in the order their keys first appear; a key
 * assigned again takes the later value, as a shell sourcing it would. */
static unsigned osrel_read(const struct zp_uki_part *pt, struct osrel_kv *kv, unsigned cap)
{
	struct zp_osrel_iter it;
	char k[64], v[256];
	unsigned n = 0;

	if (!pt->data)
		return 0;
	zp_osrel_begin(&it, pt->data, pt->size);
	while (zp_osrel_next(&it, k, sizeof(k), v, sizeof(v)) == 1) {
		unsigned i = 0;

		while (i < n && strcmp(kv[i].key, k))
			i++;
		if (i == n) {
			if (n == cap)
				continue;
			n++;
		}
		snprintf(kv[i].key, sizeof(kv[i].key), "%s", k);
		snprintf(kv[i].value, sizeof(kv[i].value), "%s", v);
	}
	return n;
}

static const char *osrel_get(const struct osrel_kv *kv, unsigned n, const char *key)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

static const char *pe_kind(const struct zp_pe *pe)
{
	return pe->opt_magic == ZP_PE_OPT_MAGIC_PE32PLUS ? "PE32+" : "PE32";
}

static void text_uki(const char *path, const struct uki_view *v, const struct osrel_kv *kv,
		     unsigned nkv)
{
	const struct zp_pe *pe = &v->img->u.uki.pe;
	const struct zp_uki *u = &v->img->u.uki.parts;
	const char *os = osrel_get(kv, nkv, "PRETTY_NAME");
	char label[600];

	if (!os)
		os = osrel_get(kv, nkv, "NAME");
	/* Whoever built the UKI chose its names, .uname, .osrel and .cmdline:
	 * every one of them goes out escaped. */
	safe_text_printf(stdout, "%s: UKI (%s %s%s), %u sections, %s\n", path, pe_kind(pe),
			 zp_pe_machine_name(pe->machine),
			 pe->subsystem == ZP_PE_SUBSYSTEM_EFI_APPLICATION ? " EFI application" : "",
			 pe->nsections, pe->cert_size ? "signed" : "unsigned");
	safe_text_printf(stdout, "  %-22s %s\n", "uname", v->uname ? v->uname : "(none)");
	safe_text_printf(stdout, "  %-22s %s\n", "os-release", os ? os : "(none)");
	if (v->cmdline)
		safe_text_printf(stdout, "  %-22s \"%s\"\n", "cmdline", v->cmdline);
	else
		printf("  %-22s (none)\n", "cmdline");
	if (u->initrd.data)
		printf("  %-22s file offset 0x%zx, %zu bytes\n", "initrd", u->initrd.offset,
		       u->initrd.size);
	else
		printf("  %-22s (none)\n", "initrd");
	printf("  %-22s file offset 0x%zx, %zu bytes\n", "kernel (.linux)", u->kernel.offset,
	       u->kernel.size);
	if (u->profiles)
		printf("  %-22s %u (the parts shown: profile 0's over the base's, as "
		       "systemd-stub boots by default)\n", "profiles", u->profiles);
	if (pe->cert_size)
		printf("  %-22s file offset 0x%x, %u bytes\n", "certificate table",
		       pe->cert_offset, pe->cert_size);
	printf("  %-22s 0x%x\n", "entry", pe->entry);
	printf("  %-22s 0x%x\n", "size_of_image", pe->size_of_image);
	printf("sections:\n  %-8s %-10s %-10s %-10s %-10s %s\n", "name", "vaddr", "vsize",
	       "offset", "raw size", "data bytes");
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct zp_pe_section *sec = &pe->sections[i];

		fputs("  ", stdout);
		safe_text_cell(stdout, sec->name, 8, false);
		printf(" 0x%08x 0x%08x 0x%08x 0x%08x %u\n", sec->vaddr, sec->vsize, sec->offset,
		       sec->raw_size, sec->size);
	}
	if (nkv) {
		printf("os-release (.osrel):\n");
		for (unsigned i = 0; i < nkv; i++)
			safe_text_printf(stdout, "  %s=\"%s\"\n", kv[i].key, kv[i].value);
	}
	snprintf(label, sizeof(label), "%s .linux", path);
	info_text_bzimage(label, &v->img->u.bz);
}

/* The PE/COFF headers and section table of a UKI. */
static void json_pe(struct json *j, const struct zp_pe *pe)
{
	char version[16];

	json_object_begin(j, "pe");
	json_string(j, "magic", pe_kind(pe));
	json_string(j, "machine", zp_pe_machine_name(pe->machine));
	json_uint(j, "machine_type", pe->machine);
	json_uint(j, "subsystem", pe->subsystem);
	json_uint(j, "entry", pe->entry);
	json_uint(j, "image_base", pe->image_base);
	json_uint(j, "section_alignment", pe->section_alignment);
	json_uint(j, "file_alignment", pe->file_alignment);
	json_uint(j, "size_of_image", pe->size_of_image);
	json_uint(j, "size_of_headers", pe->size_of_headers);
	snprintf(version, sizeof(version), "%u.%u", pe->major_image_version,
		 pe->minor_image_version);
	json_string(j, "image_version", version);
	if (pe->cert_size) {
		json_object_begin(j, "certificate_table");
		json_uint(j, "offset", pe->cert_offset);
		json_uint(j, "size", pe->cert_size);
		json_object_end(j);
	} else {
		json_null(j, "certificate_table");
	}
	json_object_end(j);
	json_array_begin(j, "sections");
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct zp_pe_section *sec = &pe->sections[i];

		json_object_begin(j, NULL);
		json_string(j, "name", sec->name);
		json_uint(j, "vaddr", sec->vaddr);
		json_uint(j, "vsize", sec->vsize);
		json_uint(j, "offset", sec->offset);
		json_uint(j, "raw_size", sec->raw_size);
		json_uint(j, "size", sec->size);
		json_uint(j, "characteristics", sec->characteristics);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_uki(const char *path, const struct uki_view *v, const struct osrel_kv *kv,
		     unsigned nkv, const struct info_loaders *loaders)
{
	const struct zp_pe *pe = &v->img->u.uki.pe;
	const struct zp_uki *u = &v->img->u.uki.parts;
	const struct zp_bzimage *bz = &v->img->u.bz;
	struct json j;
	char protocol[8];

	snprintf(protocol, sizeof(protocol), "%u.%02u", bz->protocol >> 8, bz->protocol & 0xff);
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "file", path);
	json_string(&j, "format", "uki");
	/* The keys every format has, for the kernel the UKI boots. */
	json_string(&j, "protocol", protocol);
	json_string(&j, "kernel_version", bz->version[0] ? bz->version : NULL);
	json_string(&j, "compression", bz->has_payload ? zp_compression_name(bz->compression) : NULL);
	info_json_entries(&j, bz->entries);
	json_bool(&j, "relocatable", bz->relocatable);
	json_uint(&j, "pref_address", bz->pref_address);
	json_uint(&j, "kernel_alignment", bz->kernel_alignment);
	json_uint(&j, "init_size", bz->init_size);
	/* The UKI's own. */
	json_string(&j, "uname", v->uname);
	json_string(&j, "cmdline", v->cmdline);
	if (nkv) {
		json_object_begin(&j, "osrel");
		for (unsigned i = 0; i < nkv; i++)
			json_string(&j, kv[i].key, kv[i].value);
		json_object_end(&j);
	} else {
		json_null(&j, "osrel");
	}
	if (u->initrd.data) {
		json_object_begin(&j, "initrd");
		json_uint(&j, "offset", u->initrd.offset);
		json_uint(&j, "size", u->initrd.size);
		json_object_end(&j);
	} else {
		json_null(&j, "initrd");
	}
	json_uint(&j, "profiles", u->profiles);
	json_bool(&j, "signed", pe->cert_size != 0);
	json_pe(&j, pe);
	/* The kernel in .linux, described as `info` describes a bzImage. */
	json_object_begin(&j, "linux");
	json_uint(&j, "offset", u->kernel.offset);
	json_uint(&j, "size", u->kernel.size);
	json_string(&j, "format", "bzimage");
	info_json_bzimage_keys(&j, bz);
	json_object_end(&j);
	info_loaders_json(&j, loaders);
	json_object_end(&j);
	json_finish(&j);
}

int info_describe_uki(const char *path, const uint8_t *img, size_t len, bool as_json,
		      const struct info_loaders *loaders)
{
	static struct osrel_kv kv[OSREL_MAX];
	struct uki_view v;
	struct tool_err err;
	unsigned nkv;

	if (uki_view_open(img, len, &v, &err)) {
		tool_error("%s: %s", path, err.msg);	/* names sections */
		return CLI_EXIT_ERROR;
	}
	nkv = osrel_read(&v.img->u.uki.parts.osrel, kv, OSREL_MAX);
	if (as_json)
		json_uki(path, &v, kv, nkv, loaders);
	else
		text_uki(path, &v, kv, nkv);
	uki_view_close(&v);
	return CLI_EXIT_OK;
}

