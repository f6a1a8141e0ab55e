# The probe initramfs's /init (probe/init.c): a static program with no libc,
# embedded into the zeropage command through tools/image/probe_blob.S.
# Built twice from the one source with the same $(CC) as everything else:
# x86-64 for 64-bit kernels and i386 (-m32) for 32-bit ones, which cannot
# run an x86-64 program; image/probe_initramfs.c picks one per kernel.  It
# only runs inside the guest, so it is never position independent.

PROBE_CFLAGS := -std=gnu11 $(WARN) -Os -static -nostdlib -ffreestanding -fno-pic \
	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-builtin -s -Wl,--gc-sections -ffunction-sections -Wl,--build-id=none -Wl,-z,noexecstack

$(BUILD)/probe-init: probe/init.c probe/probe.mk
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -m64 -mno-red-zone $(DEPFLAGS) -MF $@.d -o $@ probe/init.c

$(BUILD)/probe-init-i386: probe/init.c probe/probe.mk
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -m32 $(DEPFLAGS) -MF $@.d -o $@ probe/init.c

DEP_FILES += $(BUILD)/probe-init.d $(BUILD)/probe-init-i386.d

$(BUILD)/tools/image/probe_blob.o: tools/image/probe_blob.S $(BUILD)/probe-init $(BUILD)/probe-init-i386
	@mkdir -p $(@D)
	$(CC) -c -DPROBE_INIT_PATH='"$(BUILD)/probe-init"' \
		-DPROBE_INIT_I386_PATH='"$(BUILD)/probe-init-i386"' -o $@ tools/image/probe_blob.S

# The link recipe expands TOOL_EXTRA_OBJS when it runs, but prerequisites
# are fixed when read, so name the blob as a prerequisite as well: this
# works whether this fragment is included before or after tools/tools.mk.
TOOL_EXTRA_OBJS += $(BUILD)/tools/image/probe_blob.o
$(BUILD)/zeropage: $(BUILD)/tools/image/probe_blob.o

all: $(BUILD)/probe-init $(BUILD)/probe-init-i386
