/* SPDX-License-Identifier: MIT */
/*
 * json.h - a tiny streaming JSON writer.
 *
 * Call the functions in document order; the writer inserts commas, indents
 * two spaces per level and escapes strings (quotes, backslashes, control
 * characters; bytes that are not valid UTF-8 are written as \u00XX so the
 * output is always valid JSON).  `key` is the member name inside an
 * object and must be NULL inside an array or at the top level.
 */
#ifndef ZEROPAGE_TOOLS_JSON_H
#define ZEROPAGE_TOOLS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	unsigned depth;
	bool has_items[JSON_MAX_DEPTH];	/* per level: a comma is due */
};

void json_init(struct json *j, FILE *f);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *s);
void json_string_n(struct json *j, const char *key, const char *s, size_t len);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_int(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* A number with `decimals` digits after the point (null when not finite). */
void json_double(struct json *j, const char *key, double v, int decimals);
/* A number given as its JSON text (the caller's, known valid: "-1.5e3"). */
void json_number_text(struct json *j, const char *key, const char *text);
/* Ends the document with a newline. */
void json_finish(struct json *j);

/* Escape s[0..len) as the inside of a JSON string (no quotes) into f. */
void json_write_escaped(FILE *f, const char *s, size_t len);

#endif
