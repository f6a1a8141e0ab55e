/* SPDX-License-Identifier: MIT */
/* The probe init binaries (probe/init.c built for x86-64 and for i386),
 * embedded in the zeropage command so that `zeropage initramfs` and
 * `zeropage boot` need no file at run time.  The paths come from
 * probe/probe.mk. */
	.section .rodata
	.balign 16
	.globl probe_blob_init_start
	.globl probe_blob_init_end
probe_blob_init_start:
	.incbin PROBE_INIT_PATH
probe_blob_init_end:
	.balign 16
	.globl probe_blob_init_i386_start
	.globl probe_blob_init_i386_end
probe_blob_init_i386_start:
	.incbin PROBE_INIT_I386_PATH
probe_blob_init_i386_end:
	.section .note.GNU-stack,"",@progbits
