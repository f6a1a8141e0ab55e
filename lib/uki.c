/* SPDX-License-Identifier: MIT */
/*
 * uki.c - the Unified Kernel Image inside a probed PE (pe.c): its kernel,
 * initrd, command line, os-release and uname sections (the UAPI group's UKI
 * specification), the command line as systemd-stub reads it, and the
 * os-release(5) assignments of .osrel.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

static void part(const struct zp_pe *pe, const char *name, struct zp_uki_part *out)
{
	const struct zp_pe_section *s = zp_pe_find_section(pe, name);

	*out = (struct zp_uki_part){ NULL, 0, 0 };
	if (!s || s->raw_size == 0)
		return;
	/* zp_probe_pe checked the raw data against the file; size <= raw_size */
	*out = (struct zp_uki_part){ pe->image + s->offset, s->offset, s->size };
}

/* "(.text .reloc .data ...)": what the PE has instead, for the message. */
static void list_sections(const struct zp_pe *pe, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < pe->nsections && i < ZP_PE_MAX_SECTIONS; i++) {
		size_t w = zp_format(out + n, cap - n, "%s%s", i ? " " : "", pe->sections[i].name);
		if (w >= cap - n) {
			out[n] = '\0';
			zp_format(out + n, cap - n, " ...");
			return;
		}
		n += w;
	}
}

int zp_uki_parts(const struct zp_pe *pe, struct zp_uki *out, struct zp_diag *diag)
{
	char names[100];

	if (!pe || !out)
		return ZP_EINVAL;
	zp_diag_clear(diag);
	zp_memset(out, 0, sizeof(*out));
	part(pe, ZP_UKI_LINUX, &out->kernel);
	if (!out->kernel.data) {
		list_sections(pe, names, sizeof(names));
		return zp_diag_fail(diag, ZP_ENOTUKI, "%s .linux section; its %u sections: %s",
				    zp_pe_find_section(pe, ZP_UKI_LINUX) ? "an empty" : "no",
				    pe->nsections, names);
	}
	part(pe, ZP_UKI_INITRD, &out->initrd);
	part(pe, ZP_UKI_UCODE, &out->ucode);
	part(pe, ZP_UKI_CMDLINE, &out->cmdline);
	part(pe, ZP_UKI_OSREL, &out->osrel);
	part(pe, ZP_UKI_UNAME, &out->uname);
	part(pe, ZP_UKI_SPLASH, &out->splash);
	part(pe, ZP_UKI_DTB, &out->dtb);
	part(pe, ZP_UKI_SBAT, &out->sbat);
	part(pe, ZP_UKI_PCRSIG, &out->pcrsig);
	part(pe, ZP_UKI_PCRPKEY, &out->pcrpkey);
	for (unsigned i = 0; i < pe->nsections && i < ZP_PE_MAX_SECTIONS; i++)
		if (zp_streq(pe->sections[i].name, ZP_UKI_PROFILE))
			out->profiles++;
	return ZP_OK;
}

/* systemd-stub's idea of whitespace (mangle_stub_cmdline): every control
 * character, space and DEL. */
static bool stub_space(uint8_t c)
{
	return c <= 0x20 || c == 0x7f;
}

int zp_uki_text(const struct zp_uki_part *pt, char *out, size_t cap)
{
	size_t i = 0, n = 0, keep = 0;

	if (!pt || !out || cap == 0)
		return ZP_EINVAL;
	if (cap > INT32_MAX)	/* the length must fit the int returned */
		cap = INT32_MAX;
	out[0] = '\0';
	if (!pt->data)
		return 0;
	while (i < pt->size && pt->data[i] && stub_space(pt->data[i]))
		i++;
	for (; i < pt->size && pt->data[i]; i++) {
		if (n + 1 >= cap) {
			out[keep < cap ? keep : cap - 1] = '\0';
			return ZP_ENOSPACE;
		}
		out[n++] = stub_space(pt->data[i]) ? ' ' : (char)pt->data[i];
		if (!stub_space(pt->data[i]))
			keep = n;
	}
	out[keep] = '\0';
	return (int)keep;
}

/* ------------------------------------------------------------------ */
/* os-release(5): KEY=VALUE lines, KEY of [A-Za-z0-9_], VALUE bare or in
 * single or double quotes (in double quotes \" \\ \$ \` are escapes). */

void zp_osrel_begin(struct zp_osrel_iter *it, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t n = 0;

	while (p && n < len && p[n])	/* a NUL ends the text: section padding */
		n++;
	it->p = p;
	it->end = p ? p + n : NULL;
}

static bool key_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static void put(char *out, size_t cap, size_t *n, uint8_t c)
{
	if (*n + 1 < cap)
		out[(*n)++] = (char)c;
}

/* The value from p up to the line's end e, into out. */
static void value_of(const uint8_t *p, const uint8_t *e, char *out, size_t cap)
{
	size_t n = 0;

	if (p < e && (*p == '"' || *p == '\'')) {
		uint8_t q = *p++;

		for (; p < e && *p != q; p++) {
			if (q == '"' && *p == '\\' && p + 1 < e &&
			    (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
				p++;
			put(out, cap, &n, *p);
		}
	} else {
		while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		for (; p < e; p++)
			put(out, cap, &n, *p);
	}
	out[n] = '\0';
}

int zp_osrel_next(struct zp_osrel_iter *it, char *key, size_t key_cap, char *value,
		  size_t value_cap)
{
	if (!it || !key || !value || key_cap == 0 || value_cap == 0)
		return ZP_EINVAL;
	while (it->p && it->p < it->end) {
		const uint8_t *line = it->p, *e = line, *k;
		size_t n = 0;

		while (e < it->end && *e != '\n')
			e++;
		it->p = e < it->end ? e + 1 : e;
		while (line < e && (*line == ' ' || *line == '\t'))
			line++;
		for (k = line; k < e && key_char(*k); k++)
			;
		if (k == line || k == e || *k != '=')
			continue;	/* blank, comment (#) or not an assignment */
		for (const uint8_t *c = line; c < k; c++)
			put(key, key_cap, &n, *c);
		key[n] = '\0';
		value_of(k + 1, e, value, value_cap);
		return 1;
	}
	return 0;
}
