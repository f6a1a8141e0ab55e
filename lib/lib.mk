# libzeropage: the freestanding core, built for the host.
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)

all: $(BUILD)/libzeropage.a

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) $(DEPFLAGS) -c $< -o $@

DEP_FILES += $(LIB_OBJS:.o=.d)

$(BUILD)/libzeropage.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

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
