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

# check-san: the host side (libzeropage as the tools link it, the tools, the
# cmocka tests) rebuilt with clang's AddressSanitizer and UBSan into its own
# directory, then the unit tests and the integration scripts that boot no
# guest (ZEROPAGE_TESTS=fast, see tests/run.sh).  Any report stops the
# program (-fno-sanitize-recover=all), so UB fails the test that reached it.
# The shim, the probe and the test firmware are guest code built with fixed
# flags of their own, not sanitized.
SAN_BUILD ?= build-san
SAN_CC ?= clang
SAN_CFLAGS ?= -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
.PHONY: check-san
check-san:
	$(MAKE) BUILD=$(SAN_BUILD) CC=$(SAN_CC) CFLAGS="$(SAN_CFLAGS)" tests
	ZEROPAGE_TESTS=fast BUILD=$(SAN_BUILD) \
	ASAN_OPTIONS=abort_on_error=0:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run.sh
