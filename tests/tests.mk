# Tests: one cmocka program per feature (tests/test_*.c), driven by
# tests/run.sh, which also runs the integration scripts (tests/*.sh).
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out $(TEST_SRCS),$(wildcard tests/*.c))

$(BUILD)/tests/%: tests/%.c $(TEST_HELPERS) $(wildcard tests/*.h) $(TOOL_HDRS) $(BUILD)/libzptools.a $(BUILD)/libzeropage.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itools -Itests -I$(BUILD)/tests -o $@ $< $(TEST_HELPERS) \
		$(BUILD)/libzptools.a $(BUILD)/libzeropage.a $(HOST_LIBS) -lcmocka

# The shim's addresses as linked, read from the ELF the build made
# (tests/shim_syms.sh), for the test that drives zp_shim_plan with them.
NM ?= nm
$(BUILD)/tests/shim_syms.h: $(BUILD)/zeropage-shim.elf tests/shim_syms.sh
	@mkdir -p $(@D)
	NM=$(NM) sh tests/shim_syms.sh $< > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/test_shim_plan: $(BUILD)/tests/shim_syms.h

# Guest-side fixtures: a foreign PVH firmware and tiny boot-protocol kernels.
include tests/fw/fw.mk
include tests/kernels/kernels.mk

.PHONY: tests
tests: all $(TEST_BINS) $(TEST_FIRMWARE) $(TEST_KERNELS)

check: tests check-freestanding
	BUILD=$(BUILD) sh tests/run.sh
