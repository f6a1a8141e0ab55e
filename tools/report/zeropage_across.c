/* SPDX-License-Identifier: MIT */
/* zeropage_across.c - see zeropage_across.h. */
#include <stdlib.h>
#include <string.h>

#include <zeropage/abi.h>

#include "common/json.h"
#include "common/safe_text.h"
#include "report/zero_page.h"
#include "report/zeropage_across.h"

/* ------------------------------------------------------------------ */
/* Which loader hands each machine's PVH guest its start_info */

/*
 * QEMU's PVH loader (pc, q35 and microvm alike: x86_load_linux) writes a
 * start_info version 1 with its own memory map in it.  Xen 4.17's PVH
 * dom0 builder writes version 0, which has no memory map: dom0 asks
 * XENMEM_memory_map (shim/xen.c).  libxc's domain builder, which `xl
 * create` runs in the toolstack dom0 for a PVH domU, writes version 1
 * with the map libxl made.  The shim's own line says the same on every
 * boot; this table is what a row without that line is taken to have had.
 */
static const struct across_loader loaders[] = {
	{ "pc", "QEMU's PVH loader", 1, "start_info" },
	{ "q35", "QEMU's PVH loader", 1, "start_info" },
	{ "microvm", "QEMU's PVH loader", 1, "start_info" },
	{ "xen", "Xen's PVH dom0 builder", 0, "XENMEM_memory_map" },
	{ "xen-domu", "libxc (xl create)", 1, "start_info" },
};

const struct across_loader *across_expected_loader(const char *machine)
{
	for (size_t i = 0; machine && i < sizeof(loaders) / sizeof(loaders[0]); i++)
		if (!strcmp(loaders[i].machine, machine))
			return &loaders[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The shim's line */

/* Xen logs a domU's debug-port bytes in pieces of at most 199 characters
 * (hvm_print_line flushes its 200-byte buffer, NUL included), each
 * behind "(dN) "; a longer line goes on in the next piece. */
#define XEN_PIECE	199

/* The "(dN) " prefix at p (end e): its length, or 0. */
static size_t domain_prefix(const char *p, const char *e)
{
	size_t n = 2;

	if (e - p < 5 || p[0] != '(' || p[1] != 'd')
		return 0;
	while (p + n < e && n < 8 && p[n] >= '0' && p[n] <= '9')
		n++;
	return n > 2 && p + n + 1 < e && p[n] == ')' && p[n + 1] == ' ' ? n + 2 : 0;
}

/* The line at p (within [start, e)) without its CR/LF: its end. */
static const char *line_end(const char *p, const char *e)
{
	const char *nl = memchr(p, '\n', (size_t)(e - p));
	const char *end = nl ? nl : e;

	while (end > p && end[-1] == '\r')
		end--;
	return end;
}

bool across_shim_line(const char *text, size_t len, char *out, size_t cap)
{
	static const char plan[] = "zeropage-shim: entry ";
	const char *e = text + len, *at = text ? memmem(text, len, plan, sizeof(plan) - 1) : NULL;
	const char *bol, *end;
	size_t n = 0, pre = 0;

	if (!at || !cap)
		return false;
	for (bol = at; bol > text && bol[-1] != '\n'; bol--)
		;
	pre = domain_prefix(bol, at);
	if (bol + pre != at)
		pre = 0;	/* not Xen's "(dN) " right before it */
	for (;;) {
		end = line_end(at, e);
		for (const char *p = at; p < end && n + 1 < cap; p++)
			out[n++] = *p;
		/* a whole piece, and the same domain's next one follows */
		const char *next = end < e ? memchr(end, '\n', (size_t)(e - end)) : NULL;
		if (!pre || (size_t)(end - at) != XEN_PIECE || !next || e - next - 1 < (ptrdiff_t)pre ||
		    memcmp(next + 1, at - pre, pre))
			break;
		at = next + 1 + pre;
	}
	out[n] = 0;
	return true;
}

/* "WORD" at p when p starts with one of ours, else "?" (untrusted text
 * is never echoed). */
static const char *memmap_word(const char *p)
{
	static const char *const words[] = { "XENMEM_memory_map", "start_info" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncmp(p, words[i], strlen(words[i])) && p[strlen(words[i])] == ' ')
			return words[i];
	return "?";
}

int across_start_info_parse(const char *line, struct across_start_info *si)
{
	const char *v = strstr(line, "start_info v"), *m = strstr(line, ", memmap from ");
	char *end;

	memset(si, 0, sizeof(*si));
	if (!v || !m || v[12] < '0' || v[12] > '9')
		return -1;
	unsigned long ver = strtoul(v + 12, &end, 10);
	if (ver > 0xffffffffUL || strncmp(end, " at 0x", 6))
		return -1;
	si->paddr = strtoull(end + 6, NULL, 16);
	si->version = (unsigned)ver;
	si->memmap_from = memmap_word(m + 14);
	const char *paren = strchr(m + 14, '(');
	if (!paren || paren[1] < '0' || paren[1] > '9')
		return -1;
	unsigned long entries = strtoul(paren + 1, &end, 10);
	if (entries > 0xffffffffUL || strncmp(end, " entries)", 9))
		return -1;
	si->memmap_entries = (unsigned)entries;
	si->seen = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The comparison */

static const char *e820_type_name(uint32_t t, char *buf, size_t cap)
{
	if (zp_e820_type_name(t))
		return zp_e820_type_name(t);
	snprintf(buf, cap, "type %u", t);
	return buf;
}

struct e820_sorted {
	uint64_t addr, size;
	uint32_t type;
};

static int by_address(const void *a, const void *b)
{
	const struct e820_sorted *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

/* zp's e820 table (its first e820_entries, at most the zero page's 128),
 * sorted by address into out: how many. */
static unsigned e820_sorted(const uint8_t *zp, struct e820_sorted *out)
{
	unsigned n = zp[offsetof(struct zp_boot_params, e820_entries)];

	if (n > ZP_E820_MAX_ZEROPAGE)
		n = ZP_E820_MAX_ZEROPAGE;
	for (unsigned k = 0; k < n; k++) {
		const uint8_t *e = zp + offsetof(struct zp_boot_params, e820_table) +
				   k * sizeof(struct zp_e820_entry);
		out[k] = (struct e820_sorted){ zero_page_le(e, 8), zero_page_le(e + 8, 8),
					       (uint32_t)zero_page_le(e + 16, 4) };
	}
	qsort(out, n, sizeof(*out), by_address);
	return n;
}

/* A blob as a cell: "0" when all zero, else how many bytes are set and
 * their FNV-1a hash, so that equal blobs read equal. */
static void blob_cell(const uint8_t *p, size_t size, char *out, size_t cap)
{
	uint32_t h = 2166136261u;
	size_t set = 0;

	for (size_t i = 0; i < size; i++) {
		set += p[i] != 0;
		h = (h ^ p[i]) * 16777619u;
	}
	if (!set)
		snprintf(out, cap, "0");
	else
		snprintf(out, cap, "%zu bytes set #%08x", set, h);
}

/* Keeps line L when its cells differ between two columns with a zero
 * page: counts it in *differ (filling lines up to cap) or in *same. */
static void keep_if_differs(const uint8_t *const *zp, size_t n, const struct across_line *l,
			    struct across_line *lines, size_t cap, size_t *differ, size_t *same)
{
	const char *first = NULL;
	bool differs = false;

	for (size_t c = 0; c < n; c++) {
		if (!zp[c])
			continue;
		if (first && strcmp(first, l->value[c]))
			differs = true;
		first = first ? first : l->value[c];
	}
	if (!differs) {
		++*same;
		return;
	}
	if (*differ < cap)
		lines[*differ] = *l;
	++*differ;
}

/* The e820 lines: entry k of each sorted table side by side. */
static void compare_e820(const uint8_t *const *zp, size_t n, struct across_line *lines, size_t cap,
			 size_t *differ, size_t *same)
{
	static struct e820_sorted t[ACROSS_MAX_COLUMNS][ZP_E820_MAX_ZEROPAGE];
	unsigned cnt[ACROSS_MAX_COLUMNS] = { 0 }, max = 0;
	struct across_line l;
	char tn[16];

	for (size_t c = 0; c < n; c++) {
		cnt[c] = zp[c] ? e820_sorted(zp[c], t[c]) : 0;
		max = cnt[c] > max ? cnt[c] : max;
	}
	for (unsigned k = 0; k < max; k++) {
		memset(&l, 0, sizeof(l));
		snprintf(l.name, sizeof(l.name), "e820[%u]", k);
		for (size_t c = 0; c < n; c++) {
			const struct e820_sorted *e = &t[c][k];
			if (!zp[c])
				snprintf(l.value[c], ACROSS_CELL, "-");
			else if (k >= cnt[c])
				snprintf(l.value[c], ACROSS_CELL, "none");
			else
				snprintf(l.value[c], ACROSS_CELL, "0x%llx+0x%llx %s",
					 (unsigned long long)e->addr, (unsigned long long)e->size,
					 e820_type_name(e->type, tn, sizeof(tn)));
		}
		keep_if_differs(zp, n, &l, lines, cap, differ, same);
	}
}

size_t across_compare(const uint8_t *const *zp, size_t n, struct across_line *lines, size_t cap,
		      size_t *same)
{
	size_t differ = 0;
	struct across_line l;

	*same = 0;
	if (n > ACROSS_MAX_COLUMNS)
		n = ACROSS_MAX_COLUMNS;
	for (size_t i = 0; i < zero_page_nfields; i++) {
		const struct zero_page_field *f = &zero_page_fields[i];
		if (f->kind == ZERO_PAGE_E820) {
			compare_e820(zp, n, lines, cap, &differ, same);
			continue;
		}
		memset(&l, 0, sizeof(l));
		snprintf(l.name, sizeof(l.name), "%s", f->name);
		for (size_t c = 0; c < n; c++) {
			if (!zp[c])
				snprintf(l.value[c], ACROSS_CELL, "-");
			else if (f->kind == ZERO_PAGE_BYTES)
				blob_cell(zp[c] + f->offset, f->size, l.value[c], ACROSS_CELL);
			else
				snprintf(l.value[c], ACROSS_CELL, "0x%llx",
					 (unsigned long long)zero_page_le(zp[c] + f->offset, f->size));
		}
		keep_if_differs(zp, n, &l, lines, cap, &differ, same);
	}
	return differ;
}

/* ------------------------------------------------------------------ */
/* The table */

/* Lines a table can have: every field, and an e820 line per entry. */
#define ACROSS_LINES_MAX	(256 + ZP_E820_MAX_ZEROPAGE)

int across_table_fill(struct across_table *t)
{
	const uint8_t *zp[ACROSS_MAX_COLUMNS] = { 0 };

	free(t->lines);
	t->lines = calloc(ACROSS_LINES_MAX, sizeof(*t->lines));
	if (!t->lines)
		return -1;
	for (size_t c = 0; c < t->ncols && c < ACROSS_MAX_COLUMNS; c++)
		zp[c] = t->col[c].zero_page;
	t->ndiffer = across_compare(zp, t->ncols, t->lines, ACROSS_LINES_MAX, &t->nsame);
	t->nlines = t->ndiffer < ACROSS_LINES_MAX ? t->ndiffer : ACROSS_LINES_MAX;
	return 0;
}

void across_table_free(struct across_table *t)
{
	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
}

static size_t columns_with_zero_page(const struct across_table *t)
{
	size_t n = 0;

	for (size_t c = 0; c < t->ncols; c++)
		n += t->col[c].zero_page != NULL;
	return n;
}

/* The header's cells for column c: its state, its start_info's loader,
 * version and memory map, and where we know that from. */
static void state_cell(const struct across_column *k, char *out, size_t cap)
{
	if (k->zero_page)
		snprintf(out, cap, "%s", verdict_name(k->verdict));
	else if (k->has_report)
		snprintf(out, cap, "%s: no zero page", verdict_name(k->verdict));
	else
		snprintf(out, cap, "%s: no report", verdict_name(k->verdict));
}

static void start_info_cells(const struct across_column *k, char cell[4][ACROSS_CELL])
{
	const struct across_loader *l = k->loader;

	snprintf(cell[0], ACROSS_CELL, "%s", l ? l->loader : "?");
	if (k->si.seen) {
		snprintf(cell[1], ACROSS_CELL, "v%u at 0x%llx%s", k->si.version,
			 (unsigned long long)k->si.paddr,
			 l && l->start_info_version != k->si.version ? " (unexpected)" : "");
		snprintf(cell[2], ACROSS_CELL, "%s (%u entries)", k->si.memmap_from,
			 k->si.memmap_entries);
		snprintf(cell[3], ACROSS_CELL, "the shim's line");
	} else if (l) {
		snprintf(cell[1], ACROSS_CELL, "v%u", l->start_info_version);
		snprintf(cell[2], ACROSS_CELL, "%s", l->memmap_from);
		snprintf(cell[3], ACROSS_CELL, "the machine (no shim line)");
	} else {
		for (int i = 1; i < 4; i++)
			snprintf(cell[i], ACROSS_CELL, "?");
	}
}

static size_t column_width(const struct across_table *t, size_t c)
{
	char cells[4][ACROSS_CELL], state[ACROSS_CELL];
	size_t w = strlen(t->col[c].machine);

	state_cell(&t->col[c], state, sizeof(state));
	start_info_cells(&t->col[c], cells);
	w = strlen(state) > w ? strlen(state) : w;
	for (int i = 0; i < 4; i++)
		w = strlen(cells[i]) > w ? strlen(cells[i]) : w;
	for (size_t i = 0; i < t->nlines; i++)
		w = strlen(t->lines[i].value[c]) > w ? strlen(t->lines[i].value[c]) : w;
	return w + 2;
}

#define NAME_WIDTH	22

static void print_row(FILE *f, const char *name, const char *const *cells, const size_t *w, size_t n)
{
	fprintf(f, "%-*s", NAME_WIDTH, name);
	for (size_t c = 0; c < n; c++)
		fprintf(f, "%-*s", c + 1 < n ? (int)w[c] : 0, cells[c]);
	fputc('\n', f);
}

static void print_header(FILE *f, const struct across_table *t, const size_t *w)
{
	static const char *const label[4] = { "loader", "start_info", "memmap from", "known from" };
	char si[ACROSS_MAX_COLUMNS][4][ACROSS_CELL], state[ACROSS_MAX_COLUMNS][ACROSS_CELL];
	const char *cells[ACROSS_MAX_COLUMNS];

	for (size_t c = 0; c < t->ncols; c++) {
		cells[c] = t->col[c].machine;
		state_cell(&t->col[c], state[c], sizeof(state[c]));
		start_info_cells(&t->col[c], si[c]);
	}
	print_row(f, "machine", cells, w, t->ncols);
	for (size_t c = 0; c < t->ncols; c++)
		cells[c] = state[c];
	print_row(f, "verdict", cells, w, t->ncols);
	for (int i = 0; i < 4; i++) {
		for (size_t c = 0; c < t->ncols; c++)
			cells[c] = si[c][i];
		print_row(f, label[i], cells, w, t->ncols);
	}
}

/* The file's base name. */
static const char *base_name(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash ? slash + 1 : file;
}

void across_table_print(FILE *f, const struct across_table *t)
{
	size_t w[ACROSS_MAX_COLUMNS], compared = columns_with_zero_page(t);
	const char *cells[ACROSS_MAX_COLUMNS];

	safe_text_printf(f, "%s across machines, kernel %s%s%s%s\n", t->path,
			 base_name(t->kernel->file), t->kernel->release[0] ? " (" : "",
			 t->kernel->release, t->kernel->release[0] ? ")" : "");
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = column_width(t, c);
	print_header(f, t, w);
	if (t->nna) {
		fprintf(f, "%-*s", NAME_WIDTH, "not applicable on");
		for (size_t i = 0; i < t->nna; i++)
			fprintf(f, "%s%s", i ? ", " : "", t->na[i]);
		fputc('\n', f);
	}
	fputc('\n', f);
	for (size_t i = 0; i < t->nlines; i++) {
		for (size_t c = 0; c < t->ncols; c++)
			cells[c] = t->lines[i].value[c];
		print_row(f, t->lines[i].name, cells, w, t->ncols);
	}
	if (compared < 2)
		fprintf(f, "%zu machine%s with a zero page: nothing to compare\n", compared,
			compared == 1 ? "" : "s");
	else
		fprintf(f, "%zu field%s differ%s; %zu the same on all %zu machines with a zero page "
			"(e820 entries sorted by address)\n", t->ndiffer, t->ndiffer == 1 ? "" : "s",
			t->ndiffer == 1 ? "s" : "", t->nsame, compared);
}

static void start_info_json(struct json *j, const struct across_column *k)
{
	const struct across_loader *l = k->loader;

	json_object_begin(j, "start_info");
	json_string(j, "loader", l ? l->loader : NULL);
	if (k->si.seen) {
		json_uint(j, "version", k->si.version);
		json_uint(j, "paddr", k->si.paddr);
		json_string(j, "memmap_from", k->si.memmap_from);
		json_uint(j, "memmap_entries", k->si.memmap_entries);
		json_string(j, "source", "shim_line");
	} else if (l) {
		json_uint(j, "version", l->start_info_version);
		json_string(j, "memmap_from", l->memmap_from);
		json_string(j, "source", "machine");
	} else {
		json_null(j, "version");
		json_null(j, "source");
	}
	if (k->si.seen && l)
		json_uint(j, "expected_version", l->start_info_version);
	json_object_end(j);
}

void across_table_json(struct json *j, const struct across_table *t)
{
	json_object_begin(j, NULL);
	json_string(j, "path", t->path);
	json_string(j, "kernel", t->kernel->file);
	json_string(j, "kernel_sha256", t->kernel->sha256);
	json_array_begin(j, "machines");
	for (size_t c = 0; c < t->ncols; c++) {
		const struct across_column *k = &t->col[c];
		json_object_begin(j, NULL);
		json_string(j, "machine", k->machine);
		json_string(j, "verdict", verdict_name(k->verdict));
		json_bool(j, "report", k->has_report);
		json_bool(j, "zero_page", k->zero_page != NULL);
		start_info_json(j, k);
		json_object_end(j);
	}
	json_array_end(j);
	json_array_begin(j, "not_applicable");
	for (size_t i = 0; i < t->nna; i++)
		json_string(j, NULL, t->na[i]);
	json_array_end(j);
	json_array_begin(j, "differ");
	for (size_t i = 0; i < t->nlines; i++) {
		json_object_begin(j, NULL);
		json_string(j, "field", t->lines[i].name);
		json_object_begin(j, "values");
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->col[c].zero_page)
				json_string(j, t->col[c].machine, t->lines[i].value[c]);
			else
				json_null(j, t->col[c].machine);
		}
		json_object_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_uint(j, "differ_count", t->ndiffer);
	json_uint(j, "same_count", t->nsame);
	json_object_end(j);
}
