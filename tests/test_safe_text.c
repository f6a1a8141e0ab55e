/* SPDX-License-Identifier: MIT */
/* test_safe_text: untrusted bytes made safe for a terminal.  Each case
 * feeds bytes a guest or an image could carry and checks, byte for byte,
 * what reaches the stream: no ESC, no C1, no invalid UTF-8, nothing a
 * reader could mistake for something else; then the probe's report and the
 * matrix table, printed from a guest's hostile words.  tests/terminal.sh
 * does the same through the commands. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "report/matrix_rows.h"
#include "report/guest_report.h"
#include "common/safe_text.h"

/* What safe_text_write(flags) makes of s[0..n). */
static char *escaped(const void *s, size_t n, unsigned flags)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_non_null(f);
	assert_int_equal(safe_text_write(f, s, n, flags), n);
	assert_int_equal(fclose(f), 0);
	return out;
}

#define LINE(lit) escaped(lit, sizeof(lit) - 1, SAFE_TEXT_LINE)
#define LINES(lit) escaped(lit, sizeof(lit) - 1, SAFE_TEXT_LINES)

/* Neither a C0 byte but \n nor DEL nor any byte >= 0x80 outside valid UTF-8. */
static void assert_terminal_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		assert_true(*p >= 0x20 || *p == '\n');
		assert_true(*p != 0x7f);
		if (*p == 0xc2)
			assert_false(p[1] >= 0x80 && p[1] <= 0x9f);	/* a C1 as UTF-8 */
	}
}

static void test_escape_sequences(void **state)
{
	(void)state;
	assert_string_equal(LINE("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
	assert_string_equal(LINE("\x1b]0;title\x07"), "\\x1b]0;title\\x07");	/* OSC */
	assert_string_equal(LINE("\x1b[2J\x1b[H"), "\\x1b[2J\\x1b[H");		/* CSI */
	assert_string_equal(LINE("a\x7f" "b\x01"), "a\\x7fb\\x01");
	assert_terminal_safe(LINE("\x1b]0;title\x07"));
}

static void test_c1_both_ways(void **state)
{
	(void)state;
	/* U+009B as UTF-8 is a code point; a lone 0x9b byte is not UTF-8 */
	assert_string_equal(LINE("x\xc2\x9b" "2Jy"), "x\\u009b2Jy");
	assert_string_equal(LINE("x\x9b" "2Jy"), "x\\x9b2Jy");
	assert_string_equal(LINE("\xc2\x80\xc2\x9f"), "\\u0080\\u009f");
	assert_string_equal(LINE("\xc2\xa0"), "\xc2\xa0");	/* U+00A0 is printable */
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	assert_string_equal(LINE("\xff\xfe"), "\\xff\\xfe");
	assert_string_equal(LINE("\xc0\xaf"), "\\xc0\\xaf");			/* overlong '/' */
	assert_string_equal(LINE("\xe0\x80\x9b"), "\\xe0\\x80\\x9b");		/* overlong CSI */
	assert_string_equal(LINE("\xed\xa0\x80"), "\\xed\\xa0\\x80");		/* surrogate */
	assert_string_equal(LINE("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");	/* > U+10FFFF */
	assert_string_equal(LINE("ab\xe2\x82"), "ab\\xe2\\x82");		/* cut short */
	assert_string_equal(LINE("\xe2" "a"), "\\xe2" "a");			/* resyncs at 'a' */
}

static void test_valid_utf8_kept(void **state)
{
	(void)state;
	assert_string_equal(LINE("Debian GNU/Linux \xc3\xa9t\xc3\xa9"),
			    "Debian GNU/Linux \xc3\xa9t\xc3\xa9");
	assert_string_equal(LINE("\xe2\x82\xac \xf0\x9f\x90\xa7"), "\xe2\x82\xac \xf0\x9f\x90\xa7");
	/* but not the controls that reorder what is read */
	assert_string_equal(LINE("a\xe2\x80\xae" "b"), "a\\u202eb");
	assert_string_equal(LINE("a\xe2\x81\xa6" "b\xe2\x80\xa8"), "a\\u2066b\\u2028");
}

static void test_backslash_and_whitespace(void **state)
{
	(void)state;
	/* a backslash is doubled, so "\x1b" in the text cannot pass for ESC */
	assert_string_equal(LINE("a\\x1b"), "a\\\\x1b");
	assert_string_equal(LINE("a\nb\rc\td"), "a\\nb\\rc\\td");
	assert_string_equal(LINES("a\nb\tc\r\nd\r\r\ne"),
			    "a\nb\tc\r\nd\r\r\ne");
	/* a \r that would let text overwrite its line stays visible */
	assert_string_equal(LINES("evil\rgood\n"), "evil\\rgood\n");
	assert_string_equal(LINES("ok\x1b[2K\n"), "ok\\x1b[2K\n");
	/* NUL inside the given length is shown, not taken for the end */
	assert_string_equal(LINE("a\0b"), "a\\x00b");
}

/* SAFE_TEXT_MORE leaves what the next bytes could complete for later. */
static void test_stream(void **state)
{
	char out[256];
	FILE *f = fmemopen(out, sizeof(out), "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(safe_text_write(f, "ok \xe2\x82", 5, SAFE_TEXT_LINES | SAFE_TEXT_MORE), 3);
	assert_int_equal(safe_text_write(f, "\xe2\x82\xac\r", 4, SAFE_TEXT_LINES | SAFE_TEXT_MORE), 3);
	assert_int_equal(safe_text_write(f, "\r\n\xff", 3, SAFE_TEXT_LINES | SAFE_TEXT_MORE), 3);
	assert_int_equal(safe_text_write(f, "\x1b", 1, SAFE_TEXT_LINES | SAFE_TEXT_MORE), 1);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, "ok \xe2\x82\xac\r\n\\xff\\x1b");
	/* a guest's endless \r is held back only so far: each read must not
	 * scan it all again */
	char crs[100];
	memset(crs, '\r', sizeof(crs));
	f = fmemopen(out, sizeof(out), "w");
	assert_non_null(f);
	assert_int_equal(safe_text_write(f, crs, sizeof(crs), SAFE_TEXT_LINES | SAFE_TEXT_MORE), 36);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(strlen(out), 36 * 2);
}

static void test_bounded_buffer(void **state)
{
	char b[8];

	(void)state;
	/* whole escapes only, plain text up to the last byte */
	assert_int_equal(safe_text_escape(b, sizeof(b), "ab\x1b" "cd", 5, SAFE_TEXT_LINE, SIZE_MAX), 4);
	assert_string_equal(b, "ab\\x1bc");
	assert_int_equal(safe_text_escape(b, 4, "ab\x1b", 3, SAFE_TEXT_LINE, SIZE_MAX), 2);
	assert_string_equal(b, "ab");
	assert_int_equal(safe_text_escape(b, sizeof(b), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8,
					  SAFE_TEXT_LINE, SIZE_MAX), 6);
	assert_string_equal(b, "\xc3\xa9\xc3\xa9\xc3\xa9");
	/* and at most max_cols columns */
	assert_int_equal(safe_text_escape(b, sizeof(b), "abcdef", 6, SAFE_TEXT_LINE, 4), 4);
	assert_string_equal(b, "abcd");
	assert_int_equal(safe_text_escape(b, sizeof(b), "ab\x1b", 3, SAFE_TEXT_LINE, 5), 2);
	assert_string_equal(b, "ab");
}

static void test_width_and_cells(void **state)
{
	char out[256];
	FILE *f = fmemopen(out, sizeof(out), "w");

	(void)state;
	assert_int_equal(safe_text_width("ab\x1b", 3, SAFE_TEXT_LINE), 6);
	assert_int_equal(safe_text_width("\xc3\xa9t\xc3\xa9", 5, SAFE_TEXT_LINE), 3);
	assert_non_null(f);
	safe_text_cell(f, "a\x1b", 8, false);
	fputc('|', f);
	safe_text_cell(f, "\xc3\xa9t\xc3\xa9", 5, false);
	fputc('|', f);
	safe_text_cell(f, "x\x1b]0;pwned\x07", 10, true);
	fputc('|', f);
	safe_text_cell(f, NULL, 2, false);
	fputc('|', f);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, "a\\x1b   |\xc3\xa9t\xc3\xa9  |x\\x1b]0...|  |");
}

static void test_printf(void **state)
{
	char out[2048], big[1500];
	FILE *f = fmemopen(out, sizeof(out), "w");

	(void)state;
	assert_non_null(f);
	safe_text_printf(f, "zeropage boot: %s: %s\n", "panic", "Kernel panic\x1b]0;x\x07\nfake line");
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, "zeropage boot: panic: Kernel panic\\x1b]0;x\\x07\\nfake line\n");

	/* longer than the function's own buffer: still whole, still escaped */
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = 0;
	big[700] = 0x1b;
	f = fmemopen(out, sizeof(out), "w");
	assert_non_null(f);
	safe_text_printf(f, "%s\n", big);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(strlen(out), sizeof(big) - 1 + 3 + 1);
	assert_memory_equal(out + 700, "\\x1b", 4);
	assert_terminal_safe(out);
}

/* A probe line whose command line and memmap type the guest filled with
 * sequences, parsed and printed. */
static void test_guest_report_printed(void **state)
{
	static const char cmdline[] = "console=ttyS0 \x1b]0;pwned\x07\xc2\x9b" "2J\x9b" "2J";
	static struct guest_report r;
	struct tool_err err;
	char line[10000], *out = NULL;
	size_t n = 0, len;

	(void)state;
	n += (size_t)snprintf(line + n, sizeof(line) - n, "ZEROPAGE-PROBE v=1 cmdline=");
	for (size_t i = 0; i < sizeof(cmdline) - 1; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%02x", (unsigned char)cmdline[i]);
	n += (size_t)snprintf(line + n, sizeof(line) - n, " initrd=-1 uptime=1.00 "
			      "memmap=0x0-0x9fbff:RAM\x1b[2J bootparams=");
	memset(line + n, '0', 8192);
	line[n + 8192] = 0;
	assert_int_equal(guest_report_parse(line, strlen(line), &r, &err), 0);
	assert_memory_equal(r.cmdline, cmdline, sizeof(cmdline) - 1);	/* the bytes, kept */

	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	guest_report_print(f, &r);
	assert_int_equal(fclose(f), 0);
	assert_terminal_safe(out);
	assert_non_null(strstr(out, "cmdline               console=ttyS0 \\x1b]0;pwned\\x07"
				    "\\u009b2J\\x9b2J\n"));
	assert_non_null(strstr(out, "0x000000000000-0x00000009fbff RAM\\x1b[2J\n"));
	free(out);
}

/* The matrix table: a reason, a machine and a kernel version with
 * sequences, each cell padded by its escaped width. */
static void test_matrix_table(void **state)
{
	static struct kernel_id k[2] = {
		{ .file = "/k/a", .version = "6.1 \x1b]0;v\x07" },
		{ .file = "/k/b\x1b[5m", .version = "6.2" },
	};
	struct matrix_row r[2] = {
		{ .kernel = &k[0], .path = "qemu-bios", .machine = "pc\x1b[5m",
		  .entry = "real-mode-16", .verdict = VERDICT_PANIC, .reason = "Kernel panic \x1b]0;pwned\x07",
		  .t_first_byte = -1, .t_banner = -1, .t_init = -1, .kaslr = "" },
		{ .kernel = &k[1], .path = "shim-64", .machine = "pc",
		  .verdict = VERDICT_ERROR, .reason = "\xc2\x9b" "2J bad \xff and more",
		  .t_first_byte = -1, .t_banner = -1, .t_init = -1, .kaslr = "" },
	};
	struct matrix_run run = { .kernels = k, .nkernels = 2, .rows = r, .nrows = 2 };
	char *out = NULL;
	size_t len;

	(void)state;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(matrix_rows_table(f, &run), 2);
	assert_int_equal(fclose(f), 0);
	assert_terminal_safe(out);
	assert_non_null(strstr(out, "kernel /k/a: 6.1 \\x1b]0;v\\x07\n"));
	assert_non_null(strstr(out, "kernel /k/b\\x1b[5m: 6.2\n"));
	assert_non_null(strstr(out, "\nqemu-bios     pc\\x1b[5m real-mode-16     panic                    "
				    "       -        -        -"));
	/* cut at 24 columns, not inside an escape */
	assert_non_null(strstr(out, "\nshim-64       pc       -                error: \\u009b2J bad ...         -"));
	assert_non_null(strstr(out, "  qemu-bios/pc\\x1b[5m: panic: Kernel panic \\x1b]0;pwned\\x07\n"));
	assert_non_null(strstr(out, "  shim-64/pc: error: \\u009b2J bad \\xff and more\n"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequences),
		cmocka_unit_test(test_c1_both_ways),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_valid_utf8_kept),
		cmocka_unit_test(test_backslash_and_whitespace),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_bounded_buffer),
		cmocka_unit_test(test_width_and_cells),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_guest_report_printed),
		cmocka_unit_test(test_matrix_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
