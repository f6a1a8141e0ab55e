# The zeropage command.  Every tools/*.c except main.c also goes into
# build/libzptools.a, which the tests link to reach host-side helpers
# (decompression, file I/O).
TOOL_SRCS := $(filter-out tools/main.c,$(wildcard tools/*.c))
TOOL_OBJS := $(TOOL_SRCS:%.c=$(BUILD)/%.o)
TOOL_EXTRA_OBJS ?=

all: $(BUILD)/zeropage

$(BUILD)/tools/%.o: tools/%.c $(wildcard include/zeropage/*.h tools/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itools -c $< -o $@

$(BUILD)/libzptools.a: $(TOOL_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/zeropage: $(BUILD)/tools/main.o $(BUILD)/libzptools.a $(BUILD)/libzeropage.a $(TOOL_EXTRA_OBJS)
	$(CC) $(HOST_CFLAGS) -o $@ $(BUILD)/tools/main.o $(TOOL_EXTRA_OBJS) \
		$(BUILD)/libzptools.a $(BUILD)/libzeropage.a $(HOST_LIBS)
