/* SPDX-License-Identifier: MIT */
/*
 * sha256.h - SHA-256 (FIPS 180-4), for naming a kernel image by its
 * content: the KCIDB build id and the JSON's kernel_sha256 are the hex
 * digest `sha256sum` prints.
 */
#ifndef ZEROPAGE_TOOLS_SHA256_H
#define ZEROPAGE_TOOLS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct zp_sha256 {
	uint32_t h[8];
	uint64_t total;		/* bytes hashed so far */
	uint8_t buf[64];
	size_t used;		/* bytes waiting in buf */
};

void zp_sha256_init(struct zp_sha256 *s);
void zp_sha256_update(struct zp_sha256 *s, const void *data, size_t len);
void zp_sha256_final(struct zp_sha256 *s, uint8_t digest[32]);

/* The digest of data[0..len) as 64 lowercase hex digits and a NUL. */
void zp_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
