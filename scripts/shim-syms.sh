#!/bin/sh
# shim-syms.sh SHIM_ELF: the shim as the build linked it, as C #defines for
# tests/test_shim_plan.c (make writes $(BUILD)/tests/shim_syms.h): its
# footprint (__shim_start, __shim_end) and its hand-over buffers, each
# address and size read from the ELF's symbol table, so the test drives
# zp_shim_plan with the addresses the real shim hands over, not copies.
# Fails unless each symbol is there exactly once.
set -e
${NM:-nm} -S "$1" | awk '
	$NF ~ /^(__shim_start|__shim_end|zero_page|cmdline|setup_data|preserve)$/ {
		name = $NF
		sub(/^__shim_/, "", name)
		name = "SHIM_" toupper(name)
		printf "#define %s 0x%sull\n", name, $1
		if (NF == 4)
			printf "#define %s_SIZE 0x%sull\n", name, $2
		n++
	}
	END {
		if (n != 6) {
			print "shim-syms.sh: the shim has not each of __shim_start, __shim_end, " \
			      "zero_page, cmdline, setup_data, preserve once" > "/dev/stderr"
			exit 1
		}
	}'
