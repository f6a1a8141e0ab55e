/* SPDX-License-Identifier: MIT */
/* matrix_rows.c - see matrix_rows.h: the rows, their table and JUnit. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/fileio.h"
#include "common/tool_err.h"
#include "report/junit.h"
#include "report/matrix_rows.h"
#include "common/safe_text.h"

const struct matrix_stage matrix_stages[MATRIX_STAGES] = {
	{ "first_byte", offsetof(struct matrix_row, t_first_byte), -1 },
	{ "banner", offsetof(struct matrix_row, t_banner), -1 },
	{ "init", offsetof(struct matrix_row, t_init), -1 },
	{ "exit", offsetof(struct matrix_row, t_exit), -1 },
	{ "build", offsetof(struct matrix_row, build_s), 0 },
};

bool matrix_row_passed(const struct matrix_row *r)
{
	/* started: an image that is not Linux ran, which is all it can show
	 * (doc/non-linux.md) */
	return r->verdict == VERDICT_OK || r->verdict == VERDICT_STARTED ||
	       r->verdict == VERDICT_SKIPPED || r->verdict == VERDICT_NA;
}

int matrix_shard_parse(const char *s, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	if (*s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || a < 1 || b < 1 || a > b || b > 100000)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

bool matrix_shard_has(size_t index, unsigned k, unsigned n)
{
	return n && index % n == (size_t)k - 1;
}

const char *matrix_rows_basename(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash && slash[1] ? slash + 1 : file;
}

void matrix_rows_free_diffs(struct matrix_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].diff);
		rows[i].diff = NULL;
		rows[i].ndiff = 0;
	}
}

static long find_reference(const struct matrix_row *rows, size_t n, size_t i, const char *reference)
{
	for (size_t k = 0; k < n; k++)
		if (rows[k].kernel == rows[i].kernel && !strcmp(rows[k].machine, rows[i].machine) &&
		    (!reference || !strcmp(rows[k].path, reference)) &&
		    rows[k].verdict == VERDICT_OK && rows[k].zero_page)
			return (long)k;
	return -1;
}

void matrix_rows_diff(struct matrix_row *rows, size_t n, const char *reference)
{
	matrix_rows_free_diffs(rows, n);
	for (size_t i = 0; i < n; i++) {
		long ref = find_reference(rows, n, i, reference);
		rows[i].diff_against = ref < 0 ? NULL : rows[ref].path;
		rows[i].is_reference = ref == (long)i;
		if (ref < 0 || !rows[i].has_report || !rows[i].zero_page)
			continue;
		rows[i].diff = calloc(MATRIX_ROWS_DIFF_CAP, sizeof(*rows[i].diff));
		if (rows[i].diff)
			rows[i].ndiff = zero_page_diff(rows[ref].zero_page, rows[i].zero_page,
						       rows[i].diff, MATRIX_ROWS_DIFF_CAP);
	}
}

static void fmt_time(char *b, size_t cap, double t)
{
	if (t < 0)
		snprintf(b, cap, "-");
	else
		snprintf(b, cap, "%.2fs", t);
}

static void verdict_cell(const struct matrix_row *r, char *b, size_t cap)
{
	enum verdict v = r->verdict;

	if (v == VERDICT_OK || v == VERDICT_PANIC || v == VERDICT_TIMEOUT ||
	    v == VERDICT_NOINIT || v == VERDICT_STARTED)
		snprintf(b, cap, "%s", verdict_name(v));
	else if (v == VERDICT_SKIPPED)
		snprintf(b, cap, "skipped: %s", r->reason);
	else if (v == VERDICT_NA)
		snprintf(b, cap, "n/a");
	else
		snprintf(b, cap, "error: %s", r->reason);
}

static void diff_cell(const struct matrix_row *r, char *d, size_t cap)
{
	if (!r->diff_against || !r->has_report)
		snprintf(d, cap, "-");
	else if (r->is_reference)
		snprintf(d, cap, "(reference)");
	else
		zero_page_diff_summary(r->diff, r->ndiff < MATRIX_ROWS_DIFF_CAP ? r->ndiff : MATRIX_ROWS_DIFF_CAP,
				       MATRIX_ROWS_DIFF_SHOWN, d, cap);
}

/* One row of the table.  Its text cells hold the guest's words (reasons)
 * or, for `report`, whatever a shard file says: each is escaped and padded
 * by its escaped width; the verdict cell is cut at 24 columns. */
static void table_row(FILE *f, const struct matrix_row *r, size_t path_width, size_t kaslr_width)
{
	char v[400], t1[16], t2[16], t3[16], d[512];

	verdict_cell(r, v, sizeof(v));
	fmt_time(t1, sizeof(t1), r->t_first_byte);
	fmt_time(t2, sizeof(t2), r->t_banner);
	fmt_time(t3, sizeof(t3), r->t_init);
	diff_cell(r, d, sizeof(d));
	safe_text_cell(f, r->path, path_width, false);
	fputc(' ', f);
	safe_text_cell(f, r->machine, 8, false);
	fputc(' ', f);
	safe_text_cell(f, r->entry ? r->entry : "-", 16, false);
	fputc(' ', f);
	safe_text_cell(f, v, 24, true);
	fprintf(f, " %8s %8s %8s  ", t1, t2, t3);
	safe_text_cell(f, r->kaslr, kaslr_width, false);
	fputs("  ", f);
	safe_text_puts(f, d);
	fputc('\n', f);
}

/* The rows of kernel k: header, one line each, then the full reasons
 * (the verdict column is truncated). */
static void table_block(FILE *f, const struct matrix_run *run, const struct kernel_id *k)
{
	size_t kw = strlen("kaslr");
	size_t pw = 13;	/* every path name up to shim-vmlinux; wider when a row's is */

	/* the kaslr column is as wide as its widest cell: "-" in most rows,
	 * "p+0x..,v+0x.." where the kernel runs away from its link address;
	 * rows without a report leave it blank */
	for (size_t i = 0; i < run->nrows; i++) {
		const char *cell = run->rows[i].kaslr;
		size_t w = safe_text_width(cell, strlen(cell), SAFE_TEXT_LINE);
		if (run->rows[i].kernel == k && w > kw)
			kw = w;
		w = safe_text_width(run->rows[i].path, strlen(run->rows[i].path), SAFE_TEXT_LINE);
		if (run->rows[i].kernel == k && w > pw)
			pw = w;
	}
	safe_text_printf(f, "%-*s %-8s %-16s %-24s %8s %8s %8s  %-*s  zero page vs %s\n", (int)pw, "path",
			 "machine", "entry", "verdict", "1st-byte", "banner", "init", (int)kw, "kaslr",
			 run->reference ? run->reference : "first ok path");
	for (size_t i = 0; i < run->nrows; i++)
		if (run->rows[i].kernel == k)
			table_row(f, &run->rows[i], pw, kw);
	for (size_t i = 0; i < run->nrows; i++) {
		const struct matrix_row *r = &run->rows[i];
		if (r->kernel == k && r->verdict != VERDICT_OK && r->verdict != VERDICT_NA &&
		    r->reason[0])
			safe_text_printf(f, "  %s/%s: %s: %s\n", r->path, r->machine,
					 verdict_name(r->verdict), r->reason);
	}
}

size_t matrix_rows_count(const struct matrix_run *run, enum verdict v)
{
	size_t n = 0;

	for (size_t i = 0; i < run->nrows; i++)
		n += run->rows[i].verdict == v;
	return n;
}

size_t matrix_rows_table(FILE *f, const struct matrix_run *run)
{
	size_t failed = 0, blocks = 0;

	for (size_t k = 0; k < run->nkernels; k++) {
		const struct kernel_id *kid = &run->kernels[k];
		size_t rows = 0;
		for (size_t i = 0; i < run->nrows; i++)
			rows += run->rows[i].kernel == kid;
		if (run->nkernels > 1) {
			if (!rows)
				continue;
			if (blocks)
				fputc('\n', f);
			safe_text_printf(f, "kernel %s: %s\n", kid->file,	/* the image's own version */
					 kid->version[0] ? kid->version : "(no version string)");
		}
		table_block(f, run, kid);
		blocks++;
	}
	for (size_t i = 0; i < run->nrows; i++)
		failed += !matrix_row_passed(&run->rows[i]);
	return failed;
}

static enum junit_status junit_status_of(enum verdict v)
{
	if (v == VERDICT_OK || v == VERDICT_STARTED)
		return JUNIT_PASS;
	return v == VERDICT_SKIPPED || v == VERDICT_NA ? JUNIT_SKIP : JUNIT_FAIL;
}

void matrix_rows_junit(FILE *f, const struct matrix_run *run, const char *suite)
{
	size_t n = run->nrows;
	struct junit_case *c = calloc(n ? n : 1, sizeof(*c));
	char (*cls)[320] = calloc(n ? n : 1, sizeof(*cls));
	char (*msg)[400] = calloc(n ? n : 1, sizeof(*msg));
	const char *(*vals)[2] = calloc(n ? n : 1, sizeof(*vals));
	static const char *const props[] = { "entry", "entry_why", NULL };

	for (size_t i = 0; c && cls && msg && vals && i < n; i++) {
		const struct matrix_row *r = &run->rows[i];
		if (run->nkernels > 1)
			snprintf(cls[i], sizeof(cls[i]), "matrix.%s.%s",
				 matrix_rows_basename(r->kernel->file), r->machine);
		else
			snprintf(cls[i], sizeof(cls[i]), "matrix.%s", r->machine);
		snprintf(msg[i], sizeof(msg[i]), "%s: %s", verdict_name(r->verdict), r->reason);
		c[i].classname = cls[i];
		c[i].name = r->path;
		c[i].seconds = r->t_exit >= 0 ? r->t_exit : 0;
		c[i].status = junit_status_of(r->verdict);
		c[i].message = msg[i];
		vals[i][0] = r->entry;
		vals[i][1] = r->entry_why;
		c[i].prop_names = props;
		c[i].prop_values = vals[i];
		if (c[i].status == JUNIT_FAIL && r->console) {
			/* the console's last 4 KiB says where the guest got to */
			size_t keep = r->console_len > 4096 ? 4096 : r->console_len;
			c[i].output = r->console + r->console_len - keep;
			c[i].output_len = keep;
		}
	}
	if (c && cls && msg && vals)
		junit_write(f, suite, c, n);
	free(vals);
	free(c);
	free(cls);
	free(msg);
}

int matrix_rows_write_file(const char *option, const char *path, matrix_rows_writer *write,
			   const struct matrix_run *run, const char *arg, struct tool_err *err)
{
	struct fileio_atomic af;
	/* atomic like every output: on a full disk the old report stays */
	FILE *f = fileio_atomic_fopen(path, 0666, &af, err);

	if (f) {
		write(f, run, arg);
		if (fileio_atomic_fclose(f, &af, path, err) == 0)
			return 0;
	}
	if (err) {
		struct tool_err why = *err;
		tool_err_set(err, "%s %s", option, why.msg);
	}
	return -1;
}

void matrix_rows_rfc3339(char *out, size_t cap, double t)
{
	time_t secs;
	long us;
	struct tm tm;

	/* Checked before any conversion: a double out of time_t's range (inf,
	 * 1e300) or NaN converted to an integer is undefined behaviour. */
	if (!(t >= 0 && t <= MATRIX_ROWS_TIME_MAX)) {	/* NaN too: no date to name */
		snprintf(out, cap, "%s", "");
		return;
	}
	secs = (time_t)t;
	us = (long)((t - (double)secs) * 1e6 + 0.5);
	if (us >= 1000000)
		secs++, us -= 1000000;
	gmtime_r(&secs, &tm);
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us);
}

/* The n digits at *s as a number no greater than max, *s moved past them:
 * 0, or -1 (not n digits, or too big).  sscanf("%2d") would take " 1" and
 * "+1", which RFC 3339 does not. */
static int digits(const char **s, int n, int max, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*s)++) {
		if (**s < '0' || **s > '9')
			return -1;
		v = v * 10 + (**s - '0');
	}
	*out = v;
	return v <= max ? 0 : -1;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* "Z", "+HH:MM" or "-HH:MM" at s, the whole rest: its seconds east of UTC. */
static int utc_offset(const char *s, double *east)
{
	int sign = *s == '+' ? 1 : *s == '-' ? -1 : 0, oh, om;

	if ((*s == 'Z' || *s == 'z') && !s[1]) {
		*east = 0;
		return 0;
	}
	s++;
	if (!sign || digits(&s, 2, 23, &oh) || *s++ != ':' || digits(&s, 2, 59, &om) || *s)
		return -1;
	*east = sign * (oh * 3600.0 + om * 60.0);
	return 0;
}

int matrix_rows_rfc3339_parse(const char *s, double *t)
{
	struct tm tm = { 0 };
	double frac = 0, east;
	int year, mon, day;

	if (digits(&s, 4, 9999, &year) || *s++ != '-' || digits(&s, 2, 12, &mon) || mon < 1 ||
	    *s++ != '-' || digits(&s, 2, 31, &day) || day < 1 || day > days_in_month(year, mon) ||
	    (*s != 'T' && *s != 't'))
		return -1;
	s++;
	/* second 60: a leap second, which RFC 3339 allows */
	if (digits(&s, 2, 23, &tm.tm_hour) || *s++ != ':' || digits(&s, 2, 59, &tm.tm_min) ||
	    *s++ != ':' || digits(&s, 2, 60, &tm.tm_sec))
		return -1;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		frac = strtod(s, NULL);	/* the digits only: what follows is checked next */
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (utc_offset(s, &east))
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	*t = (double)timegm(&tm) + frac - east;
	return 0;
}
