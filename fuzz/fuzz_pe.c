/* SPDX-License-Identifier: MIT */
/*
 * fuzz_pe: zp_probe_pe over arbitrary bytes, then what a UKI is made of
 * (zp_uki_parts, zp_uki_text on its text sections, zp_osrel_next over its
 * .osrel and over the raw input) on whatever the probe accepted, and
 * zp_probe and zp_identify, which must agree with them.  The promises checked: every
 * section the probe lets through lies inside the input and overlaps no
 * other, every part points inside its section and is the section
 * systemd-stub <= v256 would boot (or the UKI was refused as ambiguous),
 * and every string comes back NUL-terminated inside its buffer.
 */
#include <string.h>

#include <zeropage/zeropage.h>
#include "fuzz.h"

static void check_diag(const struct zp_diag *d)
{
	FUZZ_CHECK(memchr(d->msg, 0, sizeof(d->msg)) != NULL);
}

static void check_pe(const struct zp_pe *pe, const uint8_t *data, size_t size)
{
	FUZZ_CHECK(pe->image == data && pe->image_len == size);
	FUZZ_CHECK(pe->nsections >= 1 && pe->nsections <= ZP_PE_MAX_SECTIONS);
	FUZZ_CHECK(pe->headers_end <= size);
	FUZZ_CHECK(pe->opt_magic == ZP_PE_OPT_MAGIC_PE32 || pe->opt_magic == ZP_PE_OPT_MAGIC_PE32PLUS);
	FUZZ_CHECK(zp_pe_machine_name(pe->machine) != NULL);
	if (pe->cert_size)
		FUZZ_CHECK(pe->cert_offset <= size && pe->cert_size <= size - pe->cert_offset);
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct zp_pe_section *s = &pe->sections[i];

		FUZZ_CHECK(memchr(s->name, 0, sizeof(s->name)) != NULL);
		FUZZ_CHECK(s->size <= s->raw_size);
		if (!s->raw_size)
			continue;
		FUZZ_CHECK(s->offset >= pe->headers_end);
		FUZZ_CHECK(fuzz_inside(data + s->offset, s->raw_size, data, size));
		fuzz_touch(data + s->offset, s->size);
		for (unsigned j = 0; j < i; j++) {
			const struct zp_pe_section *t = &pe->sections[j];
			uint64_t se = (uint64_t)s->offset + s->raw_size;
			uint64_t te = (uint64_t)t->offset + t->raw_size;

			if (t->raw_size)
				FUZZ_CHECK(se <= t->offset || te <= s->offset);
		}
	}
}

/* A part is what systemd-stub <= v256 boots (written here again, as its
 * pe.c locate_sections() does it, not as lib/uki.c does): the last section
 * whose name starts with the part's, absent when that one's VirtualSize is
 * 0.  zp_uki_parts promises >= v257 agreed, or it refused the UKI. */
static void check_part(const struct zp_pe *pe, const char *name, const struct zp_uki_part *p)
{
	const struct zp_pe_section *last = NULL;

	for (unsigned i = 0; i < pe->nsections; i++)
		if (!strncmp(pe->sections[i].name, name, strlen(name)))
			last = &pe->sections[i];
	if (!p->data) {
		FUZZ_CHECK(p->size == 0);
		FUZZ_CHECK(!last || !last->vsize || !last->raw_size);
		return;
	}
	FUZZ_CHECK(last != NULL && last->vsize != 0);
	FUZZ_CHECK(p->offset == last->offset && p->size == last->size);
	FUZZ_CHECK(p->data == pe->image + p->offset);
	FUZZ_CHECK(fuzz_inside(p->data, p->size, pe->image, pe->image_len));
	fuzz_touch(p->data, p->size);
}

static void check_text(const struct zp_uki_part *p)
{
	static char out[512];
	int n = zp_uki_text(p, out, sizeof(out));

	FUZZ_CHECK(n >= 0 || n == ZP_ENOSPACE);
	FUZZ_CHECK(memchr(out, 0, sizeof(out)) != NULL);
	if (n > 0) {
		FUZZ_CHECK((size_t)n == strlen(out));
		FUZZ_CHECK(out[0] != ' ' && out[n - 1] != ' ');
		for (int i = 0; i < n; i++)
			FUZZ_CHECK((uint8_t)out[i] >= 0x20 && (uint8_t)out[i] != 0x7f);
	}
}

static void check_osrel(const void *buf, size_t len)
{
	struct zp_osrel_iter it;
	char key[16], value[64];
	unsigned n = 0;

	zp_osrel_begin(&it, buf, len);
	while (zp_osrel_next(&it, key, sizeof(key), value, sizeof(value)) == 1) {
		FUZZ_CHECK(memchr(key, 0, sizeof(key)) != NULL && key[0] != '\0');
		FUZZ_CHECK(memchr(value, 0, sizeof(value)) != NULL);
		FUZZ_CHECK(++n <= len);	/* every assignment costs bytes: it ends */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct zp_pe pe;		/* ~3.5 KiB: off the fuzzer's stack */
	static struct zp_image img;
	struct zp_diag d = { { 0 } };
	struct zp_uki u;

	int rc = zp_probe_pe(data, size, &pe, &d);
	check_diag(&d);
	FUZZ_CHECK(rc <= 0 && zp_strerror(rc) != NULL);
	int parts = ZP_ENOTUKI;
	if (rc == 0) {
		check_pe(&pe, data, size);
		memset(&d, 0, sizeof(d));
		parts = zp_uki_parts(&pe, &u, &d);
		check_diag(&d);
		FUZZ_CHECK(parts == 0 || parts == ZP_ENOTUKI || parts == ZP_EUKIAMBIG);
		FUZZ_CHECK((parts == ZP_EUKIAMBIG) == (strstr(d.msg, "systemd-stub <= v256") != NULL));
		if (parts == 0) {
			FUZZ_CHECK(u.kernel.data != NULL && u.kernel.size > 0);
			check_part(&pe, ".linux", &u.kernel);
			check_part(&pe, ".initrd", &u.initrd);
			check_part(&pe, ".cmdline", &u.cmdline);
			check_part(&pe, ".osrel", &u.osrel);
			check_part(&pe, ".uname", &u.uname);
			check_part(&pe, ".ucode", &u.ucode);
			check_part(&pe, ".splash", &u.splash);
			check_part(&pe, ".dtb", &u.dtb);
			check_part(&pe, ".sbat", &u.sbat);
			check_part(&pe, ".pcrsig", &u.pcrsig);
			check_part(&pe, ".pcrpkey", &u.pcrpkey);
			check_text(&u.cmdline);
			check_text(&u.uname);
			check_osrel(u.osrel.data, u.osrel.size);
		}
	}
	check_osrel(data, size);

	/* zp_probe: a UKI only when the PE is one and its .linux a bzImage;
	 * then its parts are the ones found above. */
	int rc2 = zp_probe(data, size, &img);
	FUZZ_CHECK(rc2 <= 0 && zp_strerror(rc2) != NULL);
	enum zp_format f = zp_identify(data, size);
	FUZZ_CHECK(rc2 == 0 ? img.format == f : (rc2 == ZP_EUNKNOWN) == (f == ZP_FORMAT_UNKNOWN));
	if (rc2 == 0 && img.format == ZP_FORMAT_UKI) {
		FUZZ_CHECK(rc == 0 && parts == 0);
		FUZZ_CHECK(img.u.uki.parts.kernel.data == u.kernel.data);
		FUZZ_CHECK(img.u.bz.image == u.kernel.data && img.u.bz.image_len == u.kernel.size);
		FUZZ_CHECK(img.u.uki.pe.nsections == pe.nsections);
	}
	return 0;
}
