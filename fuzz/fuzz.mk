# libFuzzer targets (issue 3): one per parser, under ASan and UBSan.
#
#   make fuzz          every target for FUZZ_SECONDS (default 300) each
#   make fuzz-smoke    every target for FUZZ_SMOKE_SECONDS (default 30), for CI
#   make fuzz-build    just the binaries: $(BUILD)/fuzz/fuzz_<target>
#
# The library and tool sources are rebuilt here with the sanitizers and
# coverage instrumentation (libFuzzer needs clang), rather than linking the
# plain build/ archives, whose code the fuzzer could neither see nor check.
# fuzz/run.sh runs one target; a crash leaves its input under
# $(BUILD)/fuzz/crashes/<target>/ and the command to replay it is printed.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_CFLAGS ?= -O1 -g -fno-omit-frame-pointer
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_TARGETS := bzimage elf start_info decompress console shim_plan bundle pe html kernel_package \
	report
# Only the host helper the decompress target exercises (however many files
# it is split into); the other tools/*/*.c are commands that need main.c.
# The tools' diagnostic (common/tool_err.c), which every tool source below uses.
FUZZ_COMMON_SRCS := tools/common/tool_err.c tools/common/safe_text.c tools/common/utf8.c
FUZZ_TOOL_SRCS ?= $(wildcard tools/image/decompress*.c) $(FUZZ_COMMON_SRCS)

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_DIR)/%.o)
FUZZ_TOOL_OBJS := $(FUZZ_TOOL_SRCS:%.c=$(FUZZ_DIR)/%.o)

$(FUZZ_DIR)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) -ffreestanding $(FUZZ_CFLAGS) $(FUZZ_SAN) \
		-fsanitize=fuzzer-no-link $(DEPFLAGS) -c $< -o $@

# The tools' sources, the synthetic kernels (tests/synth.c) and the
# targets themselves (fuzz/fuzz_*.c), hosted.
FUZZ_HOSTED_FLAGS = $(BASE_CFLAGS) -D_GNU_SOURCE -iquote . -Itools -Itests -Ifuzz $(FUZZ_CFLAGS) \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link $(DEPFLAGS)
$(FUZZ_DIR)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_HOSTED_FLAGS) -c $< -o $@
$(FUZZ_DIR)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_HOSTED_FLAGS) -c $< -o $@
$(FUZZ_DIR)/fuzz/%.o: fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_HOSTED_FLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_decompress: $(FUZZ_TOOL_OBJS)
$(FUZZ_DIR)/fuzz_decompress: FUZZ_LINK = $(FUZZ_TOOL_OBJS) $(HOST_LIBS)

# The console target: the probe report's reader, the Xen console split,
# a loader's stop (loader_console.c), the kernel entry (boot_entry.c) and
# the shim's start_info line `report --across` reads (zeropage_across.c).
FUZZ_CONSOLE_SRCS := tools/report/guest_report.c tools/report/zero_page.c tools/common/json.c \
	tools/report/boot_entry.c tools/report/zeropage_across.c tools/common/verdict.c \
	tools/machine/xen_machine.c tools/machine/xen_domu_console.c \
	tools/machine/loader_console.c tools/common/fileio.c \
	tools/image/cache.c tools/machine/process.c tools/machine/rundir.c \
	tools/common/tool_err.c tools/common/safe_text.c tools/common/utf8.c
FUZZ_CONSOLE_OBJS := $(FUZZ_CONSOLE_SRCS:%.c=$(FUZZ_DIR)/%.o)
$(FUZZ_DIR)/fuzz_console: $(FUZZ_CONSOLE_OBJS)
$(FUZZ_DIR)/fuzz_console: FUZZ_LINK = $(FUZZ_CONSOLE_OBJS) $(HOST_LIBS)

# The bundle target: `zeropage info`'s reader (bundle.c) and report
# (cli/info_bundle.c, its "loaders" member's writer info_loaders_json.c,
# json.c, utf8.c).  bundle.c also holds the writer, hence
# shim_reloc.c, and embedded_shim_elf(), whose shim_elf_start/end come from
# shim/embed.S with the built shim: fuzz_bundle.c defines the two symbols
# itself (an empty shim) instead.  It and fuzz_shim_plan make their
# synthetic kernels with tests/synth.c, compiled into the link.
FUZZ_BUNDLE_SRCS := tools/image/bundle.c tools/image/bundle_read.c tools/cli/info_bundle.c \
	tools/image/linux_id.c \
	tools/cli/info_loaders_json.c tools/image/shim_reloc.c \
	tools/common/json.c $(FUZZ_COMMON_SRCS)
FUZZ_BUNDLE_OBJS := $(FUZZ_BUNDLE_SRCS:%.c=$(FUZZ_DIR)/%.o)
FUZZ_SYNTH_OBJ := $(FUZZ_DIR)/tests/synth.o
$(FUZZ_DIR)/fuzz_bundle: $(FUZZ_BUNDLE_OBJS) $(FUZZ_SYNTH_OBJ)
$(FUZZ_DIR)/fuzz_bundle: FUZZ_LINK = $(FUZZ_BUNDLE_OBJS) $(FUZZ_SYNTH_OBJ)
# The elf target also reads DT_NEEDED (tools/image/elf_needed.c) and says
# whether the ELF is Linux (tools/image/linux_id.c).
FUZZ_ELF_OBJS := $(FUZZ_DIR)/tools/image/elf_needed.o $(FUZZ_DIR)/tools/image/linux_id.o \
	$(FUZZ_COMMON_SRCS:%.c=$(FUZZ_DIR)/%.o)
$(FUZZ_DIR)/fuzz_elf: $(FUZZ_ELF_OBJS)
$(FUZZ_DIR)/fuzz_elf: FUZZ_LINK = $(FUZZ_ELF_OBJS)
$(FUZZ_DIR)/fuzz_shim_plan: $(FUZZ_SYNTH_OBJ)
$(FUZZ_DIR)/fuzz_shim_plan: FUZZ_LINK = $(FUZZ_SYNTH_OBJ)

# The html target: the page writer and its escaper, with what the rows
# need (matrix_rows.c and its JUnit writer, the zero-page diff summary).
FUZZ_HTML_SRCS := tools/report/matrix_html.c tools/report/matrix_rows.c tools/report/junit.c \
	tools/report/zero_page.c tools/common/verdict.c tools/common/fileio.c $(FUZZ_COMMON_SRCS)
FUZZ_HTML_OBJS := $(FUZZ_HTML_SRCS:%.c=$(FUZZ_DIR)/%.o)
$(FUZZ_DIR)/fuzz_html: $(FUZZ_HTML_OBJS)
$(FUZZ_DIR)/fuzz_html: FUZZ_LINK = $(FUZZ_HTML_OBJS) $(HOST_LIBS)

# The report target: `zeropage report`'s shard reader (matrix_load*.c),
# every writer report runs on what it accepts, and `report --across`.
FUZZ_REPORT_SRCS := $(wildcard tools/report/matrix_*.c) tools/report/junit.c \
	tools/report/across_load.c tools/report/zeropage_across.c \
	tools/report/kcidb.c tools/report/kernel_id.c tools/report/zero_page.c \
	tools/report/kaslr_seen.c tools/report/boot_entry.c tools/report/guest_report.c \
	tools/common/json.c \
	tools/common/verdict.c tools/common/fileio.c $(FUZZ_COMMON_SRCS)
FUZZ_REPORT_OBJS := $(FUZZ_REPORT_SRCS:%.c=$(FUZZ_DIR)/%.o)
$(FUZZ_DIR)/fuzz_report: $(FUZZ_REPORT_OBJS)
$(FUZZ_DIR)/fuzz_report: FUZZ_LINK = $(FUZZ_REPORT_OBJS) $(HOST_LIBS)

# The kernel package target: the reader (image/kernel_package.c) and
# libarchive (in HOST_LIBS), which is not instrumented: the fuzzer steers
# by our code's coverage, ASan still checks what we do with its answers.
FUZZ_PACKAGE_SRCS := tools/image/kernel_package.c tools/image/cpio_guard.c $(FUZZ_COMMON_SRCS)
FUZZ_PACKAGE_OBJS := $(FUZZ_PACKAGE_SRCS:%.c=$(FUZZ_DIR)/%.o)
$(FUZZ_DIR)/fuzz_kernel_package: $(FUZZ_PACKAGE_OBJS)
$(FUZZ_DIR)/fuzz_kernel_package: FUZZ_LINK = $(FUZZ_PACKAGE_OBJS) $(HOST_LIBS)

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_LIB_OBJS) $(FUZZ_LINK)

FUZZ_TARGET_OBJS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz/fuzz_%.o)
FUZZ_ALL_OBJS := $(sort $(FUZZ_LIB_OBJS) $(FUZZ_TOOL_OBJS) $(FUZZ_CONSOLE_OBJS) $(FUZZ_ELF_OBJS) \
	$(FUZZ_BUNDLE_OBJS) $(FUZZ_HTML_OBJS) $(FUZZ_PACKAGE_OBJS) $(FUZZ_SYNTH_OBJ) $(FUZZ_TARGET_OBJS))
DEP_FILES += $(FUZZ_ALL_OBJS:.o=.d)

# Kept between runs: make would delete them as pattern-rule intermediates.
.SECONDARY: $(FUZZ_ALL_OBJS)

.PHONY: fuzz-build fuzz-smoke
fuzz-build: $(FUZZ_BINS)

# Every target runs even when an earlier one fails, so one crash does not
# hide another; the exit status reports any failure.
define fuzz_run_all
	@fail=0; for t in $(FUZZ_TARGETS); do \
		sh fuzz/run.sh $(FUZZ_DIR)/fuzz_$$t fuzz/corpus/$$t $(1) || fail=1; \
	done; exit $$fail
endef

fuzz: fuzz-build
	$(call fuzz_run_all,$(FUZZ_SECONDS))

fuzz-smoke: fuzz-build
	$(call fuzz_run_all,$(FUZZ_SMOKE_SECONDS))
