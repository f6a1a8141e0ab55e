/* SPDX-License-Identifier: MIT */
/* info.h - what `zeropage info`'s describers share (cmd_info.c, info_uki.c,
 * info_bundle.c). */
#ifndef ZEROPAGE_TOOLS_CLI_INFO_H
#define ZEROPAGE_TOOLS_CLI_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <zeropage/zeropage.h>
#include <zeropage/loaders.h>
#include "common/json.h"

/* Where the image boots (info_loaders.c): the core's verdicts on the facts
 * gathered here, a bzImage's or a UKI's payload decompressed for the
 * vmlinux notes Xen and `zeropage extract` depend on.  0, or -1 (no
 * verdicts: n is 0). */
struct info_loaders {
	struct zp_loader_verdict v[ZP_LOADERS_COUNT];
	unsigned n;
};
int info_loaders_judge(const char *path, const struct zp_image *img, struct info_loaders *out);
void info_loaders_text(FILE *f, const char *path, const struct info_loaders *l);
/* The "loaders" member, into the open object (nothing when l is NULL). */
void info_loaders_json(struct json *j, const struct info_loaders *l);

/* A bzImage as text, and its keys every format's JSON has (cmd_info.c). */
void info_text_bzimage(const char *path, const struct zp_bzimage *bz);
void info_json_entries(struct json *j, uint32_t entries);
void info_json_bzimage_keys(struct json *j, const struct zp_bzimage *bz);

/* A UKI: its PE, parts, os-release and the kernel in .linux (info_uki.c).
 * Returns an exit code. */
int info_describe_uki(const char *path, const uint8_t *img, size_t len, bool as_json,
		      const struct info_loaders *loaders);

/* A bundle, to f: what the shim will do with it (info_bundle.c).  Returns
 * an exit code. */
int info_describe_bundle(FILE *f, const char *path, const uint8_t *buf, size_t len,
			 const struct zp_elf *elf, bool as_json, const struct info_loaders *loaders);

#endif
