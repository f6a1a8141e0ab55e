/* SPDX-License-Identifier: MIT */
/*
 * zeropage bundle --kernel BZIMAGE [--initrd FILE] [--cmdline STR]
 *                 [--entry 64|32|vmlinux] [--handoff native|subarch] -o OUT
 *
 * Wraps an unmodified bzImage in the PVH shim: one ELF that any PVH loader
 * boots.  The layout is decided here (bundle.c); the shim (shim/) reads it
 * back from the descriptor at boot.  OUT is written atomically.  --kernel
 * may be a Unified Kernel Image: its .linux is the kernel, and its .initrd
 * (after .ucode) and .cmdline are the defaults --initrd and --cmdline
 * replace (image/uki_view.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tool_err.h"
#include "image/bundle_file.h"
#include "cli/commands.h"
#include "image/decompress.h"
#include "common/fileio.h"
#include "image/uki_view.h"
#include "cli/kernel_arg.h"
#include "common/safe_text.h"

static void bundle_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage bundle --kernel BZIMAGE [--kernel-version V] [--initrd FILE] [--cmdline STR]\n"
		"                       [--entry 64|32|vmlinux] [--handoff native|subarch]\n"
		"                       [--no-kaslr | --kaslr=require] -o OUT\n"
		"\n"
		"Write OUT, an ELF that a PVH loader (qemu -kernel, Firecracker, Cloud\n"
		"Hypervisor, Xen type=\"pvh\") boots: the zeropage shim turns the loader's\n"
		"hvm_start_info into a zero page and enters the unmodified kernel.\n"
		"\n"
		"  --kernel BZIMAGE  the kernel (a bzImage; its setup header fills the zero page),\n"
		"                    or a UKI: its .linux, with its .initrd and .cmdline as the\n"
		"                    defaults the next two options replace; or a .deb or .rpm\n"
		"                    package holding the kernel\n"
		"  --kernel-version V  the package's kernel V, where it holds several\n"
		"  --initrd FILE     default initrd; a VMM's module 0 (-initrd) replaces it\n"
		"  --cmdline STR     default command line; a VMM's (-append) is appended to it\n"
		"  --entry E         64: long mode at load address + 0x200 (default with\n"
		"                    XLF_KERNEL_64); 32: protected mode, paging off;\n"
		"                    vmlinux: the payload decompressed now, entered at its\n"
		"                    own startup_64 (no decompressor: the shim itself\n"
		"                    randomises where it runs, physically and virtually,\n"
		"                    with the relocation table the kernel carries)\n"
		"  --no-kaslr        vmlinux: keep the link address\n"
		"  --kaslr=require   vmlinux: halt with the reason rather than boot unrandomised\n"
		"  --handoff H       native (default): plain zero page; subarch: also\n"
		"                    hardware_subarch (PC, or XEN on Xen) and\n"
		"                    hardware_subarch_data = a reserved copy of the start_info\n"
		"  -o, --output OUT  where to write the bundle (replaced atomically; - is\n"
		"                    stdout; a FIFO or a device is written into)\n"
		"  -h, --help        this text\n");
}

struct bundle_args {
	const char *kernel, *initrd, *cmdline, *output;
	const char *kernel_version;
	const char *kernel_file;	/* what is read: kernel, or a package's kernel */
	const char *entry, *handoff, *kaslr;
	bool no_kaslr;
};

/* Returns -1 when the command line is fine, else the exit code. */
static int parse_args(int argc, char **argv, struct bundle_args *a)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "entry", required_argument, NULL, 'e' },
		{ "handoff", required_argument, NULL, 'H' },
		{ "no-kaslr", no_argument, NULL, 'N' },
		{ "kaslr", required_argument, NULL, 'K' },
		{ "output", required_argument, NULL, 'o' },
		{ "kernel-version", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "k:i:c:e:H:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': a->kernel = optarg; break;
		case 'i': a->initrd = optarg; break;
		case 'c': a->cmdline = optarg; break;
		case 'e': a->entry = optarg; break;
		case 'H': a->handoff = optarg; break;
		case 'N': a->no_kaslr = true; break;
		case 'K': a->kaslr = optarg; break;
		case 'o': a->output = optarg; break;
		case 'V': a->kernel_version = optarg; break;
		case 'h': bundle_usage(stdout); return CLI_EXIT_OK;
		default: bundle_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (!a->kernel || !a->output) {
		tool_error("%s is required", a->kernel ? "-o OUT" : "--kernel");
		bundle_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (a->entry && strcmp(a->entry, "64") && strcmp(a->entry, "32") &&
	    strcmp(a->entry, "vmlinux")) {
		tool_error("--entry must be 64, 32 or vmlinux, not '%s'",
			a->entry);
		return CLI_EXIT_USAGE;
	}
	if (a->kaslr && strcmp(a->kaslr, "require")) {
		tool_error("--kaslr takes only 'require', not '%s'", a->kaslr);
		return CLI_EXIT_USAGE;
	}
	if (a->kaslr && a->no_kaslr) {
		tool_error("--no-kaslr and --kaslr=require contradict each other");
		return CLI_EXIT_USAGE;
	}
	if ((a->kaslr || a->no_kaslr) && (!a->entry || strcmp(a->entry, "vmlinux"))) {
		tool_error("%s is for --entry vmlinux; entries 64 and 32 keep "
			"the decompressor, whose KASLR the kernel's command line governs",
			a->kaslr ? "--kaslr=require" : "--no-kaslr");
		return CLI_EXIT_USAGE;
	}
	if (a->handoff && strcmp(a->handoff, "native") && strcmp(a->handoff, "subarch")) {
		tool_error("--handoff must be native or subarch, not '%s'",
			a->handoff);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* What a user must give the guest: read back as a loader would. */
static void say_written(FILE *say, const char *path, const struct decompress_buf *out)
{
	static struct zp_elf elf;
	static struct bundle_view v;
	struct tool_err err;

	if (zp_probe_elf(out->data, out->len, &elf) ||
	    bundle_read(out->data, out->len, &elf, &v, &err))
		return;
	fprintf(say, "zeropage bundle: wrote %s (%zu bytes); the guest needs %llu MiB of RAM "
		"(its highest segment ends at 0x%llx)%s\n", path, out->len,
		(unsigned long long)((v.ram_needed + (1 << 20) - 1) >> 20),
		(unsigned long long)v.ram_needed,
		v.shim_start != 0x100000 ? "; the shim was moved above the kernel's room" : "");
}

/* A UKI's initrd as systemd-stub hands it to the kernel, as far as the
 * file holds it: the .ucode microcode archive first (the kernel's early
 * loader looks only at the start), then .initrd, each padded to 4 bytes as
 * ukify joins initrds.  Without .ucode, *out stays NULL and the .initrd
 * bytes are used in place.  (The stub's run-time additions, credentials
 * and system extensions from the ESP, are not in the file.) */
static int uki_initrd(const struct uki_view *v, uint8_t **out, size_t *len, struct tool_err *err)
{
	const struct zp_uki_part *uc = &v->img->u.uki.parts.ucode;
	size_t pad;

	*out = NULL;
	*len = v->initrd_len;
	if (!uc->data)
		return 0;
	pad = (4 - uc->size % 4) % 4;
	*len = uc->size + pad + v->initrd_len;
	*out = calloc(1, *len ? *len : 1);
	if (!*out) {
		tool_err_set(err, "out of memory for the UKI's .ucode and .initrd");
		return -1;
	}
	memcpy(*out, uc->data, uc->size);
	if (v->initrd_len)
		memcpy(*out + uc->size + pad, v->initrd, v->initrd_len);
	return 0;
}

/* What was taken from the UKI, and what the options replaced. */
static void say_uki(FILE *say, const struct bundle_args *a, const struct uki_view *v,
		    const struct bundle_opts *o)
{
	const struct zp_uki *u = &v->img->u.uki.parts;

	fprintf(say, "zeropage bundle: from the UKI %s: kernel (.linux, %zu bytes at 0x%zx); "
		"initrd %s", a->kernel, v->kernel_len, u->kernel.offset,
		a->initrd ? "from --initrd" : o->initrd_len ? "" : "none (the UKI has no .initrd)");
	if (!a->initrd && o->initrd_len)
		fprintf(say, "%s%s (%zu bytes)", u->ucode.data ? ".ucode + " : "",
			u->initrd.data ? ".initrd" : "", o->initrd_len);
	fprintf(say, "; command line %s\n", a->cmdline ? "from --cmdline" :
		v->cmdline ? "from .cmdline" : "none (the UKI has no .cmdline)");
}

/* The vmlinux entry carries the payload decompressed now. */
static int extract_vmlinux(const struct zp_bzimage *bz, const uint8_t *kernel,
			   struct decompress_buf *vmlinux, struct tool_err *err)
{
	struct tool_err derr;

	if (bz->compression == ZP_COMP_UNKNOWN) {
		tool_err_set(err, "kernel cannot take entry vmlinux: its payload's "
			 "compression is not one we know, so it cannot be extracted");
		return -1;
	}
	if (decompress_payload(bz->compression, kernel + bz->payload_offset,
			       bz->payload_size, 0, vmlinux, &derr)) {
		tool_err_set(err, "kernel cannot take entry vmlinux: payload (%s) "
			 "does not extract: %s", zp_compression_name(bz->compression), derr.msg);
		return -1;
	}
	return 0;
}

/* The options' choices, once the kernel is known (its entry, the
 * default's fallback to 32 said on stderr); -1 with err when it cannot
 * take the entry. */
static int take_choices(const struct bundle_args *a, const struct zp_bzimage *bz,
			struct bundle_opts *o, struct tool_err *err)
{
	uint32_t asked = !a->entry ? 0 : !strcmp(a->entry, "64") ? ZP_BUNDLE_ENTRY_64 :
			 !strcmp(a->entry, "32") ? ZP_BUNDLE_ENTRY_32 : ZP_BUNDLE_ENTRY_VMLINUX;
	char note[200];

	if (bundle_choose_entry(bz, asked, &o->entry, note, sizeof(note), err))
		return -1;
	if (note[0])
		safe_text_printf(stderr, "zeropage bundle: %s: %s\n", a->kernel, note);
	o->kaslr_flags = a->no_kaslr ? ZP_BUNDLE_KASLR_OFF : a->kaslr ? ZP_BUNDLE_KASLR_REQUIRE : 0;
	o->handoff = a->handoff && !strcmp(a->handoff, "subarch") ? ZP_HANDOFF_SUBARCH
								  : ZP_HANDOFF_NATIVE;
	return 0;
}

static int bundle(const struct bundle_args *a)
{
	struct bundle_opts o = { 0 };
	struct zp_bzimage bz;
	struct decompress_buf out = { 0 }, vmlinux = { 0 };
	struct uki_view uki = { 0 };
	uint8_t *kernel = NULL, *initrd = NULL;
	const uint8_t *shim;
	size_t shim_len;
	struct tool_err err;
	char note[512];
	int r, rc = CLI_EXIT_ERROR;
	/* what it did, on stderr when the bundle goes to stdout */
	FILE *say = fileio_output_fd(a->output) == 1 ? stderr : stdout;

	if (fileio_read_all(a->kernel_file, &kernel, &o.kernel_len, &err))
		goto fail;
	o.kernel = kernel;
	if (zp_identify(kernel, o.kernel_len) == ZP_FORMAT_UKI) {
		/* A UKI: its .linux is the kernel; its initrd and command line
		 * are the defaults that --initrd and --cmdline override. */
		if (uki_view_open(kernel, o.kernel_len, &uki, &err)) {
			tool_err_prefix(&err, "%s", a->kernel);
			goto fail;
		}
		o.kernel = uki.kernel;
		o.kernel_len = uki.kernel_len;
	}
	r = zp_probe_bzimage(o.kernel, o.kernel_len, &bz);
	if (r) {
		tool_err_set(&err, "%s: not a bzImage we can bundle (%s)", a->kernel,
			 r == ZP_EBADMAGIC ? "no boot_flag/HdrS magic" : zp_strerror(r));
		goto fail;
	}
	if (take_choices(a, &bz, &o, &err))
		goto fail;
	if (o.entry == ZP_BUNDLE_ENTRY_VMLINUX &&
	    extract_vmlinux(&bz, o.kernel, &vmlinux, &err))
		goto fail;
	o.vmlinux = vmlinux.data;
	o.vmlinux_len = vmlinux.len;
	if (a->initrd) {
		if (fileio_read_all(a->initrd, &initrd, &o.initrd_len, &err))
			goto fail;
		o.initrd = initrd;
	} else if (uki.img && uki_initrd(&uki, &initrd, &o.initrd_len, &err)) {
		goto fail;
	} else if (uki.img) {
		o.initrd = initrd ? initrd : uki.initrd;
	}
	o.cmdline = a->cmdline ? a->cmdline : uki.cmdline;
	shim = embedded_shim_elf(&shim_len);
	o.note = note;
	o.note_cap = sizeof(note);
	if (bundle_build(&o, shim, shim_len, &out, &err)) {
		tool_error("%s: %s", a->kernel, err.msg);
		goto done;
	}
	if (fileio_write_atomic(a->output, out.data, out.len, 0644, &err))
		goto fail;
	/* Not an error (it boots, unrandomised), but never silent. */
	if (note[0])
		tool_error("warning: %s: %s", a->kernel, note);
	if (uki.img)
		say_uki(say, a, &uki, &o);
	say_written(say, a->output, &out);
	rc = CLI_EXIT_OK;
	goto done;
fail:
	tool_error("%s", err.msg);	/* may name a UKI's sections */
done:
	uki_view_close(&uki);
	free(out.data);
	free(vmlinux.data);
	free(kernel);
	free(initrd);
	return rc;
}

int cmd_bundle(int argc, char **argv)
{
	struct bundle_args a = { 0 };
	int rc = parse_args(argc, argv, &a);
	const struct fileio_named_path inputs[] = {
		{ "--kernel", a.kernel }, { "--initrd", a.initrd }
	};
	struct tool_err err;

	if (rc >= 0)
		return rc;
	/* before anything is read or written: -o k would destroy --kernel k */
	if (fileio_check_output_not_input("-o", a.output, inputs, 2, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	struct kernel_arg k;	/* a package: the kernel in it */
	if (kernel_arg_open(&k, a.kernel, a.kernel_version, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	kernel_arg_say(&k, false);
	a.kernel_file = k.path;
	rc = bundle(&a);
	kernel_arg_close(&k);
	return rc;
}
