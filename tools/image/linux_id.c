/* SPDX-License-Identifier: MIT */
/* linux_id.c - see linux_id.h. */
#include <stdio.h>

#include "image/linux_id.h"

void linux_id_describe(const struct zp_bzimage *bz, char *out, size_t cap)
{
	switch (zp_bzimage_linux_evidence(bz)) {
	case ZP_LINUX_VERSION:
		snprintf(out, cap, "Linux: its version string has Linux's form "
			 "(RELEASE (USER@HOST) VERSION)");
		break;
	case ZP_LINUX_PAYLOAD:
		snprintf(out, cap, "Linux: no version string, but its payload is a %s "
			 "stream, as Linux's compressed vmlinux", zp_compression_name(bz->compression));
		break;
	case ZP_NOT_LINUX_VERSION:
		snprintf(out, cap, "not Linux: its version string is '%.100s'", bz->version);
		break;
	case ZP_NOT_LINUX_NO_EVIDENCE:
		snprintf(out, cap, "not Linux: no version string and no compressed payload");
		break;
	}
}
