/* SPDX-License-Identifier: MIT */
/* test_html: guest bytes made safe for the HTML page (report/matrix_html.h).
 * Each case feeds the escaper bytes a guest or a shard file could carry and
 * checks, byte for byte, what reaches the page: markup and quotes as
 * character references, controls as visible pictures, bytes that are not
 * UTF-8 and characters HTML forbids as U+FFFD.  Then a whole page written
 * from hostile rows: no tag or attribute of theirs survives, and the
 * timeline's segments have the widths their times give.  tests/html.sh
 * renders real pages in Chromium. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/matrix_html.h"

/* What matrix_html_escape makes of s[0..n). */
static char *escaped(const void *s, size_t n)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_non_null(f);
	matrix_html_escape(f, s, n);
	assert_int_equal(fclose(f), 0);
	return out;
}

#define ESC(lit) escaped(lit, sizeof(lit) - 1)

static void test_markup(void **state)
{
	(void)state;
	assert_string_equal(ESC("<script>alert(1)</script>"),
			    "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_string_equal(ESC("a\" onmouseover='x' b"),
			    "a&quot; onmouseover=&#39;x&#39; b");
	assert_string_equal(ESC("AT&T &amp; &#60;"), "AT&amp;T &amp;amp; &amp;#60;");
	assert_string_equal(ESC("<!-- x --> ]]> <![CDATA["),
			    "&lt;!-- x --&gt; ]]&gt; &lt;![CDATA[");
	assert_string_equal(ESC("plain text, 1.25 s"), "plain text, 1.25 s");
}

static void test_controls(void **state)
{
	(void)state;
	/* tab, LF, CR kept; ESC, BEL, NUL, DEL as control pictures */
	assert_string_equal(ESC("a\tb\nc\r\n"), "a\tb\nc\r\n");
	assert_string_equal(ESC("\x1b[2J"), "\xe2\x90\x9b[2J");	/* U+241B */
	assert_string_equal(ESC("x\x07y"), "x\xe2\x90\x87y");		/* U+2407 */
	assert_string_equal(escaped("a\0b", 3), "a\xe2\x90\x80" "b");	/* U+2400 */
	assert_string_equal(ESC("\x7f"), "\xe2\x90\xa1");		/* U+2421 */
	assert_string_equal(ESC("\x0c"), "\xe2\x90\x8c");		/* form feed too */
}

static void test_utf8(void **state)
{
	(void)state;
	/* valid UTF-8 as it is */
	assert_string_equal(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7"),
			    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7");
	/* a lone byte, a truncated sequence, an overlong '<', a surrogate:
	 * each bad byte one U+FFFD, and the overlong '<' no '<' */
	assert_string_equal(ESC("\xff"), "\xef\xbf\xbd");
	assert_string_equal(ESC("\xe2\x82"), "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(ESC("\xc0\xbc"), "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(ESC("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* C1 (U+009B, CSI) and noncharacters: one U+FFFD for the character */
	assert_string_equal(ESC("\xc2\x9b" "2J"), "\xef\xbf\xbd" "2J");
	assert_string_equal(ESC("\xef\xbf\xbe"), "\xef\xbf\xbd");		/* U+FFFE */
	assert_string_equal(ESC("\xef\xb7\x90"), "\xef\xbf\xbd");		/* U+FDD0 */
	assert_string_equal(ESC("\xf4\x8f\xbf\xbf"), "\xef\xbf\xbd");	/* U+10FFFF */
	/* U+FFFD itself and U+00A0 are fine */
	assert_string_equal(ESC("\xef\xbf\xbd\xc2\xa0"), "\xef\xbf\xbd\xc2\xa0");
}

/* Every byte value alone, and every pair: nothing that opens markup or
 * ends an attribute, no control but tab, LF, CR, and all valid UTF-8. */
static void test_every_byte(void **state)
{
	(void)state;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++) {
			unsigned char in[2] = { (unsigned char)a, (unsigned char)b };
			const unsigned char *o = (const unsigned char *)escaped(in, 2);
			for (; *o; o++) {
				assert_true(*o != '<' && *o != '>' && *o != '"' && *o != '\'');
				assert_true(*o >= 0x20 || *o == '\t' || *o == '\n' || *o == '\r');
				assert_true(*o != 0x7f);
				assert_false(*o == 0xc2 && o[1] >= 0x80 && o[1] <= 0x9f);
				assert_true(*o < 0xf5 && *o != 0xc0 && *o != 0xc1);
			}
		}
}

/* A page from rows whose every string is hostile. */
static char *page(const struct matrix_run *run)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	matrix_html_write(f, run, "tcg<b>");
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_page(void **state)
{
	static struct kernel_id k = { .file = "/k/<img src=x>", .version = "6.1 <i id=v>\xff",
				      .sha256 = "00" };
	static const char console[] = "boot\n<script>document.title='pwned'</script>\x1b[0m";
	struct matrix_row r[2] = {
		{ .index = 0, .kernel = &k, .path = "qemu-bios", .machine = "pc", .verdict = VERDICT_OK,
		  .reason = "", .t_first_byte = 1, .t_banner = 1, .t_init = 3, .t_exit = 4,
		  .has_report = true, .kaslr = "p+0x200000,v+0x400000" },
		{ .index = 1, .kernel = &k, .path = "shim-64", .machine = "pc\"><b id=m>",
		  .verdict = VERDICT_PANIC, .reason = "<script>alert('x')</script> & \"q\"",
		  .t_first_byte = 0.5, .t_banner = 2, .t_init = -1, .t_exit = 2,
		  .console = console, .console_len = sizeof(console) - 1, .kaslr = "" },
	};
	struct matrix_run run = { .kernels = &k, .nkernels = 1, .rows = r, .nrows = 2,
				  .shard = 1, .shards = 1, .grid_rows = 2 };
	char *out = page(&run);

	(void)state;
	assert_non_null(strstr(out, "<!DOCTYPE html>\n"));
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "<img"));
	assert_null(strstr(out, "<b id"));
	assert_null(strstr(out, "<i id"));
	assert_null(strstr(out, "\x1b"));
	assert_null(strstr(out, "url("));	/* nothing to fetch */
	assert_null(strstr(out, "//"));
	assert_non_null(strstr(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
				    "&quot;q&quot;"));
	assert_non_null(strstr(out, "pc&quot;&gt;&lt;b id=m&gt;"));
	assert_non_null(strstr(out, "6.1 &lt;i id=v&gt;\xef\xbf\xbd"));
	assert_non_null(strstr(out, "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"
				    "\xe2\x90\x9b[0m"));
	/* the timeline to the longest time, 4 s: 1 s is 25 %, 3 s is 75 % */
	assert_non_null(strstr(out, "<th>timeline, 0 to 4.00 s</th>"));
	assert_non_null(strstr(out, "class=\"seg to-first-byte\" data-end=\"1.000\" "
				    "style=\"left:0.000%;width:25.000%\""));
	assert_non_null(strstr(out, "class=\"seg to-init\" data-end=\"3.000\" "
				    "style=\"left:25.000%;width:50.000%\""));
	/* the panicked row: no init segment, its exit after the banner */
	assert_non_null(strstr(out, "class=\"seg to-banner\" data-end=\"2.000\" "
				    "style=\"left:12.500%;width:37.500%\""));
	assert_non_null(strstr(out, "class=\"seg to-exit\" data-end=\"2.000\" "
				    "style=\"left:50.000%;width:0.000%\""));
	assert_non_null(strstr(out, "<p class=\"summary\">2 rows: 1 ok, 1 failed, 0 not run.</p>"));
	free(out);
}

/* The banner at the first byte's time (SeaBIOS prints nothing, the
 * banner is the first byte), unrounded: its segment is kept, of width 0,
 * as when the same times come back from the JSON rounded to 1.235. */
static void test_equal_times(void **state)
{
	static struct kernel_id k = { .file = "k", .sha256 = "00" };
	struct matrix_row r = { .kernel = &k, .path = "qemu-bios", .machine = "pc",
				.verdict = VERDICT_OK, .reason = "", .t_first_byte = 1.2346,
				.t_banner = 1.2346, .t_init = 2, .t_exit = 2.5, .kaslr = "" };
	struct matrix_run run = { .kernels = &k, .nkernels = 1, .rows = &r, .nrows = 1,
				  .shard = 1, .shards = 1, .grid_rows = 1 };
	char *out = page(&run);

	(void)state;
	assert_non_null(strstr(out, "class=\"seg to-banner\" data-end=\"1.235\" "
				    "style=\"left:49.400%;width:0.000%\""));
	assert_non_null(strstr(out, "<td class=\"num\">1.24</td><td class=\"num\">1.24</td>"));
	free(out);
}

/* Several kernels: a section each, in order, with its own rows; a kernel
 * without rows in this shard has none. */
static void test_kernels(void **state)
{
	static struct kernel_id k[3] = {
		{ .file = "/k/a", .version = "6.1", .sha256 = "aa" },
		{ .file = "/k/b", .version = "", .sha256 = "bb" },
		{ .file = "/k/c", .version = "6.12", .sha256 = "cc" },
	};
	struct matrix_row r[2] = {
		{ .index = 0, .kernel = &k[0], .path = "qemu-bios", .machine = "pc",
		  .verdict = VERDICT_OK, .reason = "", .t_first_byte = -1, .t_banner = -1,
		  .t_init = -1, .t_exit = -1, .kaslr = "" },
		{ .index = 5, .kernel = &k[2], .path = "qemu-pvh", .machine = "pc",
		  .verdict = VERDICT_TIMEOUT, .reason = "no init in 60 s", .t_first_byte = -1,
		  .t_banner = -1, .t_init = -1, .t_exit = -1, .kaslr = "" },
	};
	struct matrix_run run = { .kernels = k, .nkernels = 3, .rows = r, .nrows = 2,
				  .shard = 1, .shards = 2, .grid_rows = 6 };
	char *out = page(&run);
	char *a = strstr(out, "<h2>kernel <code>/k/a</code></h2>");
	char *c = strstr(out, "<h2>kernel <code>/k/c</code></h2>");

	(void)state;
	assert_non_null(a);
	assert_non_null(c);
	assert_null(strstr(out, "/k/b"));
	assert_true(a < strstr(out, "id=\"row-0\"") && strstr(out, "id=\"row-0\"") < c);
	assert_true(c < strstr(out, "id=\"row-5\""));
	assert_non_null(strstr(out, "<dd>1/2 (2 of the grid&#39;s 6 rows)</dd>"));
	assert_non_null(strstr(out, "<summary>qemu-pvh on pc: timeout</summary>\n"
				    "<p class=\"reason\">no init in 60 s</p>"));
	free(out);
}

/* No times at all: a page without bars, not a division by zero. */
static void test_no_times(void **state)
{
	static struct kernel_id k = { .file = "k", .sha256 = "00" };
	struct matrix_row r = { .kernel = &k, .path = "xen-pv", .machine = "pc",
				.verdict = VERDICT_NA, .reason = "", .t_first_byte = -1,
				.t_banner = -1, .t_init = -1, .t_exit = -1, .kaslr = "" };
	struct matrix_run run = { .kernels = &k, .nkernels = 1, .rows = &r, .nrows = 1,
				  .shard = 1, .shards = 1, .grid_rows = 1 };
	char *out = page(&run);

	(void)state;
	assert_non_null(strstr(out, "<th>timeline (no times recorded)</th>"));
	assert_null(strstr(out, "class=\"seg"));
	assert_null(strstr(out, "nan"));
	assert_non_null(strstr(out, "<tr id=\"row-0\" class=\"notrun\">"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_equal_times),
		cmocka_unit_test(test_kernels),
		cmocka_unit_test(test_no_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
