# The probe initramfs's /init (probe/init.c): a static x86-64 program with
# no libc, embedded into the zeropage command through tools/image/probe_blob.S.
# Built with the same $(CC) as everything else; it only runs inside the
# guest, so it is always x86-64 and never position independent.

PROBE_CFLAGS := -std=gnu11 $(WARN) -Os -static -nostdlib -ffreestanding -fno-pic \
	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-builtin -mno-red-zone -s -Wl,--gc-sections -ffunction-sections -Wl,--build-id=none -Wl,-z,noexecstack

$(BUILD)/probe-init: probe/init.c probe/probe.mk
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) $(DEPFLAGS) -MF $@.d -o $@ probe/init.c

DEP_FILES += $(BUILD)/probe-init.d

$(BUILD)/tools/image/probe_blob.o: tools/image/probe_blob.S $(BUILD)/probe-init
	@mkdir -p $(@D)
	$(CC) -c -DPROBE_INIT_PATH='"$(BUILD)/probe-init"' -o $@ tools/image/probe_blob.S

# The link recipe expands TOOL_EXTRA_OBJS when it runs, but prerequisites
# are fixed when read, so name the blob as a prerequisite as well: this
# works whether this fragment is included before or after tools/tools.mk.
TOOL_EXTRA_OBJS += $(BUILD)/tools/image/probe_blob.o
$(BUILD)/zeropage: $(BUILD)/tools/image/probe_blob.o

all: $(BUILD)/probe-init
