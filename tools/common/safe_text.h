/* SPDX-License-Identifier: MIT */
/*
 * safe_text.h - untrusted bytes as text a terminal cannot act on.
 *
 * What a guest prints on its console (the probe line, panic and timeout
 * reasons, Xen's words), what an image carries (a UKI's .osrel, .cmdline,
 * .uname and section names, a bzImage's version string, ELF notes, a
 * bundle's command line) and what a saved result says (a shard's reasons
 * and names) are bytes anyone could have chosen: ESC and OSC sequences
 * there would drive the user's terminal (retitle it, move the cursor,
 * rewrite what was printed, on some terminals answer back).  Every such
 * byte printed as text goes through here; the JSON, JUnit and KCIDB
 * writers escape by their own formats' rules instead.
 *
 * The escaped form is unambiguous: printable ASCII and valid, printable
 * UTF-8 are kept; a backslash becomes \\; \n \r \t become \n \r \t (kept
 * as they are under SAFE_TEXT_LINES); other C0 bytes, DEL, and every byte of
 * invalid UTF-8 (a raw 0x9b, an overlong form, a surrogate) become \xHH;
 * a C1 control written as valid UTF-8 (U+009B is CSI too), the line and
 * paragraph separators and the bidirectional controls (which reorder what
 * a reader sees) become \uHHHH.  So \xHH always stands for a byte, \uHHHH
 * for a code point.
 *
 * Widths are in columns, one per kept code point (this ignores East Asian
 * wide characters, which only cost alignment), one per escape character.
 */
#ifndef ZEROPAGE_TOOLS_SAFE_TEXT_H
#define ZEROPAGE_TOOLS_SAFE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* flags */
#define SAFE_TEXT_LINE	0u	/* one line: \n, \r and \t are escaped too */
#define SAFE_TEXT_LINES	1u	/* keep \n, \t, and \r only where a \n ends its run */
#define SAFE_TEXT_MORE	2u	/* more bytes follow: stop before a UTF-8 sequence or a
				 * run of \r they could complete (a stream's echo) */

/* Writes s[0..n) to f, escaped.  Returns the bytes of s consumed: n, or
 * fewer with SAFE_TEXT_MORE (the rest wait for the bytes that follow). */
size_t safe_text_write(FILE *f, const void *s, size_t n, unsigned flags);

/* The NUL-terminated s as one line (NULL prints nothing). */
void safe_text_puts(FILE *f, const char *s);

/* The columns s[0..n) takes once escaped. */
size_t safe_text_width(const void *s, size_t n, unsigned flags);

/* Escapes s[0..n) into out (NUL-terminated, cap >= 1), whole escapes and
 * whole characters only, at most max_cols columns (SIZE_MAX: any).
 * Returns the bytes of s consumed: n when it all fit. */
size_t safe_text_escape(char *out, size_t cap, const void *s, size_t n, unsigned flags,
			size_t max_cols);

/* A left-aligned table cell: s as one line, padded with spaces to width
 * columns; with clip, longer text is cut to width columns ending in "...". */
void safe_text_cell(FILE *f, const char *s, size_t width, bool clip);

/* fprintf, then the whole text escaped as one line but for a final
 * newline: for messages that carry a reason, a name or an error from an
 * image or a guest. */
void safe_text_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
