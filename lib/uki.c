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

/*
 * Which section systemd-stub takes for a name.  Its two generations
 * disagree, and a UKI can be built so that they boot different parts:
 *
 * - up to v256 (Debian 12's systemd-boot-efi is 252.39; read at the v252,
 *   v252.31, v253 ... v256 tags of systemd-stable): src/boot/efi/pe.c
 *   locate_sections() walks the whole table and, for every wanted name,
 *   memcmp()s strlen(name) bytes: a section whose name merely starts with
 *   it counts (".initrdX" is an ".initrd"), and a later one overwrites an
 *   earlier, so the LAST wins.  It knows nothing of .profile.  The size it
 *   keeps is VirtualSize, and stub.c treats 0 as "no such section".
 *   (Seen under OVMF: Debian's 252.39 stub given .initrd then .initrdX
 *   hands the kernel .initrdX.)
 * - from v257 (src/boot/pe.c pe_locate_sections_internal(),
 *   pe_locate_profile_sections(); stub.c find_sections()):
 *   pe_section_name_equal() wants the exact name and the FIRST match wins,
 *   but per profile: the base is the sections before the first .profile;
 *   without an "@N" on the command line the stub boots profile 0 (the
 *   first .profile up to the next), whose sections override the base's.
 *   A section is "set" when its VirtualSize is not 0 (PE_SECTION_VECTOR_IS_SET).
 *   The names are src/fundamental/uki.c unified_sections[].
 *
 * zeropage cannot know from the file which stub it carries (.sdmagic is
 * text anyone can write), so its rule is: a part is taken only when both
 * generations take the same section (or both none); otherwise the UKI is
 * refused with ZP_EUKIAMBIG, naming the section each would boot.
 */
#define NO_SECTION (-1)

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* The last section whose name starts with name: systemd-stub <= v256. */
static int last_prefixed(const struct zp_pe *pe, const char *name)
{
	int found = NO_SECTION;

	for (unsigned i = 0; i < pe->nsections && i < ZP_PE_MAX_SECTIONS; i++)
		if (starts_with(pe->sections[i].name, name))
			found = (int)i;
	return found;
}

/* The first section in [from, to) named exactly name. */
static int first_named(const struct zp_pe *pe, unsigned from, unsigned to, const char *name)
{
	for (unsigned i = from; i < to && i < ZP_PE_MAX_SECTIONS; i++)
		if (zp_streq(pe->sections[i].name, name))
			return (int)i;
	return NO_SECTION;
}

/* systemd-stub >= v257 booting its default profile 0: that profile's
 * section (the first .profile up to the next) over the base's (the
 * sections before the first .profile). */
static int profile0_or_base(const struct zp_pe *pe, const char *name)
{
	unsigned n = pe->nsections < ZP_PE_MAX_SECTIONS ? pe->nsections : ZP_PE_MAX_SECTIONS;
	int p0 = first_named(pe, 0, n, ZP_UKI_PROFILE);
	int found = NO_SECTION;

	if (p0 != NO_SECTION) {
		int p1 = first_named(pe, (unsigned)p0 + 1, n, ZP_UKI_PROFILE);

		found = first_named(pe, (unsigned)p0, p1 == NO_SECTION ? n : (unsigned)p1, name);
	}
	return found != NO_SECTION ? found : first_named(pe, 0, p0 == NO_SECTION ? n : (unsigned)p0,
						       name);
}

/* What a stub boots of section i: nothing when VirtualSize is 0. */
static int booted(const struct zp_pe *pe, int i)
{
	return i != NO_SECTION && pe->sections[i].vsize ? i : NO_SECTION;
}

/* "section 10 .initrdX", "none", or "none (section 10 .initrdX is empty)". */
static void say_pick(const struct zp_pe *pe, int i, char *out, size_t cap)
{
	if (i == NO_SECTION)
		zp_format(out, cap, "none");
	else if (!pe->sections[i].vsize)
		zp_format(out, cap, "none (section %d %s has VirtualSize 0)", i, pe->sections[i].name);
	else
		zp_format(out, cap, "section %d %s", i, pe->sections[i].name);
}

static int part(const struct zp_pe *pe, const char *name, struct zp_uki_part *out,
		struct zp_diag *diag)
{
	int old = last_prefixed(pe, name), now = profile0_or_base(pe, name);
	const struct zp_pe_section *s;

	*out = (struct zp_uki_part){ NULL, 0, 0 };
	if (booted(pe, old) != booted(pe, now)) {
		char a[64], b[64];

		say_pick(pe, old, a, sizeof(a));
		say_pick(pe, now, b, sizeof(b));
		return zp_diag_fail(diag, ZP_EUKIAMBIG, "%s: systemd-stub <= v256 boots %s (the "
				    "last name starting %s), >= v257 %s (the first named %s)", name,
				    a, name, b, name);
	}
	if (booted(pe, now) == NO_SECTION)
		return ZP_OK;
	s = &pe->sections[now];
	if (s->raw_size == 0)
		return ZP_OK;	/* uninitialised data: nothing in the file */
	/* zp_probe_pe checked the raw data against the file; size <= raw_size */
	*out = (struct zp_uki_part){ pe->image + s->offset, s->offset, s->size };
	return ZP_OK;
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
	const struct {
		const char *name;
		struct zp_uki_part *part;
	} rest[] = {
		{ ZP_UKI_INITRD, &out->initrd }, { ZP_UKI_UCODE, &out->ucode },
		{ ZP_UKI_CMDLINE, &out->cmdline }, { ZP_UKI_OSREL, &out->osrel },
		{ ZP_UKI_UNAME, &out->uname }, { ZP_UKI_SPLASH, &out->splash },
		{ ZP_UKI_DTB, &out->dtb }, { ZP_UKI_SBAT, &out->sbat },
		{ ZP_UKI_PCRSIG, &out->pcrsig }, { ZP_UKI_PCRPKEY, &out->pcrpkey },
	};
	char names[100];
	int r;

	if (!pe || !out)
		return ZP_EINVAL;
	zp_diag_clear(diag);
	zp_memset(out, 0, sizeof(*out));
	r = part(pe, ZP_UKI_LINUX, &out->kernel, diag);
	if (r)
		return r;
	if (!out->kernel.data) {
		list_sections(pe, names, sizeof(names));
		return zp_diag_fail(diag, ZP_ENOTUKI, "%s .linux section; its %u sections: %s",
				    last_prefixed(pe, ZP_UKI_LINUX) != NO_SECTION ? "an empty" : "no",
				    pe->nsections, names);
	}
	for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++) {
		r = part(pe, rest[i].name, rest[i].part, diag);
		if (r) {
			zp_memset(out, 0, sizeof(*out));
			return r;
		}
	}
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
