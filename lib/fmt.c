/* SPDX-License-Identifier: MIT */
/*
 * fmt.c - a small printf for diagnostics, usable in the shim as on the host.
 *
 * Conversions: %s %c %d %i %u %x %X %p %%; length modifiers l, ll, z;
 * flags '0' and '-'; a decimal width.  Output is always NUL-terminated when
 * cap > 0; the return value is the length the whole output would have, as
 * with snprintf, so a caller can tell that it was cut.
 */
#include <zeropage/zeropage.h>
#include "diag.h"
#include "env.h"

struct out {
	char *buf;
	size_t cap;
	size_t len;		/* characters produced so far, kept or not */
};

static void put_char(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, size_t n)
{
	while (n--)
		put_char(o, c);
}

struct spec {
	bool left, zero;
	size_t width;
	int longs;		/* 0, 1 (l), 2 (ll) */
	bool size;		/* z */
};

/* Pads `s` (of length n) to the width; zero padding goes after a sign. */
static void put_field(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	size_t pad = sp->width > n ? sp->width - n : 0;
	if (sp->left) {
		for (size_t i = 0; i < n; i++)
			put_char(o, s[i]);
		put_repeat(o, ' ', pad);
		return;
	}
	if (sp->zero && n && s[0] == '-') {
		put_char(o, '-');
		s++;
		n--;
	}
	put_repeat(o, sp->zero ? '0' : ' ', pad);
	for (size_t i = 0; i < n; i++)
		put_char(o, s[i]);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v, bool negative,
		       unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		tmp[--n] = '-';
	put_field(o, sp, tmp + n, sizeof(tmp) - n);
}

static uint64_t take_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->size)
		return va_arg(*ap, size_t);
	if (sp->longs == 2)
		return va_arg(*ap, unsigned long long);
	if (sp->longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t take_signed(const struct spec *sp, va_list *ap)
{
	if (sp->size)
		return (int64_t)va_arg(*ap, size_t);
	if (sp->longs == 2)
		return va_arg(*ap, long long);
	if (sp->longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	zp_memset(sp, 0, sizeof(*sp));
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (size_t)(*f++ - '0');
	while (*f == 'l') {
		sp->longs++;
		f++;
	}
	if (*f == 'z') {
		sp->size = true;
		f++;
	}
	return f;
}

static void put_conversion(struct out *o, const struct spec *sp, char conv, va_list *ap)
{
	switch (conv) {
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		put_field(o, sp, s, zp_strlen(s));
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_field(o, sp, &c, 1);
		break;
	}
	case 'd':
	case 'i': {
		int64_t v = take_signed(sp, ap);
		uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
		put_number(o, sp, mag, v < 0, 10, false);
		break;
	}
	case 'u':
		put_number(o, sp, take_unsigned(sp, ap), false, 10, false);
		break;
	case 'x':
	case 'X':
		put_number(o, sp, take_unsigned(sp, ap), false, 16, conv == 'X');
		break;
	case 'p':
		put_char(o, '0');
		put_char(o, 'x');
		put_number(o, sp, (uint64_t)(uintptr_t)va_arg(*ap, void *), false, 16, false);
		break;
	case '%':
		put_char(o, '%');
		break;
	default:		/* unknown: show it rather than guess at arguments */
		put_char(o, '%');
		if (conv)
			put_char(o, conv);
		break;
	}
}

size_t zp_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { buf, cap, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		struct spec sp;
		if (*fmt != '%') {
			put_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		put_conversion(&o, &sp, *fmt, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len;
}

size_t zp_format(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = zp_vformat(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

int zp_diag_fail(struct zp_diag *diag, int err, const char *fmt, ...)
{
	if (diag) {
		va_list ap;
		va_start(ap, fmt);
		zp_vformat(diag->msg, sizeof(diag->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

void zp_diag_clear(struct zp_diag *diag)
{
	if (diag)
		diag->msg[0] = '\0';
}
