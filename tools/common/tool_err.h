/* SPDX-License-Identifier: MIT */
/*
 * tool_err.h - the tools' one error channel.
 *
 * A fallible function of tools/ returns 0 or -1 (or an enum of outcomes)
 * and says why in a struct tool_err: one line, sized here once, built with
 * tool_err_set and given context by its callers with tool_err_prefix
 * ("vmlinuz: " + "bad magic").  Like lib's struct zp_diag, but hosted.
 * Exit codes are no part of it: cli/ alone maps outcomes to them.
 *
 * tool_error writes one such line to stderr as "zeropage CMD: ...", CMD
 * being the running subcommand main.c named once (tool_set_command).  The
 * line goes through safe_text, since a message can quote an image's or a
 * guest's bytes.
 */
#ifndef ZEROPAGE_TOOLS_TOOL_ERR_H
#define ZEROPAGE_TOOLS_TOOL_ERR_H

/* The longest message: a path or two, a field, numbers, a guest's words. */
#define TOOL_ERR_MAX 512

struct tool_err {
	char msg[TOOL_ERR_MAX];
};

/* Sets e's message (printf-style), replacing what it held.  e may be NULL:
 * a caller that does not want the reason passes none. */
void tool_err_set(struct tool_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Puts context before e's message: "PREFIX: message". */
void tool_err_prefix(struct tool_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Adds to the end of e's message (what fits): for lists built in steps. */
void tool_err_append(struct tool_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Names the running subcommand ("boot") for tool_error's prefix; NULL or
 * never called: "zeropage: ". */
void tool_set_command(const char *name);

/* "zeropage CMD: " and the message, escaped as one line, and a newline, to
 * stderr: every error and warning the tools print. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
