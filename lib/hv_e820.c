/* SPDX-License-Identifier: MIT */
/*
 * hv_e820.c - a memory map the hypervisor wrote into a buffer of ours.
 *
 * Xen's PVH dom0 builder (4.17) hands a version 0 start_info, which has no
 * memory map; the guest is expected to ask with XENMEM_memory_map, which
 * fills a buffer with packed 20-byte e820 entries and returns their count.
 * The shim gathers those bytes; this file decides what they mean.  The
 * count and the bytes both come from outside, so the count is checked
 * against the buffer before a byte is read, and a map the kernel would
 * reject (a wrapping entry makes Linux drop the whole table) or could not
 * boot from (no RAM) is refused here rather than handed on.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

#define ULL(v) ((unsigned long long)(v))
#define ENTRY_SIZE 20u		/* u64 addr, u64 size, u32 type: packed */

_Static_assert(sizeof(struct zp_e820_entry) == ENTRY_SIZE, "hypervisor e820 entries are 20 bytes");

static int check_count(size_t buf_len, uint32_t nr, const struct zp_e820_map *map,
		       struct zp_diag *diag)
{
	uint64_t need = (uint64_t)nr * ENTRY_SIZE;

	if (nr == 0)
		return zp_diag_fail(diag, ZP_ENOMEMMAP, "hypervisor memory map has no entries");
	if (nr > ZP_HV_E820_MAX)
		return zp_diag_fail(diag, ZP_ETOOMANY,
				    "hypervisor memory map has %u entries, more than %u",
				    nr, ZP_HV_E820_MAX);
	if (need > buf_len)
		return zp_diag_fail(diag, ZP_ETRUNCATED,
				    "hypervisor memory map claims %u entries (%llu bytes), "
				    "its buffer holds %llu bytes", nr, ULL(need), ULL(buf_len));
	if (nr > map->capacity)
		return zp_diag_fail(diag, ZP_ENOSPACE,
				    "hypervisor memory map has %u entries, e820 map holds %u",
				    nr, map->capacity);
	return ZP_OK;
}

static bool has_ram(const struct zp_e820_map *map)
{
	for (uint32_t i = 0; i < map->count; i++)
		if (map->entries[i].type == ZP_E820_RAM)
			return true;
	return false;
}

int zp_e820_from_hypervisor(const void *buf, size_t buf_len, uint32_t nr_entries,
			    struct zp_e820_map *map, struct zp_diag *diag)
{
	const uint8_t *p = buf;
	int r;

	zp_diag_clear(diag);
	if (!buf || !map || (map->capacity && !map->entries))
		return zp_diag_fail(diag, ZP_EINVAL, "missing hypervisor buffer or e820 map");
	map->count = 0;
	r = check_count(buf_len, nr_entries, map, diag);
	if (r)
		return r;
	for (uint32_t i = 0; i < nr_entries; i++) {
		const uint8_t *e = p + (size_t)i * ENTRY_SIZE;	/* inside buf_len: checked */
		uint64_t addr = zp_le64(e), size = zp_le64(e + 8), end;

		if (zp_add_overflows_u64(addr, size, &end)) {
			map->count = 0;
			return zp_diag_fail(diag, ZP_EOVERFLOW,
					    "hypervisor e820 entry %u 0x%llx+0x%llx wraps past 2^64",
					    i, ULL(addr), ULL(size));
		}
		map->entries[i] = (struct zp_e820_entry){ addr, size, zp_le32(e + 16) };
	}
	map->count = nr_entries;
	zp_e820_normalise(map);		/* sorted; empty entries dropped */
	if (map->count == 0)
		return zp_diag_fail(diag, ZP_ENOMEMMAP,
				    "hypervisor memory map's %u entries are all empty", nr_entries);
	if (!has_ram(map)) {
		map->count = 0;
		return zp_diag_fail(diag, ZP_ENOMEMMAP,
				    "hypervisor memory map (%u entries) has no RAM", nr_entries);
	}
	return ZP_OK;
}
