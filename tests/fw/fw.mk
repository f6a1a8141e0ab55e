# Test firmware: pvhfw (tests/fw/pvhfw.[Sc], linked by tests/fw/pvhfw.ld),
# a 64 KiB QEMU -bios image that starts a PVH image the way Firecracker does,
# for tests/foreign-boot.sh.  Left at $(BUILD)/tests/fw/pvhfw.bin and named
# in TEST_FIRMWARE.
#
# Guest code, 32-bit, run from ROM: the flags are fixed whatever the host
# build does with CFLAGS (sanitizers and the like would drag in a runtime the
# firmware does not have): no PIC (it runs where it is linked), no SSE (nobody
# enabled it), no stack protector or unwind tables, no builtins beyond what
# pvhfw.c defines (memcpy, memset).  No libgcc either: 64-bit division would
# fail to link, which is meant.

PVHFW_CFLAGS := -std=gnu11 $(WARN) -Iinclude -Os -m32 -march=i686 -ffreestanding \
	-fno-builtin -fno-pic -fno-pie -mno-mmx -mno-sse -mno-sse2 -mno-avx \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-common -fcf-protection=none
PVHFW_LDFLAGS := -m32 -nostdlib -static -Wl,-T,tests/fw/pvhfw.ld -Wl,--build-id=none \
	-Wl,-z,noexecstack
PVHFW_OBJS := $(BUILD)/tests/fw/pvhfw.S.o $(BUILD)/tests/fw/pvhfw.c.o

TEST_FIRMWARE += $(BUILD)/tests/fw/pvhfw.bin

$(BUILD)/tests/fw/pvhfw.c.o: tests/fw/pvhfw.c
	@mkdir -p $(@D)
	$(CC) $(PVHFW_CFLAGS) $(DEPFLAGS) -c $< -o $@

DEP_FILES += $(BUILD)/tests/fw/pvhfw.c.d

$(BUILD)/tests/fw/pvhfw.S.o: tests/fw/pvhfw.S
	@mkdir -p $(@D)
	$(CC) -m32 -c $< -o $@

$(BUILD)/tests/fw/pvhfw.elf: $(PVHFW_OBJS) tests/fw/pvhfw.ld
	$(CC) $(PVHFW_LDFLAGS) -o $@ $(PVHFW_OBJS)

# The ROM sections from 0xffff0000 to the reset vector's end at 4 GiB: 64 KiB.
$(BUILD)/tests/fw/pvhfw.bin: $(BUILD)/tests/fw/pvhfw.elf
	$(OBJCOPY) -O binary -j .text -j .rodata -j .reset --gap-fill 0xff $< $@.tmp
	@size=$$(wc -c < $@.tmp); [ "$$size" -eq 65536 ] || \
		{ echo "pvhfw.bin is $$size bytes, not 65536" >&2; rm -f $@.tmp; exit 1; }
	mv $@.tmp $@
