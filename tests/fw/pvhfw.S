/* SPDX-License-Identifier: MIT */
/*
 * pvhfw.S - the first and the last instructions of pvhfw, a QEMU -bios
 * firmware that starts a PVH image the way Firecracker does (pvhfw.c says
 * what it builds and where).
 *
 * QEMU maps a -bios image at the top of 4 GiB (and its last 128 KiB, here
 * all of its 64 KiB, also at 0xf0000-0xfffff).  The CPU leaves reset in
 * real mode with CS.base = 0xffff0000 and IP = 0xfff0: the reset vector is
 * the image's last 16 bytes (file offset 0xfff0, linear 0xfffffff0).  The
 * whole image is linked at 0xffff0000 and runs there; nothing is copied.
 *
 * Reset: 16-bit code in the image's last 256 bytes (section .reset) turns
 * on A20, loads the ROM GDT and switches to 32-bit flat protected mode.
 * Start32: flat data segments, a stack and .bss in RAM (the ROM is read
 * only; pvhfw.ld says where and why), then pvhfw_main().
 * pvhfw_enter: the machine state of the PVH ABI (Xen's docs/misc/pvh.pandoc),
 * set up the way Firecracker sets it (see the comment there), and the jump.
 */

#define CS32		0x08	/* flat 32-bit code (ROM GDT and the 0x500 GDT alike) */
#define DS32		0x10	/* flat data */
#define TSS32		0x18	/* the 0x500 GDT only: base 0, limit 0x67 */

#define FC_BOOT_GDT	0x500	/* where Firecracker puts its GDT ... */
#define FC_BOOT_IDT	0x520	/* ... and its (empty) IDT: regs.rs BOOT_{GDT,IDT}_OFFSET */

	.section .reset, "ax"	/* linked at 0xffffff00: the last 256 bytes */
	.code16
reset_base:
start16:
	cli
	cld
	/* A20 on (QEMU resets with it on; a real board might not) through the
	 * PIIX "fast A20" port; bit 0 would reset the machine, keep it 0. */
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92
	/* CS.base is 0xffff0000, so this section's offsets in CS are 0xff00+. */
	lgdtl	%cs:rom_gdt_desc_cs
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$CS32, $start32

	/* Accessed bits preset (0x9b, 0x93): the CPU would otherwise try to
	 * set them in the descriptor, which is in ROM. */
	.balign 8
rom_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* CS32: base 0, limit 4 GiB, 32-bit, r/x */
	.quad	0x00cf93000000ffff	/* DS32: base 0, limit 4 GiB, r/w */
rom_gdt_end:
rom_gdt_desc:
	.word	rom_gdt_end - rom_gdt - 1
	.long	rom_gdt
	.set	rom_gdt_desc_cs, 0xff00 + rom_gdt_desc - reset_base

	.org	0xf0
	.globl	reset_vector
reset_vector:				/* 0xfffffff0 */
	jmp	start16
	.org	0x100, 0xff

	.section .text.start32, "ax"
	.code32
start32:
	movl	$DS32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$pvhfw_stack_top, %esp
	/* Nothing initialised .bss for us: RAM holds whatever it held. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	call	pvhfw_main
1:	cli
	hlt
	jmp	1b

/*
 * void pvhfw_enter(uint32_t entry, uint32_t start_info): never returns.
 * pvhfw.c has written the GDT at 0x500 (null, CS32, DS32, an available
 * 32-bit TSS with base 0 and limit 0x67) and 8 zero bytes at 0x520.
 *
 * Xen's docs/misc/pvh.pandoc: %ebx = start_info; CR0.PE set and all other
 * writable CR0 bits clear; CR4 = 0; CS a 32-bit r/x segment, base 0 and
 * limit 0xffffffff; DS, ES flat 32-bit r/w; TR a 32-bit TSS (active) with
 * base 0 and limit 0x67; EFLAGS.VM, .IF, .TF clear; everything else
 * unspecified.  Firecracker (src/vmm/src/arch/x86_64/regs.rs, setup_regs
 * and configure_segments_and_sregs for BootProtocol::PvhBoot, firecracker
 * commit 81b38b9dad6056d7a48073e95ac5a9aed51cb2ab) fills the unspecified
 * part like this, and so do we: GDT at 0x500 with CS 0x08, DS/ES/FS/GS/SS
 * 0x10, TR 0x18 (busy), IDT at 0x520 with limit 7, CR0 = PE|ET, CR4 = 0,
 * RFLAGS = 0x2, every general register 0 except %ebx (%esp too).
 */
	.text
	.globl	pvhfw_enter
pvhfw_enter:
	cli
	movl	4(%esp), %eax
	movl	%eax, pvhfw_entry_slot	/* .bss, in RAM: jumped through below */
	movl	8(%esp), %ebx

	pushl	$FC_BOOT_GDT
	pushw	$4 * 8 - 1
	lgdt	(%esp)
	pushl	$FC_BOOT_IDT
	pushw	$8 - 1
	lidt	(%esp)
	ljmp	$CS32, $1f		/* CS from the new GDT */
1:	movl	$DS32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$TSS32, %eax
	ltr	%ax			/* marks the descriptor busy (0x8b), as Firecracker's is */

	movl	$0x00000011, %eax	/* PE | ET: reset's CD and NW cleared */
	movl	%eax, %cr0
	xorl	%eax, %eax
	movl	%eax, %cr4
	pushl	$0x00000002		/* IF, TF, DF, AC, NT clear; VM cannot be set here */
	popfl

	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%esp, %esp
	jmp	*pvhfw_entry_slot

	.bss
	.balign	4
pvhfw_entry_slot:
	.zero	4
