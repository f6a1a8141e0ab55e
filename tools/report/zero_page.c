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

const struct zp_bp_field zp_bp_fields[] = {
	BP(screen_info, ZP_BP_BYTES),
	BP(apm_bios_info, ZP_BP_BYTES),
	BP(tboot_addr, ZP_BP_U64),
	BP(ist_info, ZP_BP_BYTES),
	BP(acpi_rsdp_addr, ZP_BP_U64),
	BP(hd0_info, ZP_BP_BYTES),
	BP(hd1_info, ZP_BP_BYTES),
	BP(sys_desc_table, ZP_BP_BYTES),
	BP(olpc_ofw_header, ZP_BP_BYTES),
	BP(ext_ramdisk_image, ZP_BP_U32),
	BP(ext_ramdisk_size, ZP_BP_U32),
	BP(ext_cmd_line_ptr, ZP_BP_U32),
	BP(cc_blob_address, ZP_BP_U32),
	BP(edid_info, ZP_BP_BYTES),
	BP(efi_info, ZP_BP_BYTES),
	BP(alt_mem_k, ZP_BP_U32),
	BP(scratch, ZP_BP_U32),
	BP(e820_entries, ZP_BP_U8),
	BP(eddbuf_entries, ZP_BP_U8),
	BP(edd_mbr_sig_buf_entries, ZP_BP_U8),
	BP(kbd_status, ZP_BP_U8),
	BP(secure_boot, ZP_BP_U8),
	BP(sentinel, ZP_BP_U8),
	HDR(setup_sects, ZP_BP_U8),
	HDR(root_flags, ZP_BP_U16),
	HDR(syssize, ZP_BP_U32),
	HDR(ram_size, ZP_BP_U16),
	HDR(vid_mode, ZP_BP_U16),
	HDR(root_dev, ZP_BP_U16),
	HDR(boot_flag, ZP_BP_U16),
	HDR(jump, ZP_BP_U16),
	HDR(header, ZP_BP_U32),
	HDR(version, ZP_BP_U16),
	HDR(realmode_swtch, ZP_BP_U32),
	HDR(start_sys_seg, ZP_BP_U16),
	HDR(kernel_version, ZP_BP_U16),
	HDR(type_of_loader, ZP_BP_U8),
	HDR(loadflags, ZP_BP_U8),
	HDR(setup_move_size, ZP_BP_U16),
	HDR(code32_start, ZP_BP_U32),
	HDR(ramdisk_image, ZP_BP_U32),
	HDR(ramdisk_size, ZP_BP_U32),
	HDR(bootsect_kludge, ZP_BP_U32),
	HDR(heap_end_ptr, ZP_BP_U16),
	HDR(ext_loader_ver, ZP_BP_U8),
	HDR(ext_loader_type, ZP_BP_U8),
	HDR(cmd_line_ptr, ZP_BP_U32),
	HDR(initrd_addr_max, ZP_BP_U32),
	HDR(kernel_alignment, ZP_BP_U32),
	HDR(relocatable_kernel, ZP_BP_U8),
	HDR(min_alignment, ZP_BP_U8),
	HDR(xloadflags, ZP_BP_U16),
	HDR(cmdline_size, ZP_BP_U32),
	HDR(hardware_subarch, ZP_BP_U32),
	HDR(hardware_subarch_data, ZP_BP_U64),
	HDR(payload_offset, ZP_BP_U32),
	HDR(payload_length, ZP_BP_U32),
	HDR(setup_data, ZP_BP_U64),
	HDR(pref_address, ZP_BP_U64),
	HDR(init_size, ZP_BP_U32),
	HDR(handover_offset, ZP_BP_U32),
	HDR(kernel_info_offset, ZP_BP_U32),
	BP(edd_mbr_sig_buffer, ZP_BP_BYTES),
	BP(e820_table, ZP_BP_E820),
	BP(eddbuf, ZP_BP_BYTES),
};
const size_t zp_bp_nfields = sizeof(zp_bp_fields) / sizeof(zp_bp_fields[0]);

const struct zp_bp_field *zp_bp_field(const char *name)
{
	for (size_t i = 0; i < zp_bp_nfields; i++)
		if (!strcmp(zp_bp_fields[i].name, name))
			return &zp_bp_fields[i];
	return NULL;
}

uint64_t zp_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

uint64_t zp_bp_get(const uint8_t *bp, const char *name)
{
	const struct zp_bp_field *f = zp_bp_field(name);
	if (!f || f->kind == ZP_BP_BYTES || f->kind == ZP_BP_E820)
		return 0;
	return zp_le(bp + f->offset, f->size);
}


void zp_bp_efi_signature(const uint8_t *bp, char out[5])
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

static void add_diff(struct zp_bp_diff *items, size_t cap, size_t *n, const char *name,
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
	uint64_t addr = zp_le(e, 8), size = zp_le(e + 8, 8);
	uint32_t type = (uint32_t)zp_le(e + 16, 4);
	snprintf(out, cap, "0x%llx+0x%llx:%u", (unsigned long long)addr,
		 (unsigned long long)size, type);
}

size_t zp_bp_diff(const uint8_t *a, const uint8_t *b, struct zp_bp_diff *items, size_t cap)
{
	size_t n = 0;
	char text[192];

	/* Three passes so the named scalars, which say most, come first,
	 * then the memory map, then the opaque byte blobs. */
	for (int pass = 0; pass < 3; pass++)
	for (size_t i = 0; i < zp_bp_nfields; i++) {
		const struct zp_bp_field *f = &zp_bp_fields[i];
		const uint8_t *pa = a + f->offset, *pb = b + f->offset;
		int fpass = f->kind == ZP_BP_E820 ? 1 : f->kind == ZP_BP_BYTES ? 2 : 0;
		if (fpass != pass)
			continue;
		if (f->kind == ZP_BP_E820) {
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
		if (f->kind == ZP_BP_BYTES) {
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
				 (unsigned long long)zp_le(pa, f->size), (unsigned long long)zp_le(pb, f->size));
		}
		add_diff(items, cap, &n, f->name, text);
	}
	return n;
}

void zp_bp_diff_summary(const struct zp_bp_diff *items, size_t n, size_t shown,
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

