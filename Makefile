# zeropage - top-level build.
#
#   make              build/zeropage, build/libzeropage.a, build/zeropage-shim.elf
#   make check        unit and integration tests (tests/run.sh)
#   make fuzz         run every fuzz target for FUZZ_SECONDS (default 300)
#   make install      PREFIX=/usr/local DESTDIR= (BASHCOMPDIR: the bash completion's)
#
# BUILD=dir puts every output under dir (default: build).  CC=clang works.
# WERROR=0 keeps warnings warnings, for packagers whose newer compiler warns
# about code that was clean when it was released.
# Each directory adds its own rules in a small fragment (lib/lib.mk, ...),
# included below, so that the file list of one concern lives beside it.

BUILD   ?= build
CC      ?= cc
AR      ?= ar
OBJCOPY ?= objcopy
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
# Where bash-completion loads completions from, under our DATADIR: its
# pkg-config file's completionsdir (${datadir}/bash-completion/completions
# on Debian) with datadir ours, else that path outright.
BASHCOMPDIR ?= $(or $(shell pkg-config --define-variable=datadir=$(DATADIR) \
	--variable=completionsdir bash-completion 2>/dev/null),$(DATADIR)/bash-completion/completions)
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
VERSION := 0.1.0

WERROR   ?= 1
WARN     := -Wall -Wextra $(if $(filter 0,$(WERROR)),,-Werror) -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes
# Each compile writes the headers it read into a .d file beside its output
# (-MMD), so that touching a header rebuilds just what includes it; -MP adds
# an empty rule per header, so that a deleted header is not an error.  The
# fragments name their .d files in DEP_FILES, included at the end.
DEPFLAGS := -MMD -MP
DEP_FILES :=
CFLAGS   ?= -O2 -g
BASE_CFLAGS := -std=gnu11 $(WARN) -Iinclude

# The freestanding core: no hosted headers, no libc calls.
LIB_CFLAGS := $(BASE_CFLAGS) -ffreestanding -fno-stack-protector $(CFLAGS)
# Host code (tools, tests): hosted, may use libc and the compressor libraries.
# -iquote . lets host code include "probe/report_line.h", the report line's
# format, which the probe (a guest program) and the host's reader share.
HOST_CFLAGS := $(BASE_CFLAGS) -D_GNU_SOURCE -iquote . $(CFLAGS)
# libarchive reads kernel packages (.deb, .rpm: tools/image/kernel_package.c);
# pkg-config names its flags, -larchive where pkg-config does not know it.
PKG_CONFIG ?= pkg-config
ARCHIVE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libarchive 2>/dev/null)
ARCHIVE_LIBS := $(or $(shell $(PKG_CONFIG) --libs libarchive 2>/dev/null),-larchive)
HOST_CFLAGS += $(ARCHIVE_CFLAGS)
HOST_LIBS := -lz -lbz2 -llzma -llzo2 -llz4 -lzstd -ljson-c -lnettle $(ARCHIVE_LIBS)

.PHONY: all check fuzz install clean
all:

# Every fragment is required: a missing one is an error, not a smaller build.
include lib/lib.mk
include probe/probe.mk
include tools/tools.mk
include shim/shim.mk
include efi/efi.mk
include tests/tests.mk
include fuzz/fuzz.mk
include bench/bench.mk

# Absent until the first build compiles the file: optional by nature.
-include $(DEP_FILES)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/zeropage \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BUILD)/zeropage $(DESTDIR)$(BINDIR)/zeropage
	install -m 644 $(BUILD)/libzeropage.a $(DESTDIR)$(LIBDIR)/libzeropage.a
	install -m 644 include/zeropage/*.h $(DESTDIR)$(INCDIR)/zeropage/
	install -m 644 doc/zeropage.1 $(DESTDIR)$(MANDIR)/man1/zeropage.1
	install -m 644 completions/zeropage $(DESTDIR)$(BASHCOMPDIR)/zeropage
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    zeropage.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/zeropage.pc

clean:
	rm -rf $(BUILD)
