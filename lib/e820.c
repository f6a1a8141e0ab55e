/* SPDX-License-Identifier: MIT */
/* e820.c - editing an e820 memory map in the caller's array. */
#include <zeropage/zeropage.h>
#include "env.h"

static uint64_t entry_end(const struct zp_e820_entry *e)
{
	uint64_t end;
	return zp_add_overflows_u64(e->addr, e->size, &end) ? UINT64_MAX : end;
}

/* Insertion sort: maps are short, and it needs no scratch space. */
static void sort_by_addr(struct zp_e820_entry *e, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		struct zp_e820_entry cur = e[i];
		uint32_t j = i;
		while (j > 0 && e[j - 1].addr > cur.addr) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = cur;
	}
}

void zp_e820_normalise(struct zp_e820_map *map)
{
	uint32_t out = 0;

	sort_by_addr(map->entries, map->count);
	for (uint32_t i = 0; i < map->count; i++) {
		struct zp_e820_entry *e = &map->entries[i];
		struct zp_e820_entry *prev = out ? &map->entries[out - 1] : NULL;
		if (e->size == 0)
			continue;
		/* Same type, touching or overlapping: one entry. */
		if (prev && prev->type == e->type && e->addr <= entry_end(prev)) {
			uint64_t end = zp_max_u64(entry_end(prev), entry_end(e));
			prev->size = end - prev->addr;
			continue;
		}
		map->entries[out++] = *e;
	}
	map->count = out;
}

/* Entries that cover [addr, end) on both sides and so must be split. */
static uint32_t count_splits(const struct zp_e820_map *map, uint64_t addr, uint64_t end)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < map->count; i++)
		if (map->entries[i].addr < addr && entry_end(&map->entries[i]) > end)
			n++;
	return n;
}

/* Removes [addr, end) from entry i; a split appends the upper part. */
static void carve(struct zp_e820_map *map, uint32_t i, uint64_t addr, uint64_t end)
{
	struct zp_e820_entry *e = &map->entries[i];
	uint64_t e_end = entry_end(e);

	if (e_end <= addr || e->addr >= end)
		return;
	if (e->addr < addr && e_end > end) {
		map->entries[map->count++] = (struct zp_e820_entry){ end, e_end - end, e->type };
		e->size = addr - e->addr;
	} else if (e->addr < addr) {
		e->size = addr - e->addr;
	} else if (e_end > end) {
		e->size = e_end - end;
		e->addr = end;
	} else {
		e->size = 0;	/* swallowed whole; normalise drops it */
	}
}

int zp_e820_set(struct zp_e820_map *map, uint64_t addr, uint64_t size, uint32_t type)
{
	uint64_t end;
	uint32_t n;

	if (!map || (!map->entries && map->capacity))
		return ZP_EINVAL;
	if (size == 0)
		return ZP_OK;
	if (zp_add_overflows_u64(addr, size, &end))
		return ZP_EOVERFLOW;
	/* Worst case before normalise drops the swallowed entries. */
	if (map->count + count_splits(map, addr, end) + 1 > map->capacity)
		return ZP_ENOSPACE;
	n = map->count;
	for (uint32_t i = 0; i < n; i++)
		carve(map, i, addr, end);
	map->entries[map->count++] = (struct zp_e820_entry){ addr, size, type };
	zp_e820_normalise(map);
	return ZP_OK;
}

/* The entry of `type` containing `addr`, or NULL. */
static const struct zp_e820_entry *find_covering(const struct zp_e820_map *map,
						 uint64_t addr, uint32_t type)
{
	for (uint32_t i = 0; i < map->count; i++) {
		const struct zp_e820_entry *e = &map->entries[i];
		if (e->type == type && e->addr <= addr && addr < entry_end(e))
			return e;
	}
	return NULL;
}

static bool overlaps_non_ram(const struct zp_e820_map *map, uint64_t addr, uint64_t end)
{
	for (uint32_t i = 0; i < map->count; i++) {
		const struct zp_e820_entry *e = &map->entries[i];
		if (e->type != ZP_E820_RAM && e->size && e->addr < end && entry_end(e) > addr)
			return true;
	}
	return false;
}

bool zp_e820_is_ram(const struct zp_e820_map *map, uint64_t addr, uint64_t size)
{
	uint64_t end, cur = addr;

	if (!map || zp_add_overflows_u64(addr, size ? size : 1, &end))
		return false;
	/* Walk RAM entries that chain from addr to end; a map given to us
	 * need not be normalised, so an overlapping reserved entry wins. */
	while (cur < end) {
		const struct zp_e820_entry *e = find_covering(map, cur, ZP_E820_RAM);
		if (!e)
			return false;
		cur = entry_end(e);
	}
	return !overlaps_non_ram(map, addr, end);
}
