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

enum zero_page_kind { ZERO_PAGE_U8, ZERO_PAGE_U16, ZERO_PAGE_U32, ZERO_PAGE_U64, ZERO_PAGE_BYTES, ZERO_PAGE_E820 };

struct zero_page_field {
	const char *name;	/* "type_of_loader", "acpi_rsdp_addr", "e820_table", ... */
	uint16_t offset;	/* in the zero page */
	uint16_t size;
	enum zero_page_kind kind;
};

extern const struct zero_page_field zero_page_fields[];
extern const size_t zero_page_nfields;

const struct zero_page_field *zero_page_field(const char *name);	/* NULL if unknown */
/* A scalar field's value (little-endian); 0 for unknown names or blobs. */
uint64_t zero_page_get(const uint8_t *bp, const char *name);

/* efi_info.efi_loader_signature ("EL64", "EL32") as text, "" when zero;
 * bytes that are not printable show as '.'. */
void zero_page_efi_signature(const uint8_t *bp, char out[5]);

/* One difference between two zero pages, e.g. name "type_of_loader",
 * text "type_of_loader 0xb0->0xff". */
struct zero_page_diff {
	char name[40];
	char text[192];
};

/* Compares a against b field by field (padding ignored; e820_table entry
 * by entry up to the larger e820_entries).  Fills up to cap items and
 * returns how many differences there are in all. */
size_t zero_page_diff(const uint8_t *a, const uint8_t *b, struct zero_page_diff *items, size_t cap);

/* "type_of_loader 0xb0->0xff, e820_entries 6->7 +3 more" into out. */
void zero_page_diff_summary(const struct zero_page_diff *items, size_t n, size_t shown,
			    char *out, size_t cap);

/* n little-endian bytes (n <= 8) as a number. */
uint64_t zero_page_le(const uint8_t *p, unsigned n);

#endif
