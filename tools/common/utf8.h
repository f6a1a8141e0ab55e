/* SPDX-License-Identifier: MIT */
/* utf8.h - validating one UTF-8 sequence, for the JSON and XML writers:
 * consoles and kernel strings are bytes, but both documents must be UTF-8. */
#ifndef ZEROPAGE_TOOLS_UTF8_H
#define ZEROPAGE_TOOLS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 for an
 * ASCII byte or an invalid sequence: overlong forms, UTF-16 surrogates and
 * values past U+10FFFF are invalid.  *cp receives the code point. */
size_t utf8_sequence(const unsigned char *s, size_t n, uint32_t *cp);

#endif
