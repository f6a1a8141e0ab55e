/* SPDX-License-Identifier: MIT */
/* The toolstack dom0's /init (tools/image/dom0_init.sh), embedded in the
 * zeropage command as the probe is (probe_blob.S): no file at run time.
 * Assembled with the source tree on the include path (tools/tools.mk). */
	.section .rodata
	.globl dom0_init_start
	.globl dom0_init_end
dom0_init_start:
	.incbin "tools/image/dom0_init.sh"
dom0_init_end:
	.section .note.GNU-stack,"",@progbits
