/* SPDX-License-Identifier: MIT */
/* The probe init binary (probe/init.c), embedded in the zeropage command so
 * that `zeropage initramfs` and `zeropage boot` need no file at run time.
 * PROBE_INIT_PATH comes from probe/probe.mk. */
	.section .rodata
	.balign 16
	.globl probe_blob_init_start
	.globl probe_blob_init_end
probe_blob_init_start:
	.incbin PROBE_INIT_PATH
probe_blob_init_end:
	.section .note.GNU-stack,"",@progbits
