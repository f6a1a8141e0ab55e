# The zeropage command, one folder per concern, each a layer that includes
# only its own and lower layers' headers (make check-layers):
#   cli/      the command faces: main.c and one cmd_*.c per subcommand
#   machine/  running a guest: QEMU, the accelerator, the boot paths, Xen
#   image/    files the tools read and write: decompression, bundles, the
#             probe initramfs (cpio)          } peers: neither includes
#   report/   what the tools print: the probe's report, JUnit, KCIDB   } the other
#   common/   what all of them use: file I/O, JSON, safe_text, the verdict
# Every tools/*/*.c except cli/main.c also goes into build/libzptools.a,
# which the tests link to reach host-side helpers.  Includes name the
# folder ("machine/qemu.h"), relative to tools/.
TOOL_SRCS := $(filter-out tools/cli/main.c,$(wildcard tools/*/*.c))
TOOL_OBJS := $(TOOL_SRCS:%.c=$(BUILD)/%.o)
# The toolstack dom0's init script, embedded (tools/image/dom0_init_blob.S);
# in the archive, as dom0_initramfs.c, which uses it, is.
TOOL_OBJS += $(BUILD)/tools/image/dom0_init_blob.o
TOOL_EXTRA_OBJS ?=

all: $(BUILD)/zeropage

$(BUILD)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -Itools -c $< -o $@

$(BUILD)/tools/image/dom0_init_blob.o: tools/image/dom0_init_blob.S tools/image/dom0_init.sh
	@mkdir -p $(@D)
	$(CC) -c -Wa,-I. -o $@ $<

DEP_FILES += $(filter-out %_blob.d,$(TOOL_OBJS:.o=.d)) $(BUILD)/tools/cli/main.d

# `zeropage --version` prints the Makefile's VERSION.
$(BUILD)/tools/cli/main.o: HOST_CFLAGS += -DZEROPAGE_VERSION='"$(VERSION)"'

$(BUILD)/libzptools.a: $(TOOL_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/zeropage: $(BUILD)/tools/cli/main.o $(BUILD)/libzptools.a $(BUILD)/libzeropage.a $(TOOL_EXTRA_OBJS)
	$(CC) $(HOST_CFLAGS) -o $@ $(BUILD)/tools/cli/main.o $(TOOL_EXTRA_OBJS) \
		$(BUILD)/libzptools.a $(BUILD)/libzeropage.a $(HOST_LIBS)
