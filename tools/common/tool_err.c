/* SPDX-License-Identifier: MIT */
/* tool_err.c - the tools' diagnostic and their one writer to stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/safe_text.h"
#include "common/tool_err.h"

static const char *command;

void tool_err_set(struct tool_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void tool_err_prefix(struct tool_err *e, const char *fmt, ...)
{
	char old[TOOL_ERR_MAX];
	va_list ap;
	int n;

	if (!e)
		return;
	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s", old);
}

void tool_err_append(struct tool_err *e, const char *fmt, ...)
{
	va_list ap;
	size_t at;

	if (!e)
		return;
	at = strnlen(e->msg, sizeof(e->msg));
	if (at + 1 >= sizeof(e->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg + at, sizeof(e->msg) - at, fmt, ap);
	va_end(ap);
}

void tool_set_command(const char *name)
{
	command = name;
}

void tool_error(const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		text = NULL;
	/* the matrix's threads report too: one line is written whole */
	flockfile(stderr);
	safe_text_printf(stderr, "zeropage%s%s: %s\n", command ? " " : "", command ? command : "",
			 text ? text : fmt);
	funlockfile(stderr);
	free(text);
}
