/* SPDX-License-Identifier: MIT */
/*
 * bootctx.c - what one kernel's boots share: its temporary directory, the
 * probe initramfs, the extracted vmlinux and its notes, the unpacked Xen,
 * and running our own binary for extract and bundle (see bootpath.h).
 * A UKI is read here too: its .linux becomes the kernel the paths boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zeropage/bundle.h>
#include <zeropage/zeropage.h>

#include "common/fileio.h"
#include "common/tool_err.h"
#include "image/probe_initramfs.h"
#include "image/uki_view.h"
#include "image/bundle_file.h"
#include "image/linux_id.h"
#include "machine/bootpath.h"
#include "machine/rundir.h"
#include "machine/xen_machine.h"

/* ------------------------------------------------------------------ */
/* Running our own binary (extract, bundle): the other subcommands stay
 * the single implementation of what they do. */

int bootctx_run_self(const struct bootctx *c, const char *const *args, struct tool_err *err)
{
	return process_run_helper(c->self, args, err);
}

/* ------------------------------------------------------------------ */

/* Where the image's _text is linked, which the KASLR offsets are measured
 * from: a bzImage says so in pref_address; a vmlinux by its text segment,
 * the PT_LOAD lowest in physical memory (the per-CPU segment's virtual
 * address is 0, but it lies higher). */
static struct kernel_link kernel_link(const struct zp_image *img)
{
	if (img->format != ZP_FORMAT_ELF)
		return kernel_link_from_pref(img->u.bz.pref_address,
					     img->u.bz.entries & ZP_ENTRY_LONG64);
	const struct zp_elf *e = &img->u.elf;
	const struct zp_elf_segment *text = NULL;
	for (unsigned i = 0; i < e->nsegments && i < ZP_ELF_MAX_SEGMENTS; i++)
		if (e->segments[i].type == ZP_PT_LOAD && (!text || e->segments[i].paddr < text->paddr))
			text = &e->segments[i];
	if (!text)
		return kernel_link_from_pref(DEFAULT_LOAD_PHYSICAL_ADDR, e->elf_class == 64);
	return (struct kernel_link){ text->paddr, text->vaddr, false };
}

/* A UKI: every path but the one that boots it whole (path_ovmf.c) boots its
 * parts, so its .linux becomes the kernel file they use; what the whole
 * boot needs to know about it is kept beside. */
static int take_uki(struct bootctx *c, const struct uki_view *v, struct tool_err *err)
{
	if ((size_t)snprintf(c->uki_kernel, sizeof(c->uki_kernel), "%s/uki-linux", c->dir) >=
	    sizeof(c->uki_kernel)) {
		tool_err_set(err, "temporary directory %s: path too long", c->dir);
		return -1;
	}
	process_cleanup_on_signal(c->uki_kernel);
	if (fileio_write_atomic(c->uki_kernel, v->kernel, v->kernel_len, 0600, err))
		return -1;
	c->uki = c->kernel;
	c->kernel = c->uki_kernel;
	c->uki_x64 = v->img->u.uki.pe.machine == ZP_PE_MACHINE_AMD64;
	c->uki_has_initrd = v->initrd != NULL;
	if (v->cmdline && !(c->uki_cmdline = strdup(v->cmdline))) {
		tool_err_set(err, "out of memory");
		return -1;
	}
	if (v->initrd && !c->initrd) {
		/* the probe is built the same way every time: equal bytes mean
		 * the UKI was made with `zeropage initramfs` as its .initrd */
		uint8_t *probe;
		size_t plen;
		if (probe_initramfs(c->probe_arch, &probe, &plen, err))
			return -1;
		c->uki_initrd_is_probe = plen == v->initrd_len && !memcmp(probe, v->initrd, plen);
		free(probe);
	}
	return 0;
}

/* Our own binary, which the paths run for extract and bundle. */
static int find_self(struct bootctx *c, struct tool_err *err)
{
	ssize_t n = readlink("/proc/self/exe", c->self, sizeof(c->self) - 1);

	if (n <= 0) {
		tool_err_set(err, "/proc/self/exe: %s", strerror(errno));
		return -1;
	}
	c->self[n] = 0;
	return 0;
}

/* Which of the shim's entries the kernel takes, decided by the core as
 * `bundle` decides it: a path whose entry the kernel lacks (a 686 kernel
 * and the 64-bit entry, iPXE and the 32-bit one) is skipped with the
 * core's reason, not an error of bundle's. */
static void shim_entries(struct bootctx *c, const struct zp_bzimage *bz)
{
	const uint32_t asked[3] = { ZP_BUNDLE_ENTRY_64, ZP_BUNDLE_ENTRY_32,
				    ZP_BUNDLE_ENTRY_VMLINUX };
	char *why[3] = { c->shim_no_64, c->shim_no_32, c->shim_no_vmlinux };

	for (int i = 0; i < 3; i++) {
		struct zp_diag diag = { "" };
		uint32_t entry;
		bool fell_back;
		why[i][0] = 0;
		if (zp_bundle_choose_entry(bz, asked[i], &entry, &fell_back, &diag) != ZP_OK)
			snprintf(why[i], sizeof(c->shim_no_64), "%s",
				 diag.msg[0] ? diag.msg : "the kernel does not take it");
	}
}

/* What the paths ask of a kernel zp_probe read: its kind, entries, link
 * address and the probe it can run (for a UKI, u.bz is the kernel in its
 * .linux). */
static void take_image(struct bootctx *c, const struct zp_image *img, const uint8_t *data,
		       size_t len)
{
	struct bundle_view bv;
	struct tool_err berr;

	c->kernel_is_elf = img->format == ZP_FORMAT_ELF;
	c->kernel_entries = c->kernel_is_elf ? img->u.elf.entries : img->u.bz.entries;
	c->kernel_has_pe = !c->kernel_is_elf && img->u.bz.has_pe_header;
	if (!c->kernel_is_elf) {	/* the core's word (lib/linux_id.c) */
		c->kernel_not_linux = !zp_bzimage_is_linux(&img->u.bz);
		linux_id_describe(&img->u.bz, c->linux_why, sizeof(c->linux_why));
	} else if (!bundle_is_ours(&img->u.elf)) {	/* its notes (a bundle: below) */
		c->kernel_not_linux = !zp_elf_is_linux(&img->u.elf);
		linux_id_describe_elf(&img->u.elf, c->linux_why, sizeof(c->linux_why));
	}
	c->link = kernel_link(img);
	if (!c->kernel_is_elf)
		shim_entries(c, &img->u.bz);
	c->kernel_cmdline_size = c->kernel_is_elf ? 0 : img->u.bz.cmdline_size;
	c->kernel_floor_known = zp_image_ram_floor(img, 0, &c->kernel_floor) == ZP_OK;
	c->probe_arch = probe_arch_for_image(img);
	/* a bundle is the shim's ELF64 whatever it carries: the probe must be
	 * the one the bundled kernel can run (a 686 kernel panics on the
	 * x86-64 /init) */
	if (c->kernel_is_elf && bundle_is_ours(&img->u.elf) &&
	    bundle_read(data, len, &img->u.elf, &bv, &berr) == 0) {
		c->probe_arch = bv.bz.hdr.xloadflags & ZP_XLF_KERNEL_64 ? PROBE_ARCH_X86_64
								   : PROBE_ARCH_I386;
		c->kernel_not_linux = !zp_bzimage_is_linux(&bv.bz);	/* what it carries */
		c->kernel_cmdline_size = bv.bz.cmdline_size;
		linux_id_describe(&bv.bz, c->linux_why, sizeof(c->linux_why));
	}
}

/* The whole image, probed as `zeropage info` would: a kernel cut short or
 * damaged is our input error, not QEMU's to report (it would fail with
 * misleading words, or boot a silent guest).  A UKI is opened into *uki.
 * 0, or -1 with err naming the file. */
static int probe_kernel(struct bootctx *c, const uint8_t *data, size_t len,
			struct uki_view *uki, struct tool_err *err)
{
	struct zp_image *img = malloc(sizeof(*img));
	struct tool_err uerr = { "" };
	int r = img ? zp_probe(data, len, img) : ZP_ENOSPACE;

	if (r == ZP_OK)
		take_image(c, img, data, len);
	/* a UKI, or a PE that is not one: uki_view_open says which, and why */
	if (img && zp_identify(data, len) == ZP_FORMAT_UKI)
		r = uki_view_open(data, len, uki, &uerr);
	free(img);
	if (r == ZP_OK)
		return 0;
	if (uerr.msg[0])
		tool_err_set(err, "%s: %s", c->kernel, uerr.msg);
	else if (r == ZP_EUNKNOWN)
		tool_err_set(err, "%s: not a bzImage or ELF kernel, nor a UKI", c->kernel);
	else
		tool_err_set(err, "%s: damaged or truncated kernel image: %s", c->kernel,
			     zp_strerror(r));
	return -1;
}

/* The boot's directory, locked while we live so that a later run can
 * remove it if we are killed (rundir.c; that also removes what killed
 * runs left), and the probe initramfs in it unless --initrd was given. */
static int make_dir(struct bootctx *c, struct tool_err *err)
{
	if (rundir_create(c->dir, sizeof(c->dir), &c->dir_lock, err))
		return -1;
	process_cleanup_on_signal(c->dir);
	if (c->initrd)
		return 0;
	snprintf(c->probe_initrd, sizeof(c->probe_initrd), "%s/probe.cpio", c->dir);
	process_cleanup_on_signal(c->probe_initrd);
	if (probe_initramfs_write(c->probe_initrd, c->probe_arch, &c->probe_initrd_size, err)) {
		bootctx_free(c);
		return -1;
	}
	return 0;
}

int bootctx_init(struct bootctx *c, const char *kernel, const char *initrd,
		 struct tool_err *err)
{
	struct uki_view uki = { 0 };
	uint8_t *data;
	size_t len;

	memset(c, 0, sizeof(*c));
	c->kernel = kernel;
	c->initrd = initrd;
	/* Paths are copied into fixed buffers (vmlinux[], the per-boot kernel
	 * name): refuse what would not fit rather than boot a truncated name. */
	if (strlen(kernel) >= sizeof(c->vmlinux)) {
		tool_err_set(err, "kernel path of %zu bytes is too long (at most %zu)",
			 strlen(kernel), sizeof(c->vmlinux) - 1);
		return -1;
	}
	if (find_self(c, err) || fileio_read_all(kernel, &data, &len, err))
		return -1;
	if (probe_kernel(c, data, len, &uki, err)) {
		free(data);
		return -1;
	}
	/* QEMU reads it: a FIFO would make it wait for ever */
	if ((initrd && fileio_check_input(initrd, err)) || make_dir(c, err))
		goto fail;
	if (uki.img && take_uki(c, &uki, err)) {
		bootctx_free(c);
		goto fail;
	}
	uki_view_close(&uki);
	free(data);
	return 0;
fail:
	uki_view_close(&uki);
	free(data);
	return -1;
}

void bootctx_prepare_vmlinux(struct bootctx *c)
{
	if (c->vmlinux_tried)
		return;
	c->vmlinux_tried = true;
	if (c->kernel_is_elf) {
		snprintf(c->vmlinux, sizeof(c->vmlinux), "%s", c->kernel);
	} else {
		snprintf(c->vmlinux, sizeof(c->vmlinux), "%s/vmlinux", c->dir);
		process_cleanup_on_signal(c->vmlinux);
		const char *args[] = { "extract", c->kernel, "-o", c->vmlinux, "-q", NULL };
		if (bootctx_run_self(c, args, &c->vmlinux_err)) {
			tool_err_prefix(&c->vmlinux_err, "extract failed");
			c->vmlinux[0] = 0;
			return;
		}
	}
	uint8_t *data;
	size_t len;
	if (fileio_read_all(c->vmlinux, &data, &len, &c->vmlinux_err))
		return;
	struct zp_elf *elf = malloc(sizeof(*elf));
	int r = elf ? zp_probe_elf(data, len, elf) : ZP_ENOSPACE;
	if (r != ZP_OK) {
		tool_err_set(&c->vmlinux_err, "vmlinux: %s", zp_strerror(r));
	} else {
		c->vmlinux_ok = true;
		c->vmlinux_has_pvh = elf->has_pvh;
		c->vmlinux_has_xen_pv = zp_elf_find_note(elf, "Xen", ZP_XEN_ELFNOTE_ENTRY) != NULL;
	}
	free(elf);
	free(data);
}

void bootctx_prepare_xen(struct bootctx *c)
{
	if (c->xen_tried)
		return;
	c->xen_tried = true;
	if (xen_machine_image(c->xen, sizeof(c->xen), &c->xen_err))
		c->xen[0] = 0;
}

void bootctx_free(struct bootctx *c)
{
	free(c->uki_cmdline);
	c->uki_cmdline = NULL;
	if (c->dir[0])
		rundir_remove(c->dir);
	c->dir[0] = 0;
	if (c->dir_lock > 0)
		close(c->dir_lock);
	c->dir_lock = -1;
}

