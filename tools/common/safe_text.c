/* SPDX-License-Identifier: MIT */
/* safe_text.c - see safe_text.h. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/safe_text.h"
#include "common/utf8.h"

/* Where the escaped text goes: a FILE, a bounded buffer, or nowhere (only
 * counted), never past max_cols columns. */
struct sink {
	FILE *f;
	char *buf;
	size_t cap, len;
	size_t cols, max_cols;
	bool full;
};

/* One piece of output standing for `used` bytes of input. */
struct piece {
	char text[8];
	size_t len, cols, used;
};

static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

/* Code points kept out although valid: C1 controls (U+009B is CSI as much
 * as ESC [ is), line and paragraph separators, and the bidirectional marks,
 * embeddings, overrides and isolates that reorder what a reader sees. */
static bool code_point_escaped(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* True when s[0..n), cut short by the end of the input, is the start of
 * a UTF-8 sequence the bytes that follow could complete. */
static bool utf8_could_continue(const unsigned char *s, size_t n)
{
	size_t need = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
		      s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;

	if (n >= need)
		return false;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return false;
	return true;
}

/* \x1b for a byte (kind 'x'), \u009b for a code point ('u'), else \ and
 * the kind itself (\n, \\). */
static void escape(struct piece *p, char kind, uint32_t v, size_t used)
{
	if (kind == 'x')
		p->len = (size_t)snprintf(p->text, sizeof(p->text), "\\x%02x", (unsigned)v);
	else if (kind == 'u')
		p->len = (size_t)snprintf(p->text, sizeof(p->text), "\\u%04x", (unsigned)v);
	else
		p->len = (size_t)snprintf(p->text, sizeof(p->text), "\\%c", kind);
	p->cols = p->len;
	p->used = used;
}

static void keep(struct piece *p, const unsigned char *s, size_t n, size_t cols)
{
	memcpy(p->text, s, n);
	p->len = p->used = n;
	p->cols = cols;
}

/* The longest run of \r looked through for the \n that ends it: a guest
 * printing nothing but \r must not make each read scan all of them again. */
#define CR_RUN_MAX 64

/* A \r under SAFE_TEXT_LINES: kept where its run of \r ends in \n (a tty's
 * line end; a lone \r would let text overwrite the line it follows).
 * False when the run reaches the end and SAFE_TEXT_MORE may complete it. */
static bool carriage_return(struct piece *p, const unsigned char *s, size_t n, unsigned flags)
{
	size_t run = 0;

	while (run < n && run <= CR_RUN_MAX && s[run] == '\r')
		run++;
	if (run == n && run <= CR_RUN_MAX && (flags & SAFE_TEXT_MORE))
		return false;
	if (run < n && run <= CR_RUN_MAX && s[run] == '\n')
		keep(p, s, 1, 0);
	else
		escape(p, 'r', 0, 1);
	return true;
}

/* The piece for the bytes at s[0..n), n >= 1; false when SAFE_TEXT_MORE
 * says to wait for bytes that may complete it. */
static bool next_piece(const unsigned char *s, size_t n, unsigned flags, struct piece *p)
{
	static const char named[] = { ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't' };
	bool lines = flags & SAFE_TEXT_LINES;
	uint32_t cp;
	size_t len;

	if (s[0] == '\\') {
		escape(p, '\\', 0, 1);
	} else if (lines && (s[0] == '\n' || s[0] == '\t')) {
		keep(p, s, 1, 0);
	} else if (lines && s[0] == '\r') {
		return carriage_return(p, s, n, flags);
	} else if (s[0] < sizeof(named) && named[s[0]]) {
		escape(p, named[s[0]], 0, 1);
	} else if (s[0] < 0x20 || s[0] == 0x7f) {
		escape(p, 'x', s[0], 1);
	} else if (s[0] < 0x80) {
		keep(p, s, 1, 1);
	} else if ((len = utf8_sequence(s, n, &cp)) != 0) {
		if (code_point_escaped(cp))
			escape(p, 'u', cp, len);
		else
			keep(p, s, len, 1);
	} else if ((flags & SAFE_TEXT_MORE) && utf8_could_continue(s, n)) {
		return false;
	} else {
		escape(p, 'x', s[0], 1);	/* invalid: this byte, then resync */
	}
	return true;
}

/* Adds text of the given columns; false (and full) when it does not fit. */
static bool put(struct sink *k, const char *text, size_t len, size_t cols)
{
	if (k->full || cols > k->max_cols - k->cols || (k->buf && len >= k->cap - k->len)) {
		k->full = true;
		return false;
	}
	if (k->f)
		fwrite(text, 1, len, k->f);
	if (k->buf) {
		memcpy(k->buf + k->len, text, len);
		k->buf[k->len + len] = 0;
	}
	k->len += len;
	k->cols += cols;
	return true;
}

/* Escapes s[0..n) into k; returns the bytes consumed. */
static size_t emit(struct sink *k, const unsigned char *s, size_t n, unsigned flags)
{
	size_t i = 0;

	while (i < n && !k->full) {
		size_t run = 0;
		while (i + run < n && plain(s[i + run]))
			run++;
		if (run) {
			/* plain ASCII goes out in runs, cut where it stops fitting */
			size_t room = k->max_cols - k->cols;
			if (k->buf && k->cap - k->len - 1 < room)
				room = k->cap - k->len - 1;
			size_t fit = run < room ? run : room;
			put(k, (const char *)s + i, fit, fit);
			i += fit;
			if (fit < run)
				k->full = true;
			continue;
		}
		struct piece p;
		if (!next_piece(s + i, n - i, flags, &p) || !put(k, p.text, p.len, p.cols))
			break;
		i += p.used;
	}
	return i;
}

size_t safe_text_write(FILE *f, const void *s, size_t n, unsigned flags)
{
	struct sink k = { .f = f, .max_cols = SIZE_MAX };

	return emit(&k, s, n, flags);
}

void safe_text_puts(FILE *f, const char *s)
{
	if (s)
		safe_text_write(f, s, strlen(s), SAFE_TEXT_LINE);
}

size_t safe_text_width(const void *s, size_t n, unsigned flags)
{
	struct sink k = { .max_cols = SIZE_MAX };

	emit(&k, s, n, flags & ~SAFE_TEXT_MORE);
	return k.cols;
}

size_t safe_text_escape(char *out, size_t cap, const void *s, size_t n, unsigned flags,
			size_t max_cols)
{
	struct sink k = { .buf = out, .cap = cap, .max_cols = max_cols };

	out[0] = 0;
	return emit(&k, s, n, flags);
}

void safe_text_cell(FILE *f, const char *s, size_t width, bool clip)
{
	size_t n = s ? strlen(s) : 0, cols = safe_text_width(s, n, SAFE_TEXT_LINE);
	struct sink k = { .f = f, .max_cols = SIZE_MAX };

	if (clip && cols > width && width > 3) {
		k.max_cols = width - 3;
		emit(&k, (const unsigned char *)s, n, SAFE_TEXT_LINE);
		fputs("...", f);
		cols = k.cols + 3;
	} else {
		emit(&k, (const unsigned char *)s, n, SAFE_TEXT_LINE);
	}
	for (; cols < width; cols++)
		putc(' ', f);
}

void safe_text_printf(FILE *f, const char *fmt, ...)
{
	char small[512], *text = small;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(small)) {
		text = malloc((size_t)len + 1);
		if (!text) {
			text = small;	/* say what fitted rather than nothing */
			len = (int)sizeof(small) - 1;
		} else {
			va_start(ap, fmt);
			vsnprintf(text, (size_t)len + 1, fmt, ap);
			va_end(ap);
		}
	}
	bool newline = len > 0 && text[len - 1] == '\n';
	safe_text_write(f, text, (size_t)len - newline, SAFE_TEXT_LINE);
	if (newline)
		putc('\n', f);
	if (text != small)
		free(text);
}
