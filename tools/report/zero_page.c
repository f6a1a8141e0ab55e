/* SPDX-License-Identifier: MIT */
/*
 * zero_page.c - the zero page read by field name: the table of
 * boot_params fields (offsets from include/zeropage/abi.h), their values,
 * the loader signature, and the by-name difference of two zero pages that
 * the matrix shows.  See zero_page.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <zeropage/abi.h>

#include "report/zero_page.h"

/* ------------------------------------------------------------------ */
/* The zero page's fields, with offsets from abi.h so they cannot drift. */

#define BP(f, k) { #f, offsetof(struct zp_boot_params, f), \
		   sizeof(((struct zp_boot_params *)0)->f), k }
#define HDR(f, k) { #f, offsetof(struct zp_boot_params, hdr) + offsetof(struct zp_setup_header, f), \
		    sizeof(((struct zp_setup_header *)0)->f), k }

const struct zero_page_field zero_page_fields[] = {
	BP(screen_info, ZERO_PAGE_BYTES),
	BP(apm_bios_info, ZERO_PAGE_BYTES),
	BP(tboot_addr, ZERO_PAGE_U64),
	BP(ist_info, ZERO_PAGE_BYTES),
	BP(acpi_rsdp_addr, ZERO_PAGE_U64),
	BP(hd0_info, ZERO_PAGE_BYTES),
	BP(hd1_info, ZERO_PAGE_BYTES),
	BP(sys_desc_table, ZERO_PAGE_BYTES),
	BP(olpc_ofw_header, ZERO_PAGE_BYTES),
	BP(ext_ramdisk_image, ZERO_PAGE_U32),
	BP(ext_ramdisk_size, ZERO_PAGE_U32),
	BP(ext_cmd_line_ptr, ZERO_PAGE_U32),
	BP(cc_blob_address, ZERO_PAGE_U32),
	BP(edid_info, ZERO_PAGE_BYTES),
	BP(efi_info, ZERO_PAGE_BYTES),
	BP(alt_mem_k, ZERO_PAGE_U32),
	BP(scratch, ZERO_PAGE_U32),
	BP(e820_entries, ZERO_PAGE_U8),
	BP(eddbuf_entries, ZERO_PAGE_U8),
	BP(edd_mbr_sig_buf_entries, ZERO_PAGE_U8),
	BP(kbd_status, ZERO_PAGE_U8),
	BP(secure_boot, ZERO_PAGE_U8),
	BP(sentinel, ZERO_PAGE_U8),
	HDR(setup_sects, ZERO_PAGE_U8),
	HDR(root_flags, ZERO_PAGE_U16),
	HDR(syssize, ZERO_PAGE_U32),
	HDR(ram_size, ZERO_PAGE_U16),
	HDR(vid_mode, ZERO_PAGE_U16),
	HDR(root_dev, ZERO_PAGE_U16),
	HDR(boot_flag, ZERO_PAGE_U16),
	HDR(jump, ZERO_PAGE_U16),
	HDR(header, ZERO_PAGE_U32),
	HDR(version, ZERO_PAGE_U16),
	HDR(realmode_swtch, ZERO_PAGE_U32),
	HDR(start_sys_seg, ZERO_PAGE_U16),
	HDR(kernel_version, ZERO_PAGE_U16),
	HDR(type_of_loader, ZERO_PAGE_U8),
	HDR(loadflags, ZERO_PAGE_U8),
	HDR(setup_move_size, ZERO_PAGE_U16),
	HDR(code32_start, ZERO_PAGE_U32),
	HDR(ramdisk_image, ZERO_PAGE_U32),
	HDR(ramdisk_size, ZERO_PAGE_U32),
	HDR(bootsect_kludge, ZERO_PAGE_U32),
	HDR(heap_end_ptr, ZERO_PAGE_U16),
	HDR(ext_loader_ver, ZERO_PAGE_U8),
	HDR(ext_loader_type, ZERO_PAGE_U8),
	HDR(cmd_line_ptr, ZERO_PAGE_U32),
	HDR(initrd_addr_max, ZERO_PAGE_U32),
	HDR(kernel_alignment, ZERO_PAGE_U32),
	HDR(relocatable_kernel, ZERO_PAGE_U8),
	HDR(min_alignment, ZERO_PAGE_U8),
	HDR(xloadflags, ZERO_PAGE_U16),
	HDR(cmdline_size, ZERO_PAGE_U32),
	HDR(hardware_subarch, ZERO_PAGE_U32),
	HDR(hardware_subarch_data, ZERO_PAGE_U64),
	HDR(payload_offset, ZERO_PAGE_U32),
	HDR(payload_length, ZERO_PAGE_U32),
	HDR(setup_data, ZERO_PAGE_U64),
	HDR(pref_address, ZERO_PAGE_U64),
	HDR(init_size, ZERO_PAGE_U32),
	HDR(handover_offset, ZERO_PAGE_U32),
	HDR(kernel_info_offset, ZERO_PAGE_U32),
	BP(edd_mbr_sig_buffer, ZERO_PAGE_BYTES),
	BP(e820_table, ZERO_PAGE_E820),
	BP(eddbuf, ZERO_PAGE_BYTES),
};
const size_t zero_page_nfields = sizeof(zero_page_fields) / sizeof(zero_page_fields[0]);

const struct zero_page_field *zero_page_field(const char *name)
{
	for (size_t i = 0; i < zero_page_nfields; i++)
		if (!strcmp(zero_page_fields[i].name, name))
			return &zero_page_fields[i];
	return NULL;
}

uint64_t zero_page_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

uint64_t zero_page_get(const uint8_t *bp, const char *name)
{
	const struct zero_page_field *f = zero_page_field(name);
	if (!f || f->kind == ZERO_PAGE_BYTES || f->kind == ZERO_PAGE_E820)
		return 0;
	return zero_page_le(bp + f->offset, f->size);
}


void zero_page_efi_signature(const uint8_t *bp, char out[5])
{
	const uint8_t *sig = bp + offsetof(struct zp_boot_params, efi_info);

	for (int i = 0; i < 4; i++)
		out[i] = sig[i] >= 0x20 && sig[i] < 0x7f ? (char)sig[i] : '.';
	out[4] = 0;
	if (!memcmp(sig, "\0\0\0\0", 4))
		out[0] = 0;
}

/* ------------------------------------------------------------------ */
/* Differences by field name */

static void add_diff(struct zero_page_diff *items, size_t cap, size_t *n, const char *name,
		     const char *text)
{
	if (*n < cap) {
		snprintf(items[*n].name, sizeof(items[*n].name), "%s", name);
		snprintf(items[*n].text, sizeof(items[*n].text), "%s", text);
	}
	(*n)++;
}

static void e820_text(const uint8_t *bp, unsigned idx, unsigned count, char *out, size_t cap)
{
	if (idx >= count) {
		snprintf(out, cap, "none");
		return;
	}
	const uint8_t *e = bp + offsetof(struct zp_boot_params, e820_table) +
			   idx * sizeof(struct zp_e820_entry);
	uint64_t addr = zero_page_le(e, 8), size = zero_page_le(e + 8, 8);
	uint32_t type = (uint32_t)zero_page_le(e + 16, 4);
	snprintf(out, cap, "0x%llx+0x%llx:%u", (unsigned long long)addr,
		 (unsigned long long)size, type);
}

size_t zero_page_diff(const uint8_t *a, const uint8_t *b, struct zero_page_diff *items, size_t cap)
{
	size_t n = 0;
	char text[192];

	/* Three passes so the named scalars, which say most, come first,
	 * then the memory map, then the opaque byte blobs. */
	for (int pass = 0; pass < 3; pass++)
	for (size_t i = 0; i < zero_page_nfields; i++) {
		const struct zero_page_field *f = &zero_page_fields[i];
		const uint8_t *pa = a + f->offset, *pb = b + f->offset;
		int fpass = f->kind == ZERO_PAGE_E820 ? 1 : f->kind == ZERO_PAGE_BYTES ? 2 : 0;
		if (fpass != pass)
			continue;
		if (f->kind == ZERO_PAGE_E820) {
			unsigned ca = a[offsetof(struct zp_boot_params, e820_entries)];
			unsigned cb = b[offsetof(struct zp_boot_params, e820_entries)];
			unsigned max = ca > cb ? ca : cb;
			if (max > ZP_E820_MAX_ZEROPAGE)
				max = ZP_E820_MAX_ZEROPAGE;
			for (unsigned k = 0; k < max; k++) {
				char ta[64], tb[64], name[40];
				e820_text(a, k, ca, ta, sizeof(ta));
				e820_text(b, k, cb, tb, sizeof(tb));
				if (!strcmp(ta, tb))
					continue;
				snprintf(name, sizeof(name), "e820_table[%u]", k);
				snprintf(text, sizeof(text), "%s %s->%s", name, ta, tb);
				add_diff(items, cap, &n, name, text);
			}
			continue;
		}
		if (!memcmp(pa, pb, f->size))
			continue;
		if (f->kind == ZERO_PAGE_BYTES) {
			unsigned cnt = 0, first = 0;
			for (unsigned k = f->size; k-- > 0;)
				if (pa[k] != pb[k]) {
					cnt++;
					first = k;
				}
			snprintf(text, sizeof(text), "%s %u byte%s differ from +0x%x", f->name, cnt,
				 cnt == 1 ? "" : "s", first);
		} else {
			snprintf(text, sizeof(text), "%s 0x%llx->0x%llx", f->name,
				 (unsigned long long)zero_page_le(pa, f->size), (unsigned long long)zero_page_le(pb, f->size));
		}
		add_diff(items, cap, &n, f->name, text);
	}
	return n;
}

void zero_page_diff_summary(const struct zero_page_diff *items, size_t n, size_t shown,
			    char *out, size_t cap)
{
	size_t used = 0;
	out[0] = 0;
	if (n == 0) {
		snprintf(out, cap, "-");
		return;
	}
	for (size_t i = 0; i < n && i < shown && used < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "",
					 items[i].text);
	if (n > shown && used < cap)
		snprintf(out + used, cap - used, " +%zu more", n - shown);
}

