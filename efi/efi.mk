# zeropage's own EFI loader (efi/handover.c), the application the
# efi-handover paths boot: built with Debian's gnu-efi for x86_64 and for
# ia32, turned into PE/COFF by objcopy, and embedded in the zeropage
# command (through build/libzptools.a, as the shim is), so that a path
# needs no file at run time.  The core (lib/*.c) it uses is compiled again
# with the application's flags into an archive of its own, from which the
# link takes only what the loader calls.
#
# gnu-efi's files: the start-up object, the linker script and the two
# libraries, per width (GNUEFI_LIB64, GNUEFI_LIB32, GNUEFI_INC to look
# elsewhere).  Without them the loader is not built and the paths say
# "skipped: built without gnu-efi", as a missing firmware is.

GNUEFI_INC   ?= /usr/include/efi
GNUEFI_LIB64 ?= /usr/lib
GNUEFI_LIB32 ?= /usr/lib32
LD ?= ld

# gnu-efi's own flags for an application: position-independent (the
# firmware relocates us through .reloc), 2-byte wchar_t (UEFI's CHAR16), no
# red zone (firmware interrupts use our stack), no SSE (the firmware does
# not save it for us); EFI_FUNCTION_WRAPPER: firmware calls go through
# uefi_call_wrapper, which converts to the Microsoft convention on x86_64.
EFI_CFLAGS_COMMON := -std=gnu11 $(WARN) -Iinclude -I$(GNUEFI_INC) -O2 -ffreestanding \
	-fno-builtin -fpic -fshort-wchar -mno-red-zone -mno-mmx -mno-sse -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-common -fcf-protection=none \
	-Wno-strict-prototypes -Wno-missing-prototypes
EFI_CFLAGS_x64  := $(EFI_CFLAGS_COMMON) -m64 -I$(GNUEFI_INC)/x86_64 -DEFI_FUNCTION_WRAPPER
EFI_CFLAGS_ia32 := $(EFI_CFLAGS_COMMON) -m32 -I$(GNUEFI_INC)/ia32
EFI_LDEMU_x64  := elf_x86_64
EFI_LDEMU_ia32 := elf_i386
EFI_LIBDIR_x64  := $(GNUEFI_LIB64)
EFI_LIBDIR_ia32 := $(GNUEFI_LIB32)
EFI_CRT0_x64  := $(GNUEFI_LIB64)/crt0-efi-x86_64.o
EFI_CRT0_ia32 := $(GNUEFI_LIB32)/crt0-efi-ia32.o
EFI_LDS_x64  := $(GNUEFI_LIB64)/elf_x86_64_efi.lds
EFI_LDS_ia32 := $(GNUEFI_LIB32)/elf_ia32_efi.lds
EFI_PE_x64  := efi-app-x86_64
EFI_PE_ia32 := efi-app-ia32

EFI_HAVE_GNUEFI := $(and $(wildcard $(EFI_CRT0_x64)),$(wildcard $(EFI_CRT0_ia32)),\
	$(wildcard $(GNUEFI_INC)/efi.h))

ifneq ($(EFI_HAVE_GNUEFI),)
EFI_WIDTHS := x64 ia32
EFI_SRCS := $(wildcard efi/*.c)
EFI_APPS := $(EFI_WIDTHS:%=$(BUILD)/efi/zeropage-handover-%.efi)
all: $(EFI_APPS)

# One set of rules per width: $(1) is x64 or ia32.
define efi_width
$(BUILD)/efi/$(1)/%.o: efi/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(EFI_CFLAGS_$(1)) $$(DEPFLAGS) -c $$< -o $$@

$(BUILD)/efi/$(1)/lib/%.o: lib/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(EFI_CFLAGS_$(1)) $$(DEPFLAGS) -c $$< -o $$@

$(BUILD)/efi/$(1)/libzp.a: $(LIB_SRCS:lib/%.c=$(BUILD)/efi/$(1)/lib/%.o)
	rm -f $$@
	$$(AR) rcs $$@ $$^

$(BUILD)/efi/$(1)/handover.so: $(EFI_SRCS:efi/%.c=$(BUILD)/efi/$(1)/%.o) $(BUILD)/efi/$(1)/libzp.a
	$$(LD) -m $$(EFI_LDEMU_$(1)) -nostdlib -znocombreloc -T $$(EFI_LDS_$(1)) -shared \
		-Bsymbolic --no-undefined -L$$(EFI_LIBDIR_$(1)) $$(EFI_CRT0_$(1)) \
		$(EFI_SRCS:efi/%.c=$(BUILD)/efi/$(1)/%.o) $(BUILD)/efi/$(1)/libzp.a \
		-lefi -lgnuefi -o $$@

$(BUILD)/efi/zeropage-handover-$(1).efi: $(BUILD)/efi/$(1)/handover.so
	$$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j .rel.* -j .rela.* -j .reloc --target=$$(EFI_PE_$(1)) $$< $$@

DEP_FILES += $(EFI_SRCS:efi/%.c=$(BUILD)/efi/$(1)/%.d) $(LIB_SRCS:lib/%.c=$(BUILD)/efi/$(1)/lib/%.d)
endef
$(foreach w,$(EFI_WIDTHS),$(eval $(call efi_width,$(w))))

$(BUILD)/efi/embed.o: efi/embed.S $(EFI_APPS)
	@mkdir -p $(@D)
	$(CC) -c -DEFI_APP_X64='"$(BUILD)/efi/zeropage-handover-x64.efi"' \
		-DEFI_APP_IA32='"$(BUILD)/efi/zeropage-handover-ia32.efi"' -o $@ efi/embed.S
else
$(BUILD)/efi/embed.o: efi/embed.S
	@mkdir -p $(@D)
	$(CC) -c -o $@ efi/embed.S
endif

# Into the tools archive: $(AR) archives every prerequisite ($^).
$(BUILD)/libzptools.a: $(BUILD)/efi/embed.o
