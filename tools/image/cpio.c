/* SPDX-License-Identifier: MIT */
/* cpio.c - the newc writer; see cpio.h for the format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/cpio.h"

void cpio_init(struct cpio_archive *c)
{
	memset(c, 0, sizeof(*c));
	c->next_ino = 1;	/* 0 is the trailer's */
}

void cpio_free(struct cpio_archive *c)
{
	free(c->data);
	memset(c, 0, sizeof(*c));
}

static int reserve(struct cpio_archive *c, size_t more)
{
	if (more > SIZE_MAX - c->len) {
		tool_err_set(&c->err, "archive size overflows");
		return -1;
	}
	size_t need = c->len + more;
	if (need <= c->cap)
		return 0;
	size_t cap = c->cap ? c->cap : 4096;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	uint8_t *p = realloc(c->data, cap);
	if (!p) {
		tool_err_set(&c->err, "out of memory (%zu bytes)", cap);
		return -1;
	}
	c->data = p;
	c->cap = cap;
	return 0;
}

static void pad4(struct cpio_archive *c)
{
	while (c->len & 3)
		c->data[c->len++] = 0;
}

/* One entry with no validation: shared by cpio_add and the trailer. */
static int emit(struct cpio_archive *c, uint32_t ino, const char *name, uint32_t mode,
		uint32_t nlink, uint32_t rmaj, uint32_t rmin, const void *data, size_t len)
{
	size_t namesize = strlen(name) + 1;
	/* header + name + pad + data + pad: at most 6 bytes of padding */
	if (reserve(c, CPIO_HEADER_SIZE + namesize + len + 6))
		return -1;
	char hdr[CPIO_HEADER_SIZE + 1];
	/* ino mode uid gid nlink mtime filesize devmajor devminor
	 * rdevmajor rdevminor namesize check */
	int n = snprintf(hdr, sizeof(hdr),
			 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			 CPIO_NEWC_MAGIC, ino, mode, 0u, 0u, nlink, 0u, (unsigned)len,
			 0u, 0u, rmaj, rmin, (unsigned)namesize, 0u);
	if (n != CPIO_HEADER_SIZE) {
		tool_err_set(&c->err, "header formatting failed");
		return -1;
	}
	memcpy(c->data + c->len, hdr, CPIO_HEADER_SIZE);
	c->len += CPIO_HEADER_SIZE;
	memcpy(c->data + c->len, name, namesize);
	c->len += namesize;
	pad4(c);
	if (len) {
		memcpy(c->data + c->len, data, len);
		c->len += len;
	}
	pad4(c);
	return 0;
}

int cpio_add(struct cpio_archive *c, const char *name, uint32_t mode,
	     uint32_t rdev_major, uint32_t rdev_minor,
	     const void *data, size_t len)
{
	c->err.msg[0] = 0;
	if (c->finished) {
		tool_err_set(&c->err, "archive already has its trailer");
		return -1;
	}
	if (!name || !*name) {
		tool_err_set(&c->err, "empty entry name");
		return -1;
	}
	size_t nl = strlen(name);
	if (nl + 1 > CPIO_NAME_MAX) {
		tool_err_set(&c->err, "name of %zu bytes exceeds %d",
			 nl, CPIO_NAME_MAX - 1);
		return -1;
	}
	if (!strcmp(name, CPIO_TRAILER)) {
		tool_err_set(&c->err, "'%.64s' is reserved for the trailer", name);
		return -1;
	}
	/* The size field is 8 hex digits. */
	if (len > 0xffffffffu) {
		tool_err_set(&c->err, "'%.64s': %zu bytes exceed newc's 4 GiB limit",
			 name, len);
		return -1;
	}
	uint32_t type = mode & 0170000u;
	if (type != CPIO_S_IFREG && type != CPIO_S_IFLNK && len) {
		tool_err_set(&c->err, "'%.64s': only files and symlinks have data", name);
		return -1;
	}
	if (type != CPIO_S_IFREG && type != CPIO_S_IFDIR &&
	    type != CPIO_S_IFCHR && type != CPIO_S_IFLNK) {
		tool_err_set(&c->err, "'%.64s': unsupported file type 0%o", name, type);
		return -1;
	}
	if (len && !data) {
		tool_err_set(&c->err, "'%.64s': no data", name);
		return -1;
	}
	/* A directory's link count is 2 (itself and "."), others 1. */
	uint32_t nlink = type == CPIO_S_IFDIR ? 2 : 1;
	return emit(c, c->next_ino++, name, mode, nlink, rdev_major, rdev_minor, data, len);
}

int cpio_dir(struct cpio_archive *c, const char *name, uint32_t perm)
{
	return cpio_add(c, name, CPIO_S_IFDIR | (perm & 07777), 0, 0, NULL, 0);
}

int cpio_file(struct cpio_archive *c, const char *name, uint32_t perm,
	      const void *data, size_t len)
{
	return cpio_add(c, name, CPIO_S_IFREG | (perm & 07777), 0, 0, data, len);
}

int cpio_chardev(struct cpio_archive *c, const char *name, uint32_t perm,
		 uint32_t major, uint32_t minor)
{
	return cpio_add(c, name, CPIO_S_IFCHR | (perm & 07777), major, minor, NULL, 0);
}

int cpio_finish(struct cpio_archive *c, size_t align)
{
	c->err.msg[0] = 0;
	if (c->finished) {
		tool_err_set(&c->err, "archive already has its trailer");
		return -1;
	}
	if (emit(c, 0, CPIO_TRAILER, 0, 1, 0, 0, NULL, 0))
		return -1;
	c->finished = 1;
	if (align > 1) {
		size_t pad = (align - c->len % align) % align;
		if (reserve(c, pad))
			return -1;
		memset(c->data + c->len, 0, pad);
		c->len += pad;
	}
	return 0;
}
