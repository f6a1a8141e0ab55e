/* SPDX-License-Identifier: MIT */
/*
 * json_read.h - members of a document json-c parsed, looked up by what
 * they must be, for the readers of matrix JSON (matrix_load*.c): a member
 * of the wrong type reads as absent, and a value is quoted back in an
 * error as JSON text (escaped, so that it cannot write to a terminal).
 */
#ifndef ZEROPAGE_TOOLS_JSON_READ_H
#define ZEROPAGE_TOOLS_JSON_READ_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

/* Member key of o, NULL when o is not an object, lacks it or it is null. */
static inline struct json_object *member(const struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Member key of o if it is of type t, else NULL. */
static inline struct json_object *typed(const struct json_object *o, const char *key,
					enum json_type t)
{
	struct json_object *v = member(o, key);

	return json_object_is_type(v, t) ? v : NULL;
}

/* Member key of o if it is a string, else NULL. */
static inline const char *str_member(const struct json_object *o, const char *key)
{
	return json_object_get_string(typed(o, key, json_type_string));
}

static inline bool is_number(const struct json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* A whole number in [lo, hi] at member key of o: 0, or -1. */
static inline int uint_member(const struct json_object *o, const char *key, double lo, double hi,
			      size_t *out)
{
	struct json_object *v = member(o, key);
	double d = is_number(v) ? json_object_get_double(v) : -1;

	if (!(d >= lo && d <= hi) || d != (double)(size_t)d)	/* NaN too */
		return -1;
	*out = (size_t)d;
	return 0;
}

/* v for an error message, cut to cap - 1 bytes with "..." when longer: a
 * string as its own bytes in double quotes, anything else as the JSON text
 * json-c writes (null for NULL).  Not escaped here: the message reaches the
 * terminal through safe_text_printf, the one owner of escaping, which would
 * otherwise escape json-c's escapes a second time. */
static inline const char *json_quote(const struct json_object *v, char *out, size_t cap)
{
	bool str = v && json_object_is_type(v, json_type_string);
	const char *t = str ? json_object_get_string((struct json_object *)v)
			    : json_object_to_json_string_ext((struct json_object *)v,
							     JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t q = str ? 1 : 0, n = strlen(t), room = cap > 5 ? cap - 5 : 0;

	if (cap < 6) {
		out[0] = 0;
		return out;
	}
	out[0] = '"';
	if (n + 2 * q < cap) {
		memcpy(out + q, t, n);
		if (q)
			out[q + n++] = '"';
		out[q + n] = 0;
	} else {		/* the head, then "..." */
		memcpy(out + q, t, room - q);
		memcpy(out + room, "...", 4);
	}
	return out;
}

#endif
