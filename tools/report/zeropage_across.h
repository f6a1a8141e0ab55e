/* SPDX-License-Identifier: MIT */
/*
 * zeropage_across.h - one boot path's zero page compared across machines
 * (`zeropage report --across PATH`): the same shim, say, turned QEMU's
 * start_info v1 (pc), Xen's PVH dom0 builder's v0 (xen) and libxc's v1
 * (xen-domu) into boot_params; which fields came out different, side by
 * side, and which loader gave each machine its start_info.
 *
 * Where each column's start_info came from is read, first, from the
 * shim's own line ("zeropage-shim: entry ..., start_info vN at 0x...,
 * memmap from SRC (N entries), ...": shim/main.c says it on every boot)
 * in the row's console, Xen's log or the dom0 log; else it is the loader
 * the machine is known to have (across_expected_loader), marked as such.
 */
#ifndef ZEROPAGE_TOOLS_ZEROPAGE_ACROSS_H
#define ZEROPAGE_TOOLS_ZEROPAGE_ACROSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/verdict.h"
#include "report/kernel_id.h"

#define ACROSS_MAX_COLUMNS	16	/* machines in one table */
#define ACROSS_CELL		48	/* a cell's text, NUL included */
#define ACROSS_SHIM_LINE	512	/* the shim's line kept, NUL included */

/* The loader a machine's PVH guests get their start_info from. */
struct across_loader {
	const char *machine;
	const char *loader;	/* "QEMU's PVH loader", ... */
	unsigned start_info_version;
	const char *memmap_from;	/* "start_info" or "XENMEM_memory_map" */
};

/* The loader machine `machine` has (a table this file owns: see the .c
 * for why each), NULL for a machine it does not know. */
const struct across_loader *across_expected_loader(const char *machine);

/* What the shim's line said of its start_info. */
struct across_start_info {
	bool seen;		/* the line was found and read */
	unsigned version;	/* start_info's version field */
	uint64_t paddr;		/* where it was */
	const char *memmap_from;	/* "start_info", "XENMEM_memory_map", "?" */
	unsigned memmap_entries;
};

/* The shim's plan line in text[0..len) - a console, Xen's log with its
 * "(dN) " prefixes, or a dom0 log - into out (without the prefix, Xen's
 * 199-character pieces joined): true, or false when there is none. */
bool across_shim_line(const char *text, size_t len, char *out, size_t cap);

/* Reads "start_info vN at 0xA, memmap from SRC (N entries)" from the
 * shim's line: 0, or -1 when it is not there whole. */
int across_start_info_parse(const char *line, struct across_start_info *si);

/* One line of the table: a field whose value differs between two of the
 * columns that have a zero page, its value in each ("-" for a column
 * without one). */
struct across_line {
	char name[40];
	char value[ACROSS_MAX_COLUMNS][ACROSS_CELL];
};

/* Compares zero pages zp[0..n) (n <= ACROSS_MAX_COLUMNS; a NULL one is a
 * column without a zero page, shown as "-" and not compared): every
 * named boot_params and setup header field, the opaque blobs (as how
 * many bytes are set and their hash), and the e820 tables entry by entry,
 * each sorted by address so that the same range lines up.  Fills up to
 * cap lines, in the zero page's field order, and returns how many differ;
 * *same gets how many fields (and e820 lines) are the same in all. */
size_t across_compare(const uint8_t *const *zp, size_t n, struct across_line *lines, size_t cap,
		      size_t *same);

/* One machine's column. */
struct across_column {
	const char *machine;
	enum verdict verdict;
	bool has_report;
	const uint8_t *zero_page;	/* 4096 bytes, NULL none */
	struct across_start_info si;	/* from the shim's line, when seen */
	const struct across_loader *loader;	/* the machine's known loader, NULL unknown */
};

/* The table of one kernel's path across its machines. */
struct across_table {
	const struct kernel_id *kernel;
	const char *path;
	struct across_column col[ACROSS_MAX_COLUMNS];
	size_t ncols;
	const char *na[ACROSS_MAX_COLUMNS];	/* machines where the path is n/a */
	size_t nna;
	struct across_line *lines;	/* malloc'ed by across_table_fill */
	size_t nlines, ndiffer, nsame;
};

/* Compares t's columns into t->lines: 0, or -1 out of memory. */
int across_table_fill(struct across_table *t);
void across_table_free(struct across_table *t);

/* The table as text, a column per machine. */
void across_table_print(FILE *f, const struct across_table *t);

struct json;
/* The table as a JSON object (in an array: key NULL). */
void across_table_json(struct json *j, const struct across_table *t);

#endif
