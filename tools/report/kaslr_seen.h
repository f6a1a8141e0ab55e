/* SPDX-License-Identifier: MIT */
/*
 * kaslr_seen.h - where the probe saw the kernel run (guest_report.h's
 * kernel_phys and kernel_text) against where the kernel was linked to run:
 * the offsets KASLR, or a loader placing the kernel elsewhere, added.
 */
#ifndef ZEROPAGE_TOOLS_KASLR_SEEN_H
#define ZEROPAGE_TOOLS_KASLR_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <zeropage/zeropage.h>

#include "report/guest_report.h"

/* x86-64's default LOAD_PHYSICAL_ADDR (CONFIG_PHYSICAL_START, 16 MiB in
 * every distribution's config), for images that do not say.  With
 * ZP_START_KERNEL_MAP (zeropage.h), where physical 0 is mapped, _text is
 * linked at __START_KERNEL_map + LOAD_PHYSICAL_ADDR = 0xffffffff81000000. */
#define DEFAULT_LOAD_PHYSICAL_ADDR	0x1000000ull

/* Where the kernel's _text is linked: physical and virtual; and whether
 * the boot was to move it (a shim-vmlinux boot without nokaslr: the shim
 * randomises, so a kernel at its link address means KASLR was lost). */
struct kernel_link {
	uint64_t phys, virt;
	bool expect_random;
};

/* KASLR was expected and the kernel ran at its link address. */
bool kaslr_seen_lost(const struct guest_report *r, const struct kernel_link *l);

/* The link addresses of a bzImage whose setup header says pref_address
 * (LOAD_PHYSICAL_ADDR for relocatable kernels): x86-64 (kernel64) or i386. */
struct kernel_link kernel_link_from_pref(uint64_t pref_address, bool kernel64);

struct kaslr_seen_offsets {
	bool has_phys, has_virt;	/* the probe reported the address */
	int64_t phys_offset;		/* kernel_phys - link.phys */
	int64_t virt_offset;		/* kernel_text - link.virt */
};

/* The offsets of report r (NULL: none known) against link l. */
void kaslr_seen_offsets_of(const struct guest_report *r, const struct kernel_link *l,
			 struct kaslr_seen_offsets *k);

/* "kernel runs at phys 0x..., virt 0x... (offset +0x... / +0x...)", with
 * "?" for what the probe could not tell. */
void kaslr_seen_print(FILE *f, const struct guest_report *r, const struct kernel_link *l);

/* A table cell: "-" when the kernel runs where it was linked ("- LOST"
 * when it was to be randomised), "?" when nothing is known, else
 * "p+0x...,v+0x..." ("p?" or "v?" for a half). */
void kaslr_seen_cell(char *buf, size_t cap, const struct guest_report *r,
		   const struct kernel_link *l);

struct json;
/* Members kernel_phys, kernel_text (hex strings, null when unknown) and
 * kaslr {phys_offset, virt_offset, link_phys, link_virt, expected, lost}
 * of the current JSON object; r may be NULL (no report: all null, lost
 * false). */
void kaslr_seen_json(struct json *j, const struct guest_report *r,
		   const struct kernel_link *l);

#endif
