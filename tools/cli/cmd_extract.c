/* SPDX-License-Identifier: MIT */
/*
 * zeropage extract IMAGE -o OUT: the decompressed payload of a bzImage,
 * which is the kernel's vmlinux ELF; of a UKI, that of the bzImage in its
 * .linux section.  The output appears whole or not at all: it is written
 * atomically (or, for "-", a FIFO or a device, copied in) and only after
 * the payload decoded and its size trailer matched; OUT may not be IMAGE.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zeropage/zeropage.h>

#include "cli/commands.h"
#include "common/tool_err.h"
#include "image/decompress.h"
#include "common/fileio.h"
#include "image/uki_view.h"
#include "cli/kernel_arg.h"
#include "common/safe_text.h"

static void extract_usage(FILE *f)
{
	fprintf(f,
		"usage: zeropage extract [--kernel-version V] IMAGE -o OUT\n"
		"\n"
		"Write the decompressed payload of bzImage IMAGE (the kernel's vmlinux ELF)\n"
		"to OUT; for a Unified Kernel Image, that of the bzImage in its .linux.\n"
		"gzip, bzip2, lzma, xz, lzo, lz4 and zstd payloads are decoded with the\n"
		"system libraries and checked against the size the kernel build appended.\n"
		"OUT is replaced atomically; on any error it is left untouched.  OUT may\n"
		"be - (stdout), a FIFO or a device: written into, once the payload decoded.\n"
		"IMAGE may be a .deb or .rpm package: its kernel's payload is written.\n"
		"\n"
		"  -o, --output OUT   where to write the vmlinux\n"
		"  --kernel-version V the package's kernel V, where it holds several\n"
		"  -q, --quiet        print nothing on success\n"
		"  -h, --help         this text\n");
}

struct extract_args {
	const char *image;
	const char *output;
	const char *kernel_version;
	int quiet;
};

/* Returns -1 when the command line is fine, else the exit code. */
static int parse_args(int argc, char **argv, struct extract_args *a)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "kernel-version", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* GNU: full reset, so the command can run twice in one process */
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': a->output = optarg; break;
		case 'q': a->quiet = 1; break;
		case 'V': a->kernel_version = optarg; break;
		case 'h': extract_usage(stdout); return CLI_EXIT_OK;
		default: extract_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind + 1 < argc) {
		tool_error("one IMAGE expected, got '%s' too",
			argv[optind + 1]);
		return CLI_EXIT_USAGE;
	}
	if (optind >= argc || !a->output) {
		tool_error("%s",
			optind >= argc ? "missing IMAGE" : "missing -o OUT");
		extract_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	a->image = argv[optind];
	return -1;
}

/* The payload as the vmlinux bytes into fd: decoded as it streams (LZ4 on
 * every core), or as-is when uncompressed.  *len receives the size. */
static int payload_to_fd(const char *path, const struct zp_bzimage *bz, int fd, size_t *len)
{
	const uint8_t *payload = bz->image + bz->payload_offset;
	struct tool_err err;

	if (bz->compression == ZP_COMP_UNKNOWN) {
		tool_error("%s: payload compression not recognised "
			"(first bytes %02x %02x %02x %02x)", path, payload[0],
			bz->payload_size > 1 ? payload[1] : 0, bz->payload_size > 2 ? payload[2] : 0,
			bz->payload_size > 3 ? payload[3] : 0);
		return -1;
	}
	if (bz->compression == ZP_COMP_NONE) {	/* CONFIG_KERNEL_UNCOMPRESSED */
		*len = bz->payload_size;
		for (size_t done = 0; done < *len;) {
			ssize_t w = write(fd, payload + done, *len - done);
			if (w <= 0) {
				tool_error("writing the output: %s",
					strerror(w < 0 ? errno : EIO));
				return -1;
			}
			done += (size_t)w;
		}
		return 0;
	}
	if (decompress_payload_to_fd(bz->compression, payload, bz->payload_size, 0, fd, len,
				     &err) < 0) {
		tool_error("%s: payload at file offset 0x%zx: %s", path,
			bz->payload_offset, err.msg);
		return -1;
	}
	return 0;
}

/* Probe IMAGE and insist on a bzImage that has a payload to extract. */
static int probe_bzimage(const char *path, const uint8_t *img, size_t len,
			 struct zp_image *probed)
{
	int r = zp_probe(img, len, probed);

	if (r < 0 && zp_identify(img, len) == ZP_FORMAT_UKI) {
		struct uki_view v;
		struct tool_err err;

		uki_view_open(img, len, &v, &err);	/* fails again, saying why */
		tool_error("%s: %s", path, err.msg);	/* names sections */
		return -1;
	}
	if (r < 0) {
		tool_error("%s: not a kernel image we know (%s)", path,
			r == ZP_EUNKNOWN ? "not a bzImage, an ELF file or a UKI" : zp_strerror(r));
		return -1;
	}
	/* A UKI: u.bz is the bzImage in its .linux, and that is extracted. */
	if (probed->format == ZP_FORMAT_ELF) {
		tool_error("%s: an ELF kernel, not a bzImage: "
			"there is no payload to extract", path);
		return -1;
	}
	if (!probed->u.bz.has_payload && probed->u.bz.protocol >= 0x208) {
		tool_error("%s: payload_length is 0: the image has no "
			"payload to extract", path);
		return -1;
	}
	if (!probed->u.bz.has_payload) {
		tool_error("%s: boot protocol %u.%02u has no payload fields "
			"(2.08 or later needed)", path, probed->u.bz.protocol >> 8,
			probed->u.bz.protocol & 0xff);
		return -1;
	}
	return 0;
}

/* Streamed into a temporary file beside OUT, renamed over it only when the
 * whole payload decoded and matched its size trailer: OUT is never half
 * written, and the vmlinux never has to fit in memory. */
static int extract(const struct extract_args *a, const char *file, const char *name)
{
	static struct zp_image probed;	/* large; one per process is enough */
	struct fileio_atomic out = { .fd = -1, .stream_fd = -1 };
	const struct fileio_named_path input = { "IMAGE", a->image };
	struct fileio_mapped mapped = { 0 };
	uint8_t magic[4] = { 0 };
	size_t vlen = 0;
	struct tool_err err;
	int rc = CLI_EXIT_ERROR;

	if (fileio_check_output_not_input("-o", a->output, &input, 1, &err) < 0) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	if (fileio_map(file, &mapped, &err) < 0) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	if (probe_bzimage(name, mapped.data, mapped.len, &probed) < 0)
		goto done;
	if (fileio_atomic_begin(a->output, 0666, &out, &err) < 0) {
		tool_error("%s", err.msg);
		goto done;
	}
	/* Atomic, not durable: readers see the old file or the whole new one,
	 * but like the compressors' own tools we leave writeback to the kernel
	 * (a vmlinux can be extracted again; an fsync of 50 MB doubles the
	 * time). */
	out.durable = false;
	if (payload_to_fd(name, &probed.u.bz, out.fd, &vlen) < 0) {
		fileio_atomic_abort(&out);
		goto done;
	}
	if (vlen < 4 || pread(out.fd, magic, 4, 0) != 4 || memcmp(magic, "\x7f" "ELF", 4))
		tool_error("warning: %s: the payload is not an ELF file", name);
	if (fileio_atomic_commit(&out, a->output, &err) < 0) {
		tool_error("%s", err.msg);
		goto done;
	}
	if (!a->quiet)	/* on stderr when the vmlinux went to stdout */
		fprintf(fileio_output_fd(a->output) == 1 ? stderr : stdout,
		       "%s: %zu bytes (%s payload of %zu bytes%s)\n", a->output, vlen,
		       zp_compression_name(probed.u.bz.compression), probed.u.bz.payload_size,
		       probed.format == ZP_FORMAT_UKI ? ", from the UKI's .linux" : "");
	rc = CLI_EXIT_OK;
done:
	fileio_unmap(&mapped);
	return rc;
}

int cmd_extract(int argc, char **argv)
{
	struct extract_args a = { 0 };
	int rc = parse_args(argc, argv, &a);

	if (rc >= 0)
		return rc;
	/* a package: the kernel in it, named "PKG:MEMBER" in messages */
	struct kernel_arg k;
	struct tool_err err;
	if (kernel_arg_open(&k, a.image, a.kernel_version, &err)) {
		tool_error("%s", err.msg);
		return CLI_EXIT_ERROR;
	}
	kernel_arg_say(&k, a.quiet);
	rc = extract(&a, k.path, k.shown);
	kernel_arg_close(&k);
	return rc;
}
