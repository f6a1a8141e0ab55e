# The PVH shim: shim/*.S + shim/*.c + the core (lib/*.c) compiled
# freestanding for the guest, linked by shim/shim.ld to a fixed physical
# address, left at $(BUILD)/zeropage-shim.elf and embedded into the zeropage
# command (through build/libzptools.a, so the tests that call the bundle
# writer get it too).
#
# The guest code is always x86-64, whatever the host build does with CFLAGS
# (sanitizers and the like would drag in a runtime the guest does not have),
# so the flags here are fixed: no PIC (we run where we are linked), no red
# zone (no interrupts are set up), no stack protector or unwind tables (no
# runtime to support them), and no SSE in compiled code: the compiler must
# not use the XMM registers behind our backs.  The shim does run SSE, but
# only where it says so: entry.S sets CR4.OSFXSR before long mode, and the
# 64-byte copy loops in shim/libc.c (target("sse2")) move the kernel.

# The shim's compiler: the build's own, unless told (make check-san builds
# the host side with clang and sanitizers, but the guest code, which is not
# sanitized, with the default compiler, so that its bundles are the main
# build's byte for byte and the README's tour holds for both).
SHIM_CC ?= $(CC)
SHIM_CFLAGS := -std=gnu11 $(WARN) -Iinclude -Ishim -O2 -m64 -ffreestanding -fno-builtin \
	-fno-pic -fno-pie -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
	-mcmodel=small -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-common -fcf-protection=none
# --emit-relocs keeps the link's relocations in the ELF, so the bundle
# writer can move the shim out of the way of a kernel that must run at
# 1 MiB (tools/image/shim_reloc.c).
SHIM_LDFLAGS := -nostdlib -static -Wl,-T,shim/shim.ld -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -Wl,--emit-relocs

SHIM_SRCS := $(wildcard shim/*.c) shim/entry.S
# lib/loaders.c judges images for `zeropage info --loaders`,
# lib/ram_floor.c checks a command's --mem and lib/linux_id.c says whether
# an image is Linux: host-only text the guest never calls, left out of
# every bundle.
SHIM_LIB_SRCS := $(filter-out lib/loaders.c lib/ram_floor.c lib/linux_id.c,$(LIB_SRCS))
SHIM_OBJS := $(patsubst %,$(BUILD)/shim/%.o,$(SHIM_SRCS)) \
	$(patsubst lib/%.c,$(BUILD)/shim/lib/%.o,$(SHIM_LIB_SRCS))

all: $(BUILD)/zeropage-shim.elf

$(BUILD)/shim/shim/%.c.o: shim/%.c
	@mkdir -p $(@D)
	$(SHIM_CC) $(SHIM_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/shim/shim/%.S.o: shim/%.S
	@mkdir -p $(@D)
	$(SHIM_CC) -m64 -c $< -o $@

$(BUILD)/shim/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(SHIM_CC) $(SHIM_CFLAGS) $(DEPFLAGS) -c $< -o $@

DEP_FILES += $(patsubst %.o,%.d,$(filter-out %.S.o,$(SHIM_OBJS)))

# shim/shim.mk too: a change to which objects go in (SHIM_LIB_SRCS) must
# relink, though no object is newer than the ELF.
$(BUILD)/zeropage-shim.elf: $(SHIM_OBJS) shim/shim.ld shim/shim.mk
	$(SHIM_CC) $(SHIM_LDFLAGS) -o $@ $(SHIM_OBJS)

# The same shim linked by ld at 8 MiB (the base before the script that reads it): tests/test_shim_reloc.c checks that
# moving the 1 MiB shim by 7 MiB gives the linker's own bytes.
$(BUILD)/tests/zeropage-shim-8m.elf: $(SHIM_OBJS) shim/shim.ld shim/shim.mk
	@mkdir -p $(@D)
	$(SHIM_CC) -Wl,--defsym=zp_shim_base=0x800000 $(SHIM_LDFLAGS) -o $@ $(SHIM_OBJS)

tests: $(BUILD)/tests/zeropage-shim-8m.elf

$(BUILD)/shim/embed.o: shim/embed.S $(BUILD)/zeropage-shim.elf
	@mkdir -p $(@D)
	$(CC) -c -DSHIM_ELF_PATH='"$(BUILD)/zeropage-shim.elf"' -o $@ shim/embed.S

# Into the tools archive: $(AR) archives every prerequisite ($^).
$(BUILD)/libzptools.a: $(BUILD)/shim/embed.o
