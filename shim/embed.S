/* SPDX-License-Identifier: MIT */
/* The shim ELF, embedded in the zeropage command so that `zeropage bundle`
 * needs no file at run time.  SHIM_ELF_PATH comes from shim/shim.mk. */
	.section .rodata
	.balign 16
	.globl shim_elf_start
	.globl shim_elf_end
shim_elf_start:
	.incbin SHIM_ELF_PATH
shim_elf_end:
	.section .note.GNU-stack,"",@progbits
