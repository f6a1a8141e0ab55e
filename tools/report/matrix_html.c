/* SPDX-License-Identifier: MIT */
/* matrix_html.c - see matrix_html.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "report/matrix_html.h"

/* Code points HTML forbids in a document even when written as UTF-8:
 * C1 controls and the noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF). */
static bool html_forbidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0xfdd0 && cp <= 0xfdef) ||
	       (cp & 0xfffe) == 0xfffe;
}

/* One control byte c (< 0x20 or DEL) as its control picture, U+2400 + c
 * (U+2421 for DEL), in UTF-8: E2 90 80+c. */
static void control_picture(FILE *f, unsigned char c)
{
	unsigned pic = c == 0x7f ? 0x21 : c;

	fputc(0xe2, f);
	fputc(0x90, f);
	fputc(0x80 + pic, f);
}

static void replacement(FILE *f)
{
	fputs("\xef\xbf\xbd", f);	/* U+FFFD */
}

void matrix_html_escape(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		uint32_t cp;
		size_t n;

		if (c >= 0x80) {
			n = utf8_sequence(u + i, len - i, &cp);
			if (n && !html_forbidden(cp)) {
				fwrite(u + i, 1, n, f);
				i += n - 1;
			} else {
				replacement(f);	/* a bad byte, or a whole forbidden character */
				i += n ? n - 1 : 0;
			}
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\t': case '\n': case '\r': fputc(c, f); break;
		default:
			if (c < 0x20 || c == 0x7f)
				control_picture(f, c);
			else
				fputc(c, f);
		}
	}
}

/* A NUL-terminated string, NULL as "". */
static void esc(FILE *f, const char *s)
{
	if (s)
		matrix_html_escape(f, s, strlen(s));
}

static const char page_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}\n"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\n"
	"th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}\n"
	"code,pre,.mono{font-family:ui-monospace,monospace;font-size:.92em}\n"
	"td.path,td.machine,td.kaslr{white-space:nowrap}\n"
	"pre{background:#f7f7f7;border:1px solid #ddd;padding:.5em;overflow-x:auto;"
	"white-space:pre-wrap;word-break:break-all}\n"
	"tr.pass td.verdict{background:#dff3df}tr.fail td.verdict{background:#f8d7d7;"
	"font-weight:bold}\n"
	"tr.notrun td{color:#666}tr.notrun td.verdict{background:#eee}\n"
	".track{position:relative;width:24em;height:1em;background:#f3f3f3;"
	"border:1px solid #ddd}\n"
	".seg{position:absolute;top:0;bottom:0}\n"
	".to-first-byte{background:#9aa7b8}.to-banner{background:#e0b050}"
	".to-init{background:#4a8fd4}.to-exit{background:#58b368}\n"
	".key{display:inline-block;width:1em;height:.8em;margin:0 .3em 0 1em;"
	"vertical-align:baseline}\n"
	"dl.run{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}\n"
	"dl.run dt{font-weight:bold}dl.run dd{margin:0}\n"
	"details{margin:.2em 0}summary{cursor:pointer}\n"
	"ul.diff{margin:.2em 0;padding-left:1.2em}\n";

/* t (seconds, >= 0) to the millisecond exactly as the JSON keeps it
 * (matrix_json.c writes "%.3f", matrix_load reads that back): `report` of
 * a run's JSON then writes the very page the run wrote.  Arithmetic
 * rounding would differ from printf's in the last digit now and then. */
static double to_ms(double t)
{
	char b[32];

	snprintf(b, sizeof(b), "%.3f", t);
	return strtod(b, NULL);
}

/* The stages a timeline shows: each bar segment ends at its mark. */
struct stage_mark {
	const char *class_name, *label;
	double t;
};

static size_t row_marks(const struct matrix_row *r, struct stage_mark m[4])
{
	const struct stage_mark all[4] = {
		{ "to-first-byte", "first console byte", r->t_first_byte },
		{ "to-banner", "kernel banner", r->t_banner },
		{ "to-init", "init (the probe)", r->t_init },
		{ "to-exit", "exit", r->t_exit },
	};
	size_t n = 0;
	double last = 0;

	/* the stages in order; a time that is unknown or earlier than the one
	 * before (a clock the row's own data contradicts) has no segment */
	for (size_t i = 0; i < 4; i++)
		if (all[i].t >= 0 && all[i].t <= 1e9 && to_ms(all[i].t) >= last) {
			/* compared rounded: a banner at the first byte's time
			 * must stay a segment whichever way the two round */
			m[n] = all[i];
			m[n].t = to_ms(all[i].t);
			last = m[n++].t;
		}
	return n;
}

/* The longest time any row reached: every row's bar is drawn to it. */
static double timeline_scale(const struct matrix_run *run)
{
	double max = 0;

	for (size_t i = 0; i < run->nrows; i++) {
		struct stage_mark m[4];
		size_t n = row_marks(&run->rows[i], m);
		if (n && m[n - 1].t > max)
			max = m[n - 1].t;
	}
	return max;
}

static void timeline_cell(FILE *f, const struct matrix_row *r, double scale)
{
	struct stage_mark m[4];
	size_t n = row_marks(r, m);
	double from = 0;

	fputs("<td class=\"timeline\">", f);
	if (!n || !(scale > 0)) {
		fputs("</td>", f);
		return;
	}
	fputs("<div class=\"track\" role=\"img\" aria-label=\"", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s %.2f s", i ? ", " : "", m[i].label, m[i].t);
	fputs("\">", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<div class=\"seg %s\" data-end=\"%.3f\" style=\"left:%.3f%%;"
			"width:%.3f%%\" title=\"%s at %.2f s\"></div>", m[i].class_name, m[i].t,
			100 * from / scale, 100 * (m[i].t - from) / scale, m[i].label, m[i].t);
		from = m[i].t;
	}
	fputs("</div></td>", f);
}

static void seconds_cell(FILE *f, double t)
{
	if (t >= 0 && t <= 1e9)
		fprintf(f, "<td class=\"num\">%.2f</td>", to_ms(t));
	else
		fputs("<td class=\"num\">-</td>", f);
}

static const char *row_class(const struct matrix_row *r)
{
	if (r->verdict == VERDICT_SKIPPED || r->verdict == VERDICT_NA)
		return "notrun";
	return matrix_row_passed(r) ? "pass" : "fail";
}

/* The zero-page cell: "(reference)", "-", or the first differences with
 * the whole list under them. */
static void diff_cell(FILE *f, const struct matrix_row *r)
{
	size_t kept = r->ndiff < MATRIX_ROWS_DIFF_CAP ? r->ndiff : MATRIX_ROWS_DIFF_CAP;
	char summary[512];

	fputs("<td class=\"diff mono\">", f);
	if (!r->diff_against || !r->has_report) {
		fputs("-", f);
	} else if (r->is_reference) {
		fputs("(reference)", f);
	} else if (!r->ndiff || !r->diff) {
		fputs("same", f);
	} else {
		zero_page_diff_summary(r->diff, kept, MATRIX_ROWS_DIFF_SHOWN, summary,
				       sizeof(summary));
		fputs("<details><summary>", f);
		esc(f, summary);
		fputs("</summary><ul class=\"diff\">", f);
		for (size_t k = 0; k < kept; k++) {
			fputs("<li>", f);
			esc(f, r->diff[k].text);
			fputs("</li>", f);
		}
		if (r->ndiff > kept)
			fprintf(f, "<li>and %zu more</li>", r->ndiff - kept);
		fputs("</ul></details>", f);
	}
	fputs("</td>", f);
}

static void table_row(FILE *f, const struct matrix_row *r, double scale)
{
	fprintf(f, "<tr id=\"row-%zu\" class=\"%s\"><td class=\"path mono\">", r->index,
		row_class(r));
	esc(f, r->path);
	fputs("</td><td class=\"machine\">", f);
	esc(f, r->machine);
	fprintf(f, "</td><td class=\"verdict\">%s</td>", verdict_name(r->verdict));
	seconds_cell(f, r->t_first_byte);
	seconds_cell(f, r->t_banner);
	seconds_cell(f, r->t_init);
	seconds_cell(f, r->t_exit);
	timeline_cell(f, r, scale);
	fputs("<td class=\"kaslr mono\">", f);
	esc(f, r->has_report ? r->kaslr : "");
	fputs("</td>", f);
	diff_cell(f, r);
	fputs("<td class=\"reason\">", f);
	esc(f, r->reason);
	fputs("</td></tr>\n", f);
}

static void table_head(FILE *f, const struct matrix_run *run, double scale)
{
	fputs("<table class=\"matrix\">\n<thead><tr><th>path</th><th>machine</th>"
	      "<th>verdict</th><th>first byte (s)</th><th>banner (s)</th><th>init (s)</th>"
	      "<th>exit (s)</th>", f);
	if (scale > 0)
		fprintf(f, "<th>timeline, 0 to %.2f s</th>", scale);
	else
		fputs("<th>timeline (no times recorded)</th>", f);
	fputs("<th>KASLR offset (phys, virt)</th><th>zero page vs ", f);
	esc(f, run->reference ? run->reference : "the first ok path");
	fputs("</th><th>reason</th></tr></thead>\n<tbody>\n", f);
}

/* Rows that did not pass, in full: reason and the console's tail. */
static void failures(FILE *f, const struct matrix_run *run, const struct kernel_id *k)
{
	bool any = false;

	for (size_t i = 0; i < run->nrows; i++) {
		const struct matrix_row *r = &run->rows[i];
		if (r->kernel != k || matrix_row_passed(r))
			continue;
		if (!any)
			fputs("<h3>Rows that did not pass</h3>\n", f);
		any = true;
		fprintf(f, "<details class=\"failure\" id=\"fail-%zu\"><summary>", r->index);
		esc(f, r->path);
		fputs(" on ", f);
		esc(f, r->machine);
		fprintf(f, ": %s</summary>\n<p class=\"reason\">", verdict_name(r->verdict));
		esc(f, r->reason[0] ? r->reason : "(no reason recorded)");
		fputs("</p>\n", f);
		if (r->console && r->console_len) {
			size_t keep = r->console_len > MATRIX_HTML_CONSOLE ? MATRIX_HTML_CONSOLE :
					r->console_len;
			fprintf(f, "<p>the console's last %zu bytes:</p>\n<pre class=\"console\">",
				keep);
			matrix_html_escape(f, r->console + r->console_len - keep, keep);
			fputs("</pre>\n", f);
		}
		fputs("</details>\n", f);
	}
}

static void kernel_section(FILE *f, const struct matrix_run *run, const struct kernel_id *k,
			   double scale)
{
	fputs("<section class=\"kernel\">\n<h2>kernel <code>", f);
	esc(f, k->file);
	fputs("</code></h2>\n<p>", f);
	esc(f, k->version[0] ? k->version : "(no version string)");
	fputs("<br>sha256 <code>", f);
	esc(f, k->sha256);
	fputs("</code></p>\n", f);
	table_head(f, run, scale);
	for (size_t i = 0; i < run->nrows; i++)
		if (run->rows[i].kernel == k)
			table_row(f, &run->rows[i], scale);
	fputs("</tbody>\n</table>\n", f);
	failures(f, run, k);
	fputs("</section>\n", f);
}

static void run_item(FILE *f, const char *term, const char *value)
{
	fprintf(f, "<dt>%s</dt><dd>", term);
	esc(f, value);
	fputs("</dd>\n", f);
}

/* What ran, where and when; how many rows passed. */
static void run_summary(FILE *f, const struct matrix_run *run, const char *accel)
{
	size_t pass = 0, fail = 0, notrun = 0;
	char t[48], shard[48];

	for (size_t i = 0; i < run->nrows; i++) {
		const char *c = row_class(&run->rows[i]);
		pass += !strcmp(c, "pass");
		fail += !strcmp(c, "fail");
		notrun += !strcmp(c, "notrun");
	}
	fprintf(f, "<p class=\"summary\">%zu rows: %zu ok, %zu failed, %zu not run.</p>\n",
		run->nrows, pass, fail, notrun);
	fputs("<dl class=\"run\">\n", f);
	run_item(f, "accelerator", accel);
	if (run->grid.append)
		run_item(f, "--append", run->grid.append);
	if (run->grid.mem)
		run_item(f, "--mem", run->grid.mem);
	snprintf(shard, sizeof(shard), "%u/%u (%zu of the grid's %zu rows)", run->shard,
		 run->shards, run->nrows, run->grid_rows);
	run_item(f, "shard", shard);
	matrix_rows_rfc3339(t, sizeof(t), run->run_start);
	run_item(f, "started", t[0] ? t : "?");
	matrix_rows_rfc3339(t, sizeof(t), run->run_end);
	run_item(f, "ended", t[0] ? t : "?");
	fputs("</dl>\n", f);
}

static void legend(FILE *f)
{
	fputs("<p class=\"legend\">Timeline, in seconds from the machine's start, every row "
	      "to the same scale: <span class=\"key to-first-byte\">&nbsp;</span>to the first "
	      "console byte<span class=\"key to-banner\">&nbsp;</span>to the kernel's banner"
	      "<span class=\"key to-init\">&nbsp;</span>to init (the probe)<span class=\"key "
	      "to-exit\">&nbsp;</span>to the machine's exit.  A stage not reached has no segment. "
	      "KASLR: where the kernel ran against where it was linked, \"-\" at its link "
	      "address (\"- LOST\" where it was to be moved), \"?\" unknown.</p>\n", f);
}

void matrix_html_write(FILE *f, const struct matrix_run *run, const char *accel)
{
	double scale = timeline_scale(run);

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      /* nothing to run, nothing to fetch: a guest string that escaped
	       * its escaping could still do nothing */
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", f);
	fprintf(f, "<title>zeropage matrix: %zu rows</title>\n<style>\n%s</style>\n</head>\n"
		"<body>\n<h1>zeropage matrix</h1>\n", run->nrows, page_style);
	run_summary(f, run, accel);
	legend(f);
	for (size_t k = 0; k < run->nkernels; k++) {
		bool has_rows = false;
		for (size_t i = 0; i < run->nrows && !has_rows; i++)
			has_rows = run->rows[i].kernel == &run->kernels[k];
		if (has_rows)
			kernel_section(f, run, &run->kernels[k], scale);
	}
	fputs("</body>\n</html>\n", f);
}
