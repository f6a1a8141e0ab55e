# Tests: one cmocka program per feature (tests/test_*.c), driven by
# tests/run.sh, which also runs the integration scripts (tests/*.sh).
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out $(TEST_SRCS),$(wildcard tests/*.c))

$(BUILD)/tests/%: tests/%.c $(TEST_HELPERS) $(wildcard tests/*.h) $(TOOL_HDRS) $(BUILD)/libzptools.a $(BUILD)/libzeropage.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itools -Itests -o $@ $< $(TEST_HELPERS) \
		$(BUILD)/libzptools.a $(BUILD)/libzeropage.a $(HOST_LIBS) -lcmocka

# Guest-side fixtures: a foreign PVH firmware and tiny boot-protocol kernels.
include tests/fw/fw.mk
include tests/kernels/kernels.mk

.PHONY: tests
tests: all $(TEST_BINS) $(TEST_FIRMWARE) $(TEST_KERNELS)

check: tests check-freestanding
	BUILD=$(BUILD) sh tests/run.sh
