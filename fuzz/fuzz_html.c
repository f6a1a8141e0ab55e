/* SPDX-License-Identifier: MIT */
/*
 * fuzz_html: guest bytes into the matrix's HTML page (report/matrix_html.h),
 * which a reader opens in a browser.  The input, any bytes, is escaped
 * alone and then written as a failing row's reason and console: the
 * escaped text may hold no byte that opens markup or ends an attribute,
 * no control but tab, LF and CR, no C1 control, and must be valid UTF-8.
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "report/matrix_html.h"
#include "fuzz.h"

static void check_escaped(const unsigned char *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = o[i];
		uint32_t cp;
		size_t len;

		FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
		FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
		FUZZ_CHECK(c != 0x7f);
		if (c < 0x80)
			continue;
		len = utf8_sequence(o + i, n - i, &cp);
		FUZZ_CHECK(len != 0);		/* valid UTF-8 only */
		FUZZ_CHECK(cp > 0x9f);		/* no C1 */
		i += len - 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL, *text = malloc(size + 1);
	size_t len = 0;
	FILE *f;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if ((f = open_memstream(&out, &len)) != NULL) {
		matrix_html_escape(f, (const char *)data, size);
		fclose(f);
		check_escaped((const unsigned char *)out, len);
		free(out);
	}
	/* the whole page, the input as a reason (up to a NUL) and a console */
	struct kernel_id k = { .file = "k", .sha256 = "00" };
	struct matrix_row r = { .kernel = &k, .path = "shim-64", .machine = "pc",
				.verdict = VERDICT_PANIC, .reason = text, .console = text,
				.console_len = size, .t_first_byte = 0.5, .t_banner = 1,
				.t_init = -1, .t_exit = 2, .kaslr = "" };
	struct matrix_run run = { .kernels = &k, .nkernels = 1, .rows = &r, .nrows = 1,
				  .shard = 1, .shards = 1, .grid_rows = 1 };
	if ((f = open_memstream(&out, &len)) != NULL) {
		matrix_html_write(f, &run, "tcg");
		fclose(f);
		FUZZ_CHECK(!memmem(out, len, "<script", 7) && !memmem(out, len, "<img", 4));
		free(out);
	}
	free(text);
	return 0;
}
