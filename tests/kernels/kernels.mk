# Test kernels: tiny images in assembly that use the Linux x86 boot
# protocol or Xen's PVH entry, for the corners a real distro kernel does
# not reach.  Each is assembled by $(CC) and linked by ld with its own
# linker script; a bzImage is then turned into a flat file by objcopy
# ($(BUILD)/tests/kernels/NAME.bzImage), a PVH kernel stays the ELF
# ($(BUILD)/tests/kernels/NAME.elf).  Every one is added to TEST_KERNELS
# for the integration scripts.
#
#   mini1m   not relocatable, must load at 0x100000 (tests/load1m.sh)
#   pvhmini  a PVH ELF that is not Linux: one line on COM1, then it halts
#            (tests/nonlinux-elf.sh)
#
# Guest code, like the shim's: fixed flags, none of the host's CFLAGS.

LD      ?= ld
TEST_KERNEL_LDFLAGS := -nostdlib -static --build-id=none -z noexecstack

TEST_KERNELS += $(BUILD)/tests/kernels/mini1m.bzImage
TEST_KERNELS += $(BUILD)/tests/kernels/pvhmini.elf

# 64-bit objects and ELF64 unless a kernel says otherwise
TEST_KERNEL_ASFLAGS = -m64
TEST_KERNEL_EMULATION = -m elf_x86_64
# pvhmini is an ELF32 (EM_386), as a 32-bit-only PVH kernel is: no
# 64-bit entry is claimed for its e_entry
$(BUILD)/tests/kernels/pvhmini.o: TEST_KERNEL_ASFLAGS = -m32
$(BUILD)/tests/kernels/pvhmini.elf: TEST_KERNEL_EMULATION = -m elf_i386

$(BUILD)/tests/kernels/%.o: tests/kernels/%.S
	@mkdir -p $(@D)
	$(CC) $(TEST_KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/tests/kernels/%.elf: $(BUILD)/tests/kernels/%.o tests/kernels/%.ld
	$(LD) $(TEST_KERNEL_EMULATION) $(TEST_KERNEL_LDFLAGS) -T tests/kernels/$*.ld -o $@ $<

$(BUILD)/tests/kernels/%.bzImage: $(BUILD)/tests/kernels/%.elf
	$(OBJCOPY) -O binary $< $@

# keep the ELF (symbols, for a debugger) and the object: no intermediates
.PRECIOUS: $(BUILD)/tests/kernels/%.o $(BUILD)/tests/kernels/%.elf

.PHONY: test-kernels tests
test-kernels: $(TEST_KERNELS)
tests: $(TEST_KERNELS)
