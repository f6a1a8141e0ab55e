/* SPDX-License-Identifier: MIT */
/*
 * entry.S - the shim's first and last instructions.
 *
 * A PVH loader (QEMU -kernel, Firecracker, Cloud Hypervisor, Xen) starts us
 * at the address in our XEN_ELFNOTE_PHYS32_ENTRY note in 32-bit protected
 * mode with paging off and %ebx = the hvm_start_info.  The PVH ABI promises
 * flat 4 GiB segments and nothing else: no stack, no GDT we may keep, no
 * IDT.  The C part is 64-bit code (so that the 64-bit core library needs no
 * 32-bit helper routines), so we first build an identity map of the low
 * 4 GiB, enter long mode and call zp_shim_main(start_info).
 *
 * On the way out, zp_shim_enter64 and zp_shim_enter32 hand the kernel the
 * exact CPU state Documentation/arch/x86/boot.rst asks of its 64-bit and
 * 32-bit boot protocols.
 */

#define CS32		0x08	/* our 32-bit code: entry and the road back */
#define BOOT_CS		0x10	/* __BOOT_CS: the kernel insists on 0x10 ... */
#define BOOT_DS		0x18	/* ... and __BOOT_DS on 0x18 */

#define CR0_PG		0x80000000
#define CR0_EM		0x00000004
#define CR0_MP		0x00000002
#define CR4_PAE		0x00000020
#define CR4_OSFXSR	0x00000200	/* SSE instructions allowed ... */
#define CR4_OSXMMEXCPT	0x00000400	/* ... and their exceptions handled (we have none) */
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define PTE_P_RW	0x003		/* present, writable */
#define PDE_2M		0x083		/* present, writable, 2 MiB page */

#define COM1		0x3f8

	.section .text.entry, "ax"
	.code32
	.globl zp_shim_pvh_entry
zp_shim_pvh_entry:
	/* Nobody promised interrupts are off or the direction flag clear. */
	cli
	cld
	movl	%ebx, %esi		/* start_info; cpuid below clobbers %ebx */

	/* Our own GDT, then reload every segment register from it: the
	 * loader's GDT may live in memory the kernel will reuse. */
	lgdt	gdt64_desc
	ljmp	$CS32, $1f
1:	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* ELF loaders zero p_memsz beyond p_filesz, but the page tables and
	 * the stack must be zero whatever the VMM did, so clear .bss here. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$zp_shim_stack_top, %esp

	/* Long mode needs CPUID 0x80000001 EDX bit 29; a CPU without it
	 * gets a clear line on COM1, not a triple fault. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode

	/* Identity map of the low 4 GiB with 2 MiB pages: one PML4 entry,
	 * four PDPT entries, four page directories of 512 entries.  That
	 * covers every address a PVH guest can be handed with paging off,
	 * and everything the 64-bit boot protocol asks to be mapped (kernel
	 * + init_size, zero page, command line). */
	movl	$zp_shim_pdpt + PTE_P_RW, zp_shim_pml4
	movl	$zp_shim_pd + PTE_P_RW, %eax
	xorl	%ecx, %ecx
2:	movl	%eax, zp_shim_pdpt(, %ecx, 8)
	addl	$0x1000, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jb	2b
	xorl	%ecx, %ecx
3:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$PDE_2M, %eax
	movl	%eax, zp_shim_pd(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	3b

	/* Above 4 GiB, where the CPU has 1 GiB pages (CPUID 0x80000001 EDX
	 * bit 26, still in %edx): PDPT entries 4-511 map the rest of the
	 * first 512 GiB at no cost in memory, so a loader may put the
	 * start_info's memmap, module list or command line above 4 GiB too
	 * (RAM above 4 GiB is where large guests have most of it).  Without
	 * them the shim sees the low 4 GiB and says so when that is not
	 * enough.  zp_shim_mapped_gib tells the C side. */
	movl	$4, zp_shim_mapped_gib
	btl	$26, %edx
	jnc	5f
	movl	$4, %ecx
4:	movl	%ecx, %eax
	andl	$3, %eax
	shll	$30, %eax
	orl	$PDE_2M, %eax		/* P, RW, PS: here a 1 GiB page */
	movl	%eax, zp_shim_pdpt(, %ecx, 8)
	movl	%ecx, %eax
	shrl	$2, %eax		/* bits 32 and up of the address */
	movl	%eax, zp_shim_pdpt + 4(, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	4b
	movl	$512, zp_shim_mapped_gib
5:

	/* Long mode: PAE on, CR3, EFER.LME, then paging.  The far jump
	 * loads the 64-bit code segment and starts executing 64-bit code. */
	movl	%cr4, %eax
	/* SSE on, for the 64-byte copy loops in libc.c (every x86-64 CPU
	 * has SSE2; the C code itself is built without it).  The kernel
	 * sets CR4 its own way in startup_64. */
	orl	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl	%eax, %cr4
	movl	$zp_shim_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	andl	$~CR0_EM, %eax
	orl	$(CR0_PG | CR0_MP), %eax
	movl	%eax, %cr0
	ljmp	$BOOT_CS, $long_mode

no_long_mode:
	movl	$msg_no_long_mode, %esi
4:	lodsb
	testb	%al, %al
	jz	halt32
	movb	%al, %bl
	movw	$COM1 + 5, %dx		/* line status: wait for THR empty */
5:	inb	%dx, %al
	testb	$0x20, %al
	jz	5b
	movw	$COM1, %dx
	movb	%bl, %al
	outb	%al, %dx
	jmp	4b
halt32:
	cli
	hlt
	jmp	halt32

	.code64
long_mode:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$zp_shim_stack_top, %esp	/* zero-extends into %rsp */
	movl	%esi, %edi			/* zp_shim_main(start_info) */
	call	zp_shim_main
	/* zp_shim_main never returns; if it did, stop here. */

	.globl zp_shim_halt
zp_shim_halt:
	cli
1:	hlt
	jmp	1b

/*
 * void zp_shim_enter64(uint64_t entry, uint64_t zero_page)
 * 64-bit boot protocol: long mode, paging on with the kernel, zero page and
 * command line identity mapped, CS = __BOOT_CS and DS/ES/SS = __BOOT_DS from
 * a GDT with flat 0x10/0x18 descriptors, interrupts off, %rsi = zero page.
 * All of that is already the shim's own state, so only registers remain.
 */
	.globl zp_shim_enter64
zp_shim_enter64:
	cli
	movq	%rdi, %rax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	jmp	*%rax

/*
 * void zp_shim_enter32(uint32_t entry, uint32_t zero_page)
 * 32-bit boot protocol: protected mode with paging OFF, a GDT with flat
 * 32-bit __BOOT_CS (0x10) and __BOOT_DS (0x18), interrupts off, %esi =
 * zero page, %ebp = %edi = %ebx = 0.  Leaving long mode has a fixed order
 * (Intel SDM 9.8.5.4): drop to a 32-bit (compatibility) code segment,
 * turn paging off, which deactivates long mode, then clear EFER.LME.
 * Our code is identity mapped, so it keeps running across the switch.
 */
	.globl zp_shim_enter32
zp_shim_enter32:
	cli
	/* %edi = entry and %esi = zero page stay put across the switch;
	 * rdmsr/wrmsr use %eax, %ecx and %edx. */
	pushq	$CS32
	leaq	6f(%rip), %rax
	pushq	%rax
	lretq
	.code32
6:	movl	%cr0, %eax
	andl	$~CR0_PG, %eax
	movl	%eax, %cr0
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	wrmsr
	movl	%cr4, %eax
	andl	$~CR4_PAE, %eax
	movl	%eax, %cr4
	/* In gdt64 selector 0x10 is 64-bit code; the 32-bit protocol wants
	 * 0x10 to be 32-bit code, so switch to the second table. */
	lgdt	gdt32_desc
	ljmp	$BOOT_CS, $7f
7:	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%edi, %eax
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%edi, %edi
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	jmp	*%eax

	.section .rodata
msg_no_long_mode:
	.asciz	"zeropage-shim: error: CPU has no long mode (CPUID 0x80000001 EDX.LM); the shim needs a 64-bit CPU\r\n"

/*
 * Descriptors are pre-marked "accessed" (type 0x9b/0x93) so the CPU never
 * needs to write to the tables.  Base 0, limit 4 GiB, granularity 4 KiB.
 */
	.section .data
	.balign	16
gdt64:
	.quad	0			/* 0x00 null */
	.quad	0x00cf9b000000ffff	/* 0x08 32-bit code */
	.quad	0x00af9b000000ffff	/* 0x10 64-bit code (L=1): __BOOT_CS */
	.quad	0x00cf93000000ffff	/* 0x18 data: __BOOT_DS */
gdt64_end:
	.balign	16
gdt32:
	.quad	0			/* 0x00 null */
	.quad	0			/* 0x08 unused */
	.quad	0x00cf9b000000ffff	/* 0x10 32-bit code: __BOOT_CS */
	.quad	0x00cf93000000ffff	/* 0x18 data: __BOOT_DS */
gdt32_end:
	.balign	8
gdt64_desc:
	.word	gdt64_end - gdt64 - 1
	.quad	gdt64
	.balign	8
gdt32_desc:
	.word	gdt32_end - gdt32 - 1
	.long	gdt32

	.section .bss
	.balign	4096
	.globl zp_shim_pml4, zp_shim_mapped_gib
zp_shim_pml4:	.skip	4096
zp_shim_pdpt:	.skip	4096
zp_shim_pd:	.skip	4 * 4096
zp_shim_stack:	.skip	16384
zp_shim_stack_top:
zp_shim_mapped_gib:	.skip	4	/* GiB identity mapped: 4, or 512 with 1 GiB pages */

/*
 * The notes a loader reads.  PHYS32_ENTRY (Xen's elfnote.h) is the PVH
 * entry; an 8-byte desc, as Linux writes it, because QEMU reads a full
 * pointer-sized value for 64-bit ELFs.  "ZeroPage" points at the bundle
 * descriptor for the bundle writer and `zeropage info`.
 */
	.section .note.zeropage, "a"
	.balign	4
	.long	4			/* namesz: "Xen\0" */
	.long	8			/* descsz */
	.long	18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz	"Xen"
	.balign	4
	.quad	zp_shim_pvh_entry
	.balign	4
	.long	9			/* namesz: "ZeroPage\0" */
	.long	8
	.long	1			/* ZP_NOTE_BUNDLE */
	.asciz	"ZeroPage"
	.balign	4
	.quad	zp_bundle
	.balign	4

	.section .note.GNU-stack, "", @progbits
