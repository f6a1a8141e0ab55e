/* SPDX-License-Identifier: MIT */
/* zeropage's EFI loaders (efi/handover.c as PE/COFF for x64 and ia32),
 * embedded in the zeropage command; efi/efi.mk names the files.  Built
 * without gnu-efi, both are empty, and the efi-handover paths say so. */
	.section .rodata
	.balign 16
	.globl efi_handover_app_x64_start
	.globl efi_handover_app_x64_end
	.globl efi_handover_app_ia32_start
	.globl efi_handover_app_ia32_end
efi_handover_app_x64_start:
#ifdef EFI_APP_X64
	.incbin EFI_APP_X64
#endif
efi_handover_app_x64_end:
	.balign 16
efi_handover_app_ia32_start:
#ifdef EFI_APP_IA32
	.incbin EFI_APP_IA32
#endif
efi_handover_app_ia32_end:
	.section .note.GNU-stack,"",@progbits
