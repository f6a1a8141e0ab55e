/* SPDX-License-Identifier: MIT */
/*
 * matrix_html.h - a matrix's rows (matrix_rows.h) as one self-contained
 * HTML5 page, what `zeropage matrix --html F` and `zeropage report --html
 * F` write: a table per kernel (path, machine, verdict, the stage times, a
 * timeline bar, the KASLR offsets, the zero-page differences from the
 * reference and the reason), then the full differences, reasons and
 * console tails of the rows that did not pass.
 *
 * The page loads nothing: its style is inline, it has no script, and its
 * Content-Security-Policy forbids scripts and every fetch, so it can be
 * kept as a CI artifact and opened anywhere.  Every string in it that is
 * not our own (reasons, consoles, kernel versions, and for `report`
 * whatever a shard file says) goes through matrix_html_escape.
 */
#ifndef ZEROPAGE_TOOLS_MATRIX_HTML_H
#define ZEROPAGE_TOOLS_MATRIX_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "report/matrix_rows.h"

#define MATRIX_HTML_CONSOLE	4096	/* console bytes shown of a row that did not pass */

/* s[0..len) as HTML text, fit for an element's content or a quoted
 * attribute value: & < > " ' as character references; tab, LF and CR as
 * they are; the other C0 controls and DEL as their Unicode control
 * pictures (ESC as U+241B), so a reader sees them and the page stays
 * valid; valid UTF-8 as it is, except C1 controls and noncharacters
 * (which HTML forbids), and every byte that is not UTF-8, as U+FFFD. */
void matrix_html_escape(FILE *f, const char *s, size_t len);

/* The page; `arg` is the accelerator. */
matrix_rows_writer matrix_html_write;

#endif
