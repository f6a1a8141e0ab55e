# Benchmarks (issue 3).  `make bench` builds, fetches the Debian cloud kernel
# (scripts/fetch-kernel.sh caches it outside git) and runs them all:
#   bench/extract.sh   zeropage extract vs the compressor's own CLI tool
#   $(BUILD)/bench/probe   zp_probe + zp_build_boot_params vs memcpy
#   $(BUILD)/bench/relocs  the vmlinux shim's KASLR steps on the host: relocation
#                          table parse, check, apply, and the kernel move
# They print medians and ratios; none of them fails on a time.

BENCH_KERNEL ?=

$(BUILD)/bench/probe: bench/probe.c $(BUILD)/libzeropage.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -MF $@.d -o $@ $< $(BUILD)/libzeropage.a

# relocs decompresses the payload with the tools' decompress_payload.
$(BUILD)/bench/relocs: bench/relocs.c $(BUILD)/libzptools.a $(BUILD)/libzeropage.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -MF $@.d -Itools -o $@ $< $(BUILD)/libzptools.a \
		$(BUILD)/libzeropage.a $(HOST_LIBS)

DEP_FILES += $(BUILD)/bench/probe.d $(BUILD)/bench/relocs.d

.PHONY: bench bench-build
# The benchmarks' programs alone: CI builds them, so they cannot rot unseen.
bench-build: $(BUILD)/bench/probe $(BUILD)/bench/relocs
bench: $(BUILD)/zeropage bench-build
	@k="$(BENCH_KERNEL)"; [ -n "$$k" ] || k=$$(sh scripts/fetch-kernel.sh); \
	$(BUILD)/bench/probe "$$k" && \
	$(BUILD)/bench/relocs "$$k" && \
	BUILD=$(BUILD) bash bench/extract.sh "$$k"

# Boot benchmarks (issues 4 and 5): whole boots under QEMU, minutes not seconds.
#   bench/boot-paths   every matrix path, medians and ratios to qemu-bios
#   bench/pvh-boot.sh  QEMU's loaders against our bundles, interleaved
.PHONY: bench-boot
bench-boot: $(BUILD)/zeropage
	BUILD=$(BUILD) sh bench/boot-paths
	BUILD=$(BUILD) sh bench/pvh-boot.sh
