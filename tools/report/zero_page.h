/* SPDX-License-Identifier: MIT */
/*
 * zero_page.h - a zero page (struct zp_boot_params as bytes, e.g. what a
 * guest's /sys/kernel/boot_params/data held) read by field name.
 */
#ifndef ZEROPAGE_TOOLS_ZERO_PAGE_H
#define ZEROPAGE_TOOLS_ZERO_PAGE_H

#include <stddef.h>
#include <stdint.h>

/* boot_params fields by name */

enum zp_bp_kind { ZP_BP_U8, ZP_BP_U16, ZP_BP_U32, ZP_BP_U64, ZP_BP_BYTES, ZP_BP_E820 };

struct zp_bp_field {
	const char *name;	/* "type_of_loader", "acpi_rsdp_addr", "e820_table", ... */
	uint16_t offset;	/* in the zero page */
	uint16_t size;
	enum zp_bp_kind kind;
};

extern const struct zp_bp_field zp_bp_fields[];
extern const size_t zp_bp_nfields;

const struct zp_bp_field *zp_bp_field(const char *name);	/* NULL if unknown */
/* A scalar field's value (little-endian); 0 for unknown names or blobs. */
uint64_t zp_bp_get(const uint8_t *bp, const char *name);

/* efi_info.efi_loader_signature ("EL64", "EL32") as text, "" when zero;
 * bytes that are not printable show as '.'. */
void zp_bp_efi_signature(const uint8_t *bp, char out[5]);

/* One difference between two zero pages, e.g. name "type_of_loader",
 * text "type_of_loader 0xb0->0xff". */
struct zp_bp_diff {
	char name[40];
	char text[192];
};

/* Compares a against b field by field (padding ignored; e820_table entry
 * by entry up to the larger e820_entries).  Fills up to cap items and
 * returns how many differences there are in all. */
size_t zp_bp_diff(const uint8_t *a, const uint8_t *b, struct zp_bp_diff *items, size_t cap);

/* "type_of_loader 0xb0->0xff, e820_entries 6->7 +3 more" into out. */
void zp_bp_diff_summary(const struct zp_bp_diff *items, size_t n, size_t shown,
			char *out, size_t cap);

/* n little-endian bytes (n <= 8) as a number. */
uint64_t zp_le(const uint8_t *p, unsigned n);

#endif
