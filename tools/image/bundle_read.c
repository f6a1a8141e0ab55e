/* SPDX-License-Identifier: MIT */
/*
 * bundle_read.c - a bundle read back from its file, as `zeropage info` and
 * the tests read it: the descriptor through the "ZeroPage" note, the
 * pieces through the PT_LOADs, every offset checked against the file.
 */
#include <string.h>

#include "common/tool_err.h"
#include "image/bundle_file.h"

#define ULL(v)		((unsigned long long)(v))


bool bundle_is_ours(const struct zp_elf *elf)
{
	const struct zp_elf_note *n = zp_elf_find_note(elf, ZP_NOTE_NAME, ZP_NOTE_BUNDLE);
	return n && n->has_value;
}

/* The file bytes behind [paddr, paddr+n), if one PT_LOAD holds them all. */
static const uint8_t *file_at(const uint8_t *buf, size_t len, const struct zp_elf *elf,
			      uint64_t paddr, uint64_t n)
{
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];
		if (s->type != ZP_PT_LOAD || paddr < s->paddr || paddr - s->paddr > s->filesz ||
		    n > s->filesz - (paddr - s->paddr))
			continue;
		if (s->offset + (paddr - s->paddr) + n > len)
			return NULL;
		return buf + s->offset + (paddr - s->paddr);
	}
	return NULL;
}

/* Each piece the descriptor names must be bytes of the file, held by one
 * PT_LOAD, as the writer put it (a loader copies nothing else there). */
static int check_in_file(const uint8_t *buf, size_t len, const struct zp_elf *elf,
			 const char *addr_field, uint64_t addr, const char *len_field,
			 uint64_t n, struct tool_err *err)
{
	if (!n || file_at(buf, len, elf, addr, n))
		return 0;
	tool_err_set(err, "bundle descriptor: %s 0x%llx + %s 0x%llx lies past the end of "
		 "the file's segments (%zu bytes)", addr_field, ULL(addr), len_field, ULL(n), len);
	return -1;
}

/* The shim's own extent and the guest RAM the bundle needs, from the
 * PT_LOADs; the descriptor, copied out of the file. */
static int read_desc(const uint8_t *buf, size_t len, const struct zp_elf *elf,
		     struct bundle_view *v, struct tool_err *err)
{
	const uint8_t *p;

	v->shim_start = UINT64_MAX;
	for (unsigned i = 0; i < elf->nsegments; i++) {
		const struct zp_elf_segment *s = &elf->segments[i];
		uint64_t end = s->paddr + s->memsz < s->paddr ? UINT64_MAX : s->paddr + s->memsz;
		if (s->type != ZP_PT_LOAD)
			continue;
		v->nload++;
		if (end > v->ram_needed)
			v->ram_needed = end;
		/* the shim: the segments holding its entry and its descriptor */
		if ((v->pvh_entry >= s->paddr && v->pvh_entry < end) ||
		    (v->desc_paddr >= s->paddr && v->desc_paddr < end)) {
			if (s->paddr < v->shim_start)
				v->shim_start = s->paddr;
			if (end > v->shim_end)
				v->shim_end = end;
		}
	}
	if (!v->shim_end)
		v->shim_start = 0;
	p = file_at(buf, len, elf, v->desc_paddr, sizeof(v->desc));
	if (!p) {
		tool_err_set(err, "bundle descriptor 0x%llx is not in the file", ULL(v->desc_paddr));
		return -1;
	}
	memcpy(&v->desc, p, sizeof(v->desc));
	return 0;
}

/* Every piece of a kernel bundle in the file, and its setup header probed
 * and checked against the descriptor by the shim's own rules. */
static int read_pieces(const uint8_t *buf, size_t len, const struct zp_elf *elf,
		       struct bundle_view *v, struct tool_err *err)
{
	const struct zp_bundle_desc *d = &v->desc;
	struct zp_diag diag;
	int r;

	if (check_in_file(buf, len, elf, "image_paddr", d->image_paddr, "image_loaded",
			  d->image_loaded, err) ||
	    check_in_file(buf, len, elf, "initrd_paddr", d->initrd_paddr, "initrd_size",
			  d->initrd_size, err) ||
	    check_in_file(buf, len, elf, "relocs_paddr", d->relocs_paddr, "relocs_size",
			  d->relocs_size, err) ||
	    check_in_file(buf, len, elf, "cmdline_paddr", d->cmdline_paddr, "cmdline_len + 1",
			  d->cmdline_len ? d->cmdline_len + 1 : 0, err))
		return -1;
	v->setup = file_at(buf, len, elf, d->image_paddr, d->image_loaded);
	v->setup_len = (size_t)d->image_loaded;		/* below 4 GiB: checked */
	r = d->entry == ZP_BUNDLE_ENTRY_VMLINUX
	    ? zp_probe_bzimage_header(v->setup, v->setup_len, &v->bz)
	    : zp_probe_bzimage(v->setup, v->setup_len, &v->bz);
	if (r) {
		tool_err_set(err, "bundle's kernel image is not a bzImage: %s", zp_strerror(r));
		return -1;
	}
	if (zp_bundle_desc_check_kernel(d, &v->bz, &diag)) {
		tool_err_set(err, "%s", diag.msg);
		return -1;
	}
	if (d->cmdline_len) {
		v->cmdline = (const char *)file_at(buf, len, elf, d->cmdline_paddr, d->cmdline_len + 1);
		if (v->cmdline[d->cmdline_len] != '\0') {
			tool_err_set(err, "bundle descriptor: the command line at cmdline_paddr "
				 "0x%llx is not NUL-terminated at cmdline_len %llu",
				 ULL(d->cmdline_paddr), ULL(d->cmdline_len));
			return -1;
		}
	}
	return 0;
}

int bundle_read(const uint8_t *buf, size_t len, const struct zp_elf *elf,
		   struct bundle_view *v, struct tool_err *err)
{
	const struct zp_elf_note *n = zp_elf_find_note(elf, ZP_NOTE_NAME, ZP_NOTE_BUNDLE);
	const struct zp_bundle_desc *d = &v->desc;
	struct zp_diag diag;

	memset(v, 0, sizeof(*v));
	if (!n || !n->has_value) {
		tool_err_set(err, "not a zeropage bundle (no \"%s\" note)", ZP_NOTE_NAME);
		return -1;
	}
	v->desc_paddr = n->value;
	v->pvh_entry = elf->pvh_entry;
	if (read_desc(buf, len, elf, v, err))
		return -1;
	if (zp_bundle_desc_check(d, &diag)) {
		tool_err_set(err, "%s", diag.msg);
		return -1;
	}
	if (d->entry == 0)
		return 0;	/* the bare shim */
	if (read_pieces(buf, len, elf, v, err)) {
		v->setup = NULL;
		v->cmdline = NULL;
		return -1;
	}
	/* A kernel that is not relocatable runs only at pref_address: the
	 * shim copies it there when the bundle had to put it elsewhere. */
	v->run_addr = d->entry != ZP_BUNDLE_ENTRY_VMLINUX && !v->bz.relocatable
		      ? v->bz.pref_address : d->kernel_addr;
	return 0;
}
