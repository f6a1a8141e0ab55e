/* SPDX-License-Identifier: MIT */
/*
 * json_read.h - a small JSON reader (RFC 8259) into a tree, for `zeropage
 * report`, which reads back what `matrix --json` wrote (json.h).
 *
 * Strings are decoded (escapes, surrogate pairs; a lone surrogate becomes
 * U+FFFD) and may hold NUL bytes: their length is `len`.  Numbers keep
 * their text, so that re-writing one (jv_write) loses no digit of a
 * 64-bit value.  Nesting deeper than JV_MAX_DEPTH is refused.
 */
#ifndef ZEROPAGE_TOOLS_JSON_READ_H
#define ZEROPAGE_TOOLS_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#define JV_MAX_DEPTH 64

enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_type type;
	bool b;			/* JV_BOOL */
	double num;		/* JV_NUMBER */
	char *str;		/* JV_STRING: decoded, NUL-terminated; JV_NUMBER: its text */
	size_t len;		/* of str */
	size_t n;		/* JV_ARRAY items, JV_OBJECT members */
	struct jv *items;	/* n values */
	char **keys;		/* JV_OBJECT: n member names */
};

/* The document text[0..len) (one value, whitespace around it), malloc'ed;
 * NULL with "line L column C: what" in err. */
struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen);
void jv_free(struct jv *v);

/* Member `key` of object o (the first of that name), NULL if o is not an
 * object or lacks it. */
const struct jv *jv_get(const struct jv *o, const char *key);
/* v's string, NULL unless v is a string. */
const char *jv_str(const struct jv *v);
/* v as a number: a JSON number or a string holding one ("1.25", as matrix
 * writes seconds); `dflt` for null, absent and anything else. */
double jv_num(const struct jv *v, double dflt);

struct json;
/* Writes v again as member `key` (NULL in arrays) through the writer. */
void jv_write(struct json *j, const char *key, const struct jv *v);

#endif
