/* SPDX-License-Identifier: MIT */
/*
 * info_loaders.c - `zeropage info --loaders` and the "loaders" member of
 * `info --json`: the facts the core's rules need, gathered here (the image
 * as probed, the EFI stub's PE machine, and for a bzImage or a UKI the
 * vmlinux its payload decompresses to), and the verdicts printed.  The
 * rules themselves are lib/loaders.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zeropage/loaders.h>
#include <zeropage/pe.h>

#include "cli/info.h"
#include "common/safe_text.h"
#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "image/decompress.h"

/* The path as a shell word, for the fix commands a user pastes: as it is
 * when it holds only characters no shell treats specially, else in single
 * quotes (each ' as '\''). */
static void shell_word(const char *path, char *out, size_t cap)
{
	size_t n = 0;

	if (path[0] && strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			      "0123456789_./+-,:=@%") == strlen(path)) {
		snprintf(out, cap, "%s", path);
		return;
	}
	out[n++] = '\'';
	for (const char *p = path; *p && n + 6 < cap; p++) {
		if (*p == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			out[n++] = *p;
		}
	}
	out[n++] = '\'';
	out[n] = '\0';
}

/* The vmlinux inside a bzImage's payload, probed into *elf; NULL with the
 * reason in *why when there is none to read. */
static const struct zp_elf *payload_elf(const struct zp_bzimage *bz, struct zp_elf *elf,
					struct decompress_buf *buf, char *why, size_t cap)
{
	struct tool_err err;
	int r;

	if (!bz->has_payload) {
		snprintf(why, cap, "it records no payload (protocol %u.%02u)", bz->protocol >> 8,
			 bz->protocol & 0xff);
		return NULL;
	}
	if (decompress_payload(bz->compression, bz->image + bz->payload_offset,
			       bz->payload_size, 0, buf, &err) < 0) {
		snprintf(why, cap, "its payload did not decompress (%s)", err.msg);
		return NULL;
	}
	r = zp_probe_elf(buf->data, buf->len, elf);
	if (r < 0) {
		snprintf(why, cap, "its payload is no ELF we read (%s)", zp_strerror(r));
		return NULL;
	}
	return elf;
}

/* The EFI stub's PE machine, read by the core's PE parser (0: none). */
static uint16_t stub_pe_machine(const struct zp_bzimage *bz)
{
	static struct zp_pe pe;

	if (!bz->has_pe_header || zp_probe_pe(bz->image, bz->image_len, &pe, NULL) < 0)
		return 0;
	return pe.machine;
}

int info_loaders_judge(const char *path, const struct zp_image *img, struct info_loaders *out)
{
	static struct zp_elf inner;
	struct decompress_buf buf = { NULL, 0 };
	struct zp_loader_facts f = { .format = img->format };
	char why[600], word[1024];
	int n;

	if (img->format == ZP_FORMAT_ELF) {
		f.elf = &img->u.elf;
		f.bundle = bundle_is_ours(&img->u.elf);
	} else {
		f.bz = &img->u.bz;	/* a UKI's .linux too */
		f.elf = payload_elf(f.bz, &inner, &buf, why, sizeof(why));
		f.payload_why = f.elf ? NULL : why;
		f.pe_machine = img->format == ZP_FORMAT_UKI ? img->u.uki.pe.machine
			       : stub_pe_machine(f.bz);
	}
	shell_word(path, word, sizeof(word));
	n = zp_loaders_judge(&f, word, out->v, ZP_LOADERS_COUNT);
	free(buf.data);	/* the verdicts hold no pointer into it */
	out->n = n < 0 ? 0 : (unsigned)n;
	return n < 0 ? -1 : 0;
}

void info_loaders_text(FILE *f, const char *path, const struct info_loaders *l)
{
	safe_text_printf(f, "%s: where it boots as it is\n", path);
	fprintf(f, "  %-24s %-5s %s\n", "loader", "boots", "why / fix");
	for (unsigned i = 0; i < l->n; i++) {
		const struct zp_loader_verdict *v = &l->v[i];

		/* why and fix quote the path the user gave: escaped */
		/* "?": the rule cannot tell (known false), which is not a no */
		safe_text_printf(f, "  %-24s %-5s %s\n", v->loader,
				 !v->known ? "?" : v->boots ? "yes" : "no", v->why);
		if (v->fix[0])
			safe_text_printf(f, "  %-24s %-5s fix: %s\n", "", "", v->fix);
		if (v->fix_note[0])
			safe_text_printf(f, "  %-24s %-5s %s%s\n", "", "", v->fix[0] ? "     " : "",
					 v->fix_note);
	}
}
