/* SPDX-License-Identifier: MIT */
/* json_read.c - see json_read.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/json.h"
#include "report/json_read.h"

struct parser {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
};

static int fail(struct parser *p, const char *what)
{
	size_t line = 1, col = 1;

	for (size_t i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	snprintf(p->err, p->errlen, "line %zu column %zu: %s", line, col, what);
	return -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static bool eat(struct parser *p, char c)
{
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == c) {
		p->pos++;
		return true;
	}
	return false;
}

/* A growing byte buffer for a string being decoded. */
struct sbuf {
	char *b;
	size_t len, cap;
};

static int put(struct sbuf *sb, const char *bytes, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap * 2 : 32;
		while (cap < sb->len + n + 1)
			cap *= 2;
		char *nb = realloc(sb->b, cap);
		if (!nb)
			return -1;
		sb->b = nb;
		sb->cap = cap;
	}
	memcpy(sb->b + sb->len, bytes, n);
	sb->len += n;
	sb->b[sb->len] = 0;
	return 0;
}

static int put_utf8(struct sbuf *sb, uint32_t cp)
{
	char u[4];

	if (cp < 0x80)
		return put(sb, (char[]){ (char)cp }, 1);
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f));
		return put(sb, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return put(sb, u, 3);
	}
	u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f));
	return put(sb, u, 4);
}

static int hex4(struct parser *p, uint32_t *v)
{
	*v = 0;
	if (p->len - p->pos < 4)
		return fail(p, "\\u needs four hex digits");
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return fail(p, "\\u needs four hex digits");
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

/* After the backslash of "\uXXXX": one code point, a pair joined. */
static int unicode_escape(struct parser *p, struct sbuf *sb)
{
	uint32_t cp, lo;

	if (hex4(p, &cp))
		return -1;
	if (cp >= 0xd800 && cp < 0xdc00 && p->len - p->pos >= 6 && p->s[p->pos] == '\\' &&
	    p->s[p->pos + 1] == 'u') {
		size_t save = p->pos;
		p->pos += 2;
		if (hex4(p, &lo))
			return -1;
		if (lo >= 0xdc00 && lo < 0xe000)
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		else
			p->pos = save;	/* not a pair: the second stands alone */
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd;
	return put_utf8(sb, cp);
}

static int parse_string(struct parser *p, char **out, size_t *outlen)
{
	struct sbuf sb = { 0 };
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";

	p->pos++;	/* the opening quote */
	if (put(&sb, "", 0))
		return fail(p, "out of memory");
	for (;;) {
		if (p->pos >= p->len) {
			free(sb.b);
			return fail(p, "unterminated string");
		}
		char c = p->s[p->pos++];
		const char *e;
		int r = 0;
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20) {
			p->pos--;
			r = fail(p, "control character in a string");
		} else if (c != '\\') {
			r = put(&sb, &c, 1);
		} else if (p->pos < p->len && p->s[p->pos] == 'u') {
			p->pos++;
			r = unicode_escape(p, &sb);
		} else if (p->pos < p->len && p->s[p->pos] && (e = strchr(esc_in, p->s[p->pos]))) {
			p->pos++;
			r = put(&sb, &esc_out[e - esc_in], 1);
		} else {
			r = fail(p, "bad escape");
		}
		if (r) {
			free(sb.b);
			return -1;
		}
	}
	*out = sb.b;
	*outlen = sb.len;
	return 0;
}

static int parse_number(struct parser *p, struct jv *v)
{
	size_t start = p->pos;
	const char *s = p->s;
	size_t i = p->pos;

#define DIGITS(at_least_one) do { size_t d0 = i; \
	while (i < p->len && s[i] >= '0' && s[i] <= '9') i++; \
	if ((at_least_one) && i == d0) { p->pos = i; return fail(p, "bad number"); } } while (0)
	if (i < p->len && s[i] == '-')
		i++;
	if (i < p->len && s[i] == '0')
		i++;
	else
		DIGITS(1);
	if (i < p->len && s[i] == '.') {
		i++;
		DIGITS(1);
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < p->len && (s[i] == '+' || s[i] == '-'))
			i++;
		DIGITS(1);
	}
#undef DIGITS
	v->type = JV_NUMBER;
	v->str = strndup(s + start, i - start);
	if (!v->str)
		return fail(p, "out of memory");
	v->len = i - start;
	v->num = strtod(v->str, NULL);
	p->pos = i;
	return 0;
}

static int parse_value(struct parser *p, struct jv *v, int depth);

/* The items of an array or the members of an object, after its bracket. */
static int parse_items(struct parser *p, struct jv *v, int depth, bool object)
{
	size_t cap = 0;
	char close = object ? '}' : ']';

	if (eat(p, close))
		return 0;
	do {
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			struct jv *ni = realloc(v->items, cap * sizeof(*ni));
			char **nk = object ? realloc(v->keys, cap * sizeof(*nk)) : NULL;
			if (ni)
				v->items = ni;
			if (nk)
				v->keys = nk;
			if (!ni || (object && !nk))
				return fail(p, "out of memory");
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (object) {
			size_t klen;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, "expected a member name");
			if (parse_string(p, &v->keys[v->n], &klen))
				return -1;
			if (!eat(p, ':')) {
				free(v->keys[v->n]);
				return fail(p, "expected ':'");
			}
		}
		v->n++;	/* counted now: freed with v whatever happens next */
		if (parse_value(p, &v->items[v->n - 1], depth + 1))
			return -1;
	} while (eat(p, ','));
	return eat(p, close) ? 0 : fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
}

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return fail(p, "unexpected character");
	p->pos += n;
	return 0;
}

static int parse_value(struct parser *p, struct jv *v, int depth)
{
	skip_ws(p);
	if (depth > JV_MAX_DEPTH)
		return fail(p, "nested too deep");
	if (p->pos >= p->len)
		return fail(p, "unexpected end");
	switch (p->s[p->pos]) {
	case '{':
	case '[':
		v->type = p->s[p->pos] == '{' ? JV_OBJECT : JV_ARRAY;
		p->pos++;
		return parse_items(p, v, depth, v->type == JV_OBJECT);
	case '"':
		v->type = JV_STRING;
		return parse_string(p, &v->str, &v->len);
	case 't':
	case 'f':
		v->type = JV_BOOL;
		v->b = p->s[p->pos] == 't';
		return literal(p, v->b ? "true" : "false");
	case 'n':
		v->type = JV_NULL;
		return literal(p, "null");
	default:
		return parse_number(p, v);
	}
}

static void jv_clear(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jv_clear(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	jv_clear(v);
	free(v);
}

struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parser p = { .s = text, .len = len, .err = err, .errlen = errlen };
	struct jv *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (parse_value(&p, v, 0) == 0) {
		skip_ws(&p);
		if (p.pos == p.len)
			return v;
		fail(&p, "text after the document");
	}
	jv_free(v);
	return NULL;
}

const struct jv *jv_get(const struct jv *o, const char *key)
{
	if (!o || o->type != JV_OBJECT)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->items[i];
	return NULL;
}

const char *jv_str(const struct jv *v)
{
	return v && v->type == JV_STRING ? v->str : NULL;
}

double jv_num(const struct jv *v, double dflt)
{
	char *end;

	if (v && v->type == JV_NUMBER)
		return v->num;
	if (v && v->type == JV_STRING && v->len) {
		double d = strtod(v->str, &end);
		if (*end == 0)
			return d;
	}
	return dflt;
}

void jv_write(struct json *j, const char *key, const struct jv *v)
{
	switch (v->type) {
	case JV_NULL: json_null(j, key); break;
	case JV_BOOL: json_bool(j, key, v->b); break;
	case JV_NUMBER: json_number_text(j, key, v->str); break;
	case JV_STRING: json_string_n(j, key, v->str, v->len); break;
	case JV_ARRAY:
	case JV_OBJECT:
		if (v->type == JV_ARRAY)
			json_array_begin(j, key);
		else
			json_object_begin(j, key);
		for (size_t i = 0; i < v->n; i++)
			jv_write(j, v->type == JV_OBJECT ? v->keys[i] : NULL, &v->items[i]);
		if (v->type == JV_ARRAY)
			json_array_end(j);
		else
			json_object_end(j);
		break;
	}
}
