# libzeropage: the freestanding core, built for the host.
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)

all: $(BUILD)/libzeropage.a

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) $(DEPFLAGS) -c $< -o $@

DEP_FILES += $(LIB_OBJS:.o=.d)

# The archive exports the public API and nothing else: the objects are
# linked into one (-r), and every global symbol not named in the public
# headers becomes local to it, so the helpers lib/*.c share among themselves
# (zp_diag_fail, the shim's planning steps, ...) cannot be called, or
# clash with a program's own names.  The list is read from the headers
# through the preprocessor, so a name that only a comment mentions is not
# kept; tests/install.sh checks the installed archive against the headers.
LIB_PUBLIC_SYMS := $(BUILD)/lib/public-symbols.txt

$(LIB_PUBLIC_SYMS): $(wildcard include/zeropage/*.h)
	@mkdir -p $(@D)
	printf '#include <zeropage/%s>\n' $(notdir $^) | \
		$(CC) -E -P -Iinclude -x c - | grep -oE '\bzp_[A-Za-z0-9_]+' | sort -u > $@.tmp
	mv $@.tmp $@

$(BUILD)/libzeropage.a: $(LIB_OBJS) $(LIB_PUBLIC_SYMS)
	$(CC) -nostdlib -r -o $(BUILD)/libzeropage.o $(LIB_OBJS)
	$(OBJCOPY) --keep-global-symbols=$(LIB_PUBLIC_SYMS) $(BUILD)/libzeropage.o
	rm -f $@
	$(AR) rcs $@ $(BUILD)/libzeropage.o

# Proof that the core is freestanding: link it with -nostdlib and list what
# it still needs from outside.  Only the compiler's own memcpy/memset family
# may remain (gcc emits calls to them for struct copies even when freestanding).
.PHONY: check-freestanding
check-freestanding: $(LIB_OBJS)
	$(CC) -nostdlib -r -o $(BUILD)/lib-freestanding.o $(LIB_OBJS)
	@undef=$$(nm -u $(BUILD)/lib-freestanding.o | awk '{print $$2}' | \
		grep -Ev '^(memcpy|memset|memmove|memcmp)$$' || true); \
	if [ -n "$$undef" ]; then echo "core needs hosted symbols: $$undef"; exit 1; fi; \
	echo "libzeropage is freestanding"
