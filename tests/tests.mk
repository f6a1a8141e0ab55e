# Tests: one cmocka program per feature (tests/test_*.c), driven by
# tests/run.sh, which also runs the integration scripts (tests/*.sh).
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out $(TEST_SRCS),$(wildcard tests/*.c))
# Objects under obj/, apart from the programs, so the link pattern below
# (test_%) cannot match an object.
TEST_HELPER_OBJS := $(TEST_HELPERS:tests/%.c=$(BUILD)/tests/obj/%.o)

$(BUILD)/tests/obj/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -Itools -Itests -I$(BUILD)/tests -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/obj/test_%.o $(TEST_HELPER_OBJS) $(BUILD)/libzptools.a $(BUILD)/libzeropage.a
	$(CC) $(HOST_CFLAGS) -o $@ $< $(TEST_HELPER_OBJS) $(TEST_EXTRA_OBJS) \
		$(BUILD)/libzptools.a $(BUILD)/libzeropage.a $(HOST_LIBS) -lcmocka

# The probe's embedded builds (probe/probe.mk), for the test that reads them.
$(BUILD)/tests/test_probe_initramfs: TEST_EXTRA_OBJS = $(BUILD)/tools/image/probe_blob.o
$(BUILD)/tests/test_probe_initramfs: $(BUILD)/tools/image/probe_blob.o
# test_boot_entry calls bootpath_find_entry, whose bootpath.c links the probe.
$(BUILD)/tests/test_boot_entry: TEST_EXTRA_OBJS = $(BUILD)/tools/image/probe_blob.o
$(BUILD)/tests/test_boot_entry: $(BUILD)/tools/image/probe_blob.o
# ... and for the one that links the machine layer (bootpath.c builds it).
$(BUILD)/tests/test_xen_domu: TEST_EXTRA_OBJS = $(BUILD)/tools/image/probe_blob.o
$(BUILD)/tests/test_xen_domu: $(BUILD)/tools/image/probe_blob.o
$(BUILD)/tests/test_dom0_package: TEST_EXTRA_OBJS = $(BUILD)/tools/image/probe_blob.o
$(BUILD)/tests/test_dom0_package: $(BUILD)/tools/image/probe_blob.o

TEST_OBJS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/obj/%.o) $(TEST_HELPER_OBJS)
DEP_FILES += $(TEST_OBJS:.o=.d)
# Kept: make would delete them as pattern-rule intermediates, and relink.
.SECONDARY: $(TEST_OBJS)

# The shim's addresses as linked, read from the ELF the build made
# (scripts/shim-syms.sh), for the test that drives zp_shim_plan with them.
NM ?= nm
$(BUILD)/tests/shim_syms.h: $(BUILD)/zeropage-shim.elf scripts/shim-syms.sh
	@mkdir -p $(@D)
	NM=$(NM) sh scripts/shim-syms.sh $< > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/obj/test_shim_plan.o: $(BUILD)/tests/shim_syms.h

# Guest-side fixtures: a foreign PVH firmware and tiny boot-protocol kernels.
include tests/fw/fw.mk
include tests/kernels/kernels.mk

.PHONY: tests
tests: all $(TEST_BINS) $(TEST_FIRMWARE) $(TEST_KERNELS)

check: tests check-freestanding check-layers
	BUILD=$(BUILD) sh tests/run.sh

# The xen-domu machine's boots (tests/xen-domu.sh, "# suite: xen"): a
# toolstack dom0 under TCG takes minutes per row, so not in `make check`.
.PHONY: check-xen
check-xen: all
	BUILD=$(BUILD) ZEROPAGE_TESTS=xen sh tests/run.sh

# tools/ includes go one way, lib/ includes nothing hosted (the script says how).
.PHONY: check-layers
check-layers:
	sh scripts/check-layers.sh

# check-san: the host side (libzeropage as the tools link it, the tools, the
# cmocka tests) rebuilt with clang's AddressSanitizer and UBSan into its own
# directory, then the unit tests and the integration scripts that boot no
# guest (ZEROPAGE_TESTS=fast, see tests/run.sh).  A report stops the program
# (-fno-sanitize-recover=all) with exit status 99, which no test expects,
# and is written under $(SAN_BUILD)/san-reports/: a script that tolerates a
# failing command (|| true) cannot hide one, the run fails on any report.
# The shim, the probe and the test firmware are guest code built with fixed
# flags of their own, not sanitized.
SAN_BUILD ?= build-san
SAN_CC ?= clang
SAN_CFLAGS ?= -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
SAN_REPORTS = $(abspath $(SAN_BUILD))/san-reports
SAN_COMMON = exitcode=99:log_path=$(SAN_REPORTS)/report
.PHONY: check-san
check-san:
	$(MAKE) BUILD=$(SAN_BUILD) CC=$(SAN_CC) SHIM_CC=$(CC) CFLAGS="$(SAN_CFLAGS)" tests
	rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS)
	ZEROPAGE_TESTS=fast BUILD=$(SAN_BUILD) \
	ASAN_OPTIONS=$(SAN_COMMON):detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=$(SAN_COMMON):print_stacktrace=1:halt_on_error=1 sh tests/run.sh; \
	rc=$$?; for f in $(SAN_REPORTS)/*; do [ -f "$$f" ] || continue; \
		echo "== sanitizer report $$f"; cat "$$f"; rc=1; done; exit $$rc
