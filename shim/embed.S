/* SPDX-License-Identifier: MIT */
/* The shim ELF, embedded in the zeropage command so that `zeropage bundle`
 * needs no file at run time.  SHIM_ELF_PATH comes from shim/shim.mk. */
	.section .rodata
	.balign 16
	.globl zp_shim_elf_start
	.globl zp_shim_elf_end
zp_shim_elf_start:
	.incbin SHIM_ELF_PATH
zp_shim_elf_end:
	.section .note.GNU-stack,"",@progbits
