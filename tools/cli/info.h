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
#include "common/json.h"

/* A bzImage as text, and its keys every format's JSON has (cmd_info.c). */
void info_text_bzimage(const char *path, const struct zp_bzimage *bz);
void info_json_entries(struct json *j, uint32_t entries);
void info_json_bzimage_keys(struct json *j, const struct zp_bzimage *bz);

/* A UKI: its PE, parts, os-release and the kernel in .linux (info_uki.c).
 * Returns an exit code. */
int info_describe_uki(const char *path, const uint8_t *img, size_t len, bool as_json);

/* A bundle, to f: what the shim will do with it (info_bundle.c).  Returns
 * an exit code. */
int info_describe_bundle(FILE *f, const char *path, const uint8_t *buf, size_t len,
			 const struct zp_elf *elf, bool as_json);

#endif
