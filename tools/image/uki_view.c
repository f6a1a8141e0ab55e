/* SPDX-License-Identifier: MIT */
/*
 * uki_view.c - a UKI's kernel, initrd and command line, as views into the file
 * (see uki.h).  `zeropage info`, `extract`, `bundle` and the boot paths
 * (machine/bootctx.c) all open a UKI here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/uki_view.h"

/* A text section as a malloc'ed string (NULL when absent or empty). */
static char *text_of(const struct zp_uki_part *pt)
{
	char *s;

	if (!pt->data)
		return NULL;
	s = malloc(pt->size + 1);
	if (!s)
		return NULL;
	if (zp_uki_text(pt, s, pt->size + 1) <= 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* Why zp_probe refused a PE: the same steps again, with their diag. */
static int explain(const uint8_t *buf, size_t len, struct zp_image *img, struct tool_err *err)
{
	struct zp_diag d = { { 0 } };
	struct zp_pe *pe = &img->u.uki.pe;
	struct zp_uki *parts = &img->u.uki.parts;
	int r = zp_probe_pe(buf, len, pe, &d);

	if (r) {
		tool_err_set(err, "PE/COFF image: %s", d.msg[0] ? d.msg : zp_strerror(r));
		return r;
	}
	r = zp_uki_parts(pe, parts, &d);
	if (r == ZP_EUKIAMBIG) {
		tool_err_set(err, "a UKI whose parts depend on the systemd-stub version, "
			 "refused: %s", d.msg);
		return r;
	}
	if (r) {
		tool_err_set(err, "a PE/COFF image (%s%s) but not a UKI: %s",
			 zp_pe_machine_name(pe->machine),
			 pe->subsystem == ZP_PE_SUBSYSTEM_EFI_APPLICATION ? " EFI application" : "",
			 d.msg);
		return r;
	}
	r = zp_probe_bzimage(parts->kernel.data, parts->kernel.size, &img->u.uki.bz);
	if (r) {
		tool_err_set(err, "UKI's .linux (%zu bytes at file offset 0x%zx) is not a bzImage "
			 "we can read: %s", parts->kernel.size, parts->kernel.offset,
			 r == ZP_EBADMAGIC ? "no boot_flag/HdrS magic" : zp_strerror(r));
		return r;
	}
	tool_err_set(err, "not a UKI we can read");	/* zp_probe disagreed: should not happen */
	return ZP_EUNKNOWN;
}

int uki_view_open(const uint8_t *buf, size_t len, struct uki_view *v, struct tool_err *err)
{
	memset(v, 0, sizeof(*v));
	v->img = malloc(sizeof(*v->img));
	if (!v->img) {
		tool_err_set(err, "out of memory");
		return ZP_ENOSPACE;
	}
	int r = zp_probe(buf, len, v->img);
	if (r == ZP_OK && v->img->format != ZP_FORMAT_UKI) {
		tool_err_set(err, "not a UKI: a%s", v->img->format == ZP_FORMAT_ELF ? "n ELF file" :
			 " bzImage");
		r = ZP_EUNKNOWN;
	} else if (r && zp_identify(buf, len) != ZP_FORMAT_UKI) {
		tool_err_set(err, "not a UKI (no \"MZ\" with a PE signature): %s", zp_strerror(r));
	} else if (r) {
		r = explain(buf, len, v->img, err);
	}
	if (r) {
		uki_view_close(v);
		return r;
	}
	const struct zp_uki *parts = &v->img->u.uki.parts;
	v->kernel = parts->kernel.data;
	v->kernel_len = parts->kernel.size;
	v->initrd = parts->initrd.data;
	v->initrd_len = parts->initrd.size;
	v->cmdline = text_of(&parts->cmdline);
	v->uname = text_of(&parts->uname);
	return ZP_OK;
}

void uki_view_close(struct uki_view *v)
{
	free(v->img);
	free(v->cmdline);
	free(v->uname);
	memset(v, 0, sizeof(*v));
}
