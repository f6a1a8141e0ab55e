# Test kernels: tiny images in assembly that use the Linux x86 boot
# protocol, for the corners a real distro kernel does not reach.  Each is
# assembled by $(CC), linked by ld with its own linker script and turned into
# a flat bzImage file by objcopy; every one is added to TEST_KERNELS and left
# at $(BUILD)/tests/kernels/NAME.bzImage for the integration scripts.
#
#   mini1m   not relocatable, must load at 0x100000 (tests/load1m.sh)
#
# Guest code, like the shim's: fixed flags, none of the host's CFLAGS.

LD      ?= ld
TEST_KERNEL_LDFLAGS := -m elf_x86_64 -nostdlib -static --build-id=none -z noexecstack

TEST_KERNELS += $(BUILD)/tests/kernels/mini1m.bzImage

$(BUILD)/tests/kernels/%.o: tests/kernels/%.S
	@mkdir -p $(@D)
	$(CC) -m64 -c $< -o $@

$(BUILD)/tests/kernels/%.elf: $(BUILD)/tests/kernels/%.o tests/kernels/%.ld
	$(LD) $(TEST_KERNEL_LDFLAGS) -T tests/kernels/$*.ld -o $@ $<

$(BUILD)/tests/kernels/%.bzImage: $(BUILD)/tests/kernels/%.elf
	$(OBJCOPY) -O binary $< $@

# keep the ELF (symbols, for a debugger) and the object: no intermediates
.PRECIOUS: $(BUILD)/tests/kernels/%.o $(BUILD)/tests/kernels/%.elf

.PHONY: test-kernels tests
test-kernels: $(TEST_KERNELS)
tests: $(TEST_KERNELS)
