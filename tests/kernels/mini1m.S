/* SPDX-License-Identifier: MIT */
/*
 * mini1m.S - a minimal, NOT relocatable "kernel" that uses the Linux x86
 * boot protocol (Documentation/arch/x86/boot.rst) and must be loaded at
 * code32_start = pref_address = 0x100000.
 *
 * The file is a bzImage without a payload:
 *
 *   setup part (1 + SETUP_SECTS sectors, linked at 0, tests/kernels/mini1m.ld)
 *     0x000  boot sector (a floppy boot just halts)
 *     0x1f1  setup header, protocol 2.12: LOADED_HIGH, relocatable_kernel 0,
 *            pref_address 0x100000, init_size 2 MiB, XLF_KERNEL_64
 *     0x200  the real-mode entry (a jump over the header): enough 16-bit
 *            setup for QEMU's own -kernel: a zero page with the header and
 *            the BIOS e820 map, then protected mode and code32_start
 *   protected-mode part (linked and loaded at 0x100000)
 *     +0x000 32-bit entry: paging off, flat __BOOT_CS/__BOOT_DS, %esi = zero page
 *     +0x200 64-bit entry: long mode, identity mapped, %rsi = zero page
 *
 * Both entries find where they really run (call/pop, or a RIP-relative
 * lea), use only position-independent references, initialise COM1 and
 * print one line:
 *
 *   mini1m: entry=32 at=0x100000 bp=0x... loader=0x... cmdline="..." e820=N initrd=0x...+0x... ok
 *
 * ending in "at=0x... WRONG" instead of "ok" when not run at 0x100000;
 * then they triple-fault (empty IDT, int3), which ends QEMU under -no-reboot.
 * The stack is the top of the init_size room the header asks for.
 */

#define SETUP_SECTS	2		/* setup part = (1 + 2) * 512 bytes */
#define LOAD_ADDR	0x100000	/* code32_start = pref_address */
#define INIT_SIZE	0x200000	/* room needed from LOAD_ADDR */
#define CMDLINE_SIZE	2047
#define CMDLINE_SHOW	200		/* printed at most */

#define LOADED_HIGH	0x01
#define XLF_KERNEL_64	0x0001

#define BOOT_CS		0x10		/* __BOOT_CS */
#define BOOT_DS		0x18		/* __BOOT_DS */

/* boot_params offsets */
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_SCRATCH		0x1e4
#define BP_E820_ENTRIES		0x1e8
#define BP_E820_TABLE		0x2d0
#define BP_HDR			0x1f1
#define BP_TYPE_OF_LOADER	0x210
#define BP_CODE32_START		0x214
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define E820_MAX		128
#define E820_SMAP		0x534d4150	/* "SMAP" */

/* Real-mode setup: where it builds the zero page and its stack, from the
 * setup's base X (inside X..X+0x7fff and X+0x8000..X+0xffff, which
 * boot.rst gives the kernel's real-mode code). */
#define RM_ZERO_PAGE	0x1000
#define RM_STACK	0x9000

#define COM1		0x3f8

/* ------------------------------------------------------------------ */
	.section .setup, "ax"
	.code16
	.globl	_setup
_setup:
	/* Booted as a floppy boot sector: nothing to do but stop. */
	cli
1:	hlt
	jmp	1b

	.org	BP_HDR
hdr:
setup_sects:		.byte	SETUP_SECTS
root_flags:		.word	0
syssize:		.long	mini1m_syssize		/* mini1m.ld: 16-byte units */
ram_size:		.word	0
vid_mode:		.word	0xffff			/* NORMAL_VGA */
root_dev:		.word	0
boot_flag:		.word	0xaa55
	/* 0x200: the real-mode entry, cs = X + 0x20, ip = 0 */
			.byte	0xeb, start_of_setup - 1f
1:
header:			.ascii	"HdrS"
version:		.word	0x020c
realmode_swtch:		.long	0
start_sys_seg:		.word	0x1000			/* obsolete */
kernel_version:		.word	kernel_version_str - 0x200
type_of_loader:		.byte	0
loadflags:		.byte	LOADED_HIGH
setup_move_size:	.word	0x8000
code32_start:		.long	LOAD_ADDR
ramdisk_image:		.long	0
ramdisk_size:		.long	0
bootsect_kludge:	.long	0
heap_end_ptr:		.word	0
ext_loader_ver:		.byte	0
ext_loader_type:	.byte	0
cmd_line_ptr:		.long	0
initrd_addr_max:	.long	0x7fffffff
kernel_alignment:	.long	0x1000
relocatable_kernel:	.byte	0
min_alignment:		.byte	12
xloadflags:		.word	XLF_KERNEL_64
cmdline_size:		.long	CMDLINE_SIZE
hardware_subarch:	.long	0
hardware_subarch_data:	.quad	0
payload_offset:		.long	0
payload_length:		.long	0
setup_data:		.quad	0
pref_address:		.quad	LOAD_ADDR
init_size:		.long	INIT_SIZE
handover_offset:	.long	0
kernel_info_offset:	.long	0
hdr_end:

/*
 * The real-mode entry.  Per boot.rst cs = X + 0x20 and ds = es = ss = X,
 * but we rely only on cs: from it, segments that make our link offsets
 * (relative to X) right, and a stack of our own.
 */
start_of_setup:
	cli
	cld
	movw	%cs, %ax
	subw	$0x20, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$RM_STACK, %sp
	pushw	%ax
	pushw	$rm_main
	lretw

rm_main:
	/* A20 on (fast A20 gate); QEMU's BIOS already did, real ones may not */
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92

	/* The zero page: zeroed, then the header as the loader left it */
	movw	$RM_ZERO_PAGE, %di
	xorw	%ax, %ax
	movw	$2048, %cx
	rep stosw
	movw	$hdr, %si
	movw	$(RM_ZERO_PAGE + BP_HDR), %di
	movw	$(hdr_end - hdr), %cx
	rep movsb

	/* The BIOS memory map (int 0x15, eax = 0xe820) into e820_table */
	xorl	%ebx, %ebx
	movw	$(RM_ZERO_PAGE + BP_E820_TABLE), %di
e820_next:
	movl	$0xe820, %eax
	movl	$E820_SMAP, %edx
	movl	$20, %ecx
	int	$0x15
	jc	e820_done
	cmpl	$E820_SMAP, %eax
	jne	e820_done
	incb	(RM_ZERO_PAGE + BP_E820_ENTRIES)
	addw	$20, %di
	testl	%ebx, %ebx
	jz	e820_done
	cmpb	$E820_MAX, (RM_ZERO_PAGE + BP_E820_ENTRIES)
	jb	e820_next
e820_done:

	/* Protected mode: the GDT and the far pointer hold linear addresses */
	cli
	xorl	%ebx, %ebx
	movw	%ds, %bx
	shll	$4, %ebx			/* %ebx = X, linear */
	leal	gdt(%ebx), %eax
	movl	%eax, gdt_desc + 2
	leal	in_pm32(%ebx), %eax
	movl	%eax, pm32_ptr
	lidtl	null_idt
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orb	$1, %al				/* CR0.PE */
	movl	%eax, %cr0
	ljmpl	*pm32_ptr

	.code32
in_pm32:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movzwl	%sp, %esp
	addl	%ebx, %esp			/* the same stack, linear */
	leal	RM_ZERO_PAGE(%ebx), %esi
	movl	BP_CODE32_START(%esi), %eax	/* a loader may have hooked it */
	xorl	%ebx, %ebx			/* boot.rst: %ebp, %edi, %ebx = 0 */
	xorl	%ebp, %ebp
	xorl	%edi, %edi
	jmp	*%eax

	.balign	8
gdt:	.quad	0
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x10: 4 GiB flat code, 32-bit */
	.quad	0x00cf92000000ffff		/* 0x18: 4 GiB flat data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	0				/* X + gdt, set above */
null_idt:
	.word	0
	.long	0
pm32_ptr:
	.long	0				/* X + in_pm32, set above */
	.word	BOOT_CS

kernel_version_str:			/* kernel_version: offset from 0x200 */
	.asciz	"mini1m (zeropage test kernel, not relocatable, loads at 1 MiB)"

	.org	(1 + SETUP_SECTS) * 512		/* fails to assemble if the setup grew */

/* ------------------------------------------------------------------ */
	.section .pm, "ax"
	.code32
	.globl	startup_32
startup_32:				/* LOAD_ADDR + 0 */
	cli
	cld
	/* No stack yet: boot_params.scratch is one, as in Linux's startup_32 */
	leal	(BP_SCRATCH + 4)(%esi), %esp
	call	1f
1:	popl	%ebp
	subl	$(1b - startup_32), %ebp	/* %ebp = where we run */
	leal	INIT_SIZE(%ebp), %esp		/* top of our init_size room */
	jmp	main32

	.org	0x200
	.code64
	.globl	startup_64
startup_64:				/* LOAD_ADDR + 0x200 */
	cli
	cld
	leaq	startup_32(%rip), %rbp		/* where we run */
	leaq	INIT_SIZE(%rbp), %rsp
	jmp	main64

/* ---- 32-bit: %ebp = where we run, %esi = boot_params; never clobbered ---- */
	.code32
#define R32(sym)	((sym) - startup_32)(%ebp)

main32:
	call	uart_init32
	leal	R32(s_entry32), %ebx
	call	puts32
	movl	%ebp, %eax
	call	puthex32
	leal	R32(s_bp), %ebx
	call	puts32
	movl	%esi, %eax
	call	puthex32
	leal	R32(s_loader), %ebx
	call	puts32
	movzbl	BP_TYPE_OF_LOADER(%esi), %eax
	call	puthex32
	leal	R32(s_cmdline), %ebx
	call	puts32
	movl	BP_CMD_LINE_PTR(%esi), %ebx
	call	putcmd32
	leal	R32(s_e820), %ebx
	call	puts32
	movzbl	BP_E820_ENTRIES(%esi), %eax
	call	putdec32
	leal	R32(s_initrd), %ebx
	call	puts32
	movl	BP_RAMDISK_IMAGE(%esi), %eax
	call	puthex32
	leal	R32(s_plus), %ebx
	call	puts32
	movl	BP_RAMDISK_SIZE(%esi), %eax
	call	puthex32
	cmpl	$LOAD_ADDR, %ebp
	jne	1f
	leal	R32(s_ok), %ebx
	call	puts32
	jmp	2f
1:	leal	R32(s_at), %ebx
	call	puts32
	movl	%ebp, %eax
	call	puthex32
	leal	R32(s_wrong), %ebx
	call	puts32
2:	/* the end: an empty IDT turns int3 into a triple fault */
	lidtl	R32(null_idt_pm)
	int3
3:	cli
	hlt
	jmp	3b

/* 8n1, 115200, FIFOs on, DTR|RTS; interrupts off.  Clobbers %eax, %edx. */
uart_init32:
	movw	$(COM1 + 1), %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$(COM1 + 3), %dx
	movb	$0x80, %al			/* DLAB */
	outb	%al, %dx
	movw	$(COM1 + 0), %dx
	movb	$1, %al				/* divisor 1: 115200 */
	outb	%al, %dx
	movw	$(COM1 + 1), %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$(COM1 + 3), %dx
	movb	$0x03, %al			/* 8n1 */
	outb	%al, %dx
	movw	$(COM1 + 2), %dx
	movb	$0xc7, %al
	outb	%al, %dx
	movw	$(COM1 + 4), %dx
	movb	$0x03, %al
	outb	%al, %dx
	ret

/* %al: the byte.  Waits (bounded) for THRE.  Clobbers %eax, %ecx, %edx. */
putc32:
	movb	%al, %ah
	movw	$(COM1 + 5), %dx
	movl	$100000, %ecx
1:	inb	%dx, %al
	testb	$0x20, %al
	jnz	2f
	pause
	loop	1b
2:	movb	%ah, %al
	movw	$COM1, %dx
	outb	%al, %dx
	ret

/* %ebx: NUL-terminated string.  Clobbers %eax, %ebx, %ecx, %edx. */
puts32:
1:	movb	(%ebx), %al
	testb	%al, %al
	jz	2f
	call	putc32
	incl	%ebx
	jmp	1b
2:	ret

/* %eax as 0x<lowercase hex>, no leading zeros.  Clobbers %eax-%edx, %edi. */
puthex32:
	movl	%eax, %edi
	movb	$'0', %al
	call	putc32
	movb	$'x', %al
	call	putc32
	movl	$28, %ebx
1:	testl	%ebx, %ebx			/* the first non-zero digit */
	jz	2f
	movl	%edi, %eax
	movb	%bl, %cl
	shrl	%cl, %eax
	jnz	2f
	subl	$4, %ebx
	jmp	1b
2:	movl	%edi, %eax
	movb	%bl, %cl
	shrl	%cl, %eax
	andl	$0xf, %eax
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	3f
	addb	$('a' - '9' - 1), %al
3:	call	putc32
	subl	$4, %ebx
	jns	2b
	ret

/* %eax in decimal.  Clobbers %eax-%edx, %edi. */
putdec32:
	xorl	%edi, %edi
1:	movl	$10, %ecx
	xorl	%edx, %edx
	divl	%ecx
	pushl	%edx
	incl	%edi
	testl	%eax, %eax
	jnz	1b
2:	popl	%eax
	addb	$'0', %al
	call	putc32
	decl	%edi
	jnz	2b
	ret

/* The command line at %ebx (0: none), at most CMDLINE_SHOW bytes, anything
 * unprintable as '?'.  Clobbers %eax-%edx, %edi. */
putcmd32:
	testl	%ebx, %ebx
	jz	3f
	movl	$CMDLINE_SHOW, %edi
1:	movb	(%ebx), %al
	testb	%al, %al
	jz	3f
	cmpb	$0x20, %al
	jb	2f
	cmpb	$0x7e, %al
	jbe	4f
2:	movb	$'?', %al
4:	call	putc32
	incl	%ebx
	decl	%edi
	jnz	1b
3:	ret

/* ---- 64-bit: %rbp = where we run, %rsi = boot_params; never clobbered ---- */
	.code64
main64:
	call	uart_init64
	leaq	s_entry64(%rip), %rbx
	call	puts64
	movq	%rbp, %rax
	call	puthex64
	leaq	s_bp(%rip), %rbx
	call	puts64
	movq	%rsi, %rax
	call	puthex64
	leaq	s_loader(%rip), %rbx
	call	puts64
	movzbl	BP_TYPE_OF_LOADER(%rsi), %eax
	call	puthex64
	leaq	s_cmdline(%rip), %rbx
	call	puts64
	movl	BP_EXT_CMD_LINE_PTR(%rsi), %ebx
	shlq	$32, %rbx
	movl	BP_CMD_LINE_PTR(%rsi), %eax
	orq	%rax, %rbx
	call	putcmd64
	leaq	s_e820(%rip), %rbx
	call	puts64
	movzbl	BP_E820_ENTRIES(%rsi), %eax
	call	putdec64
	leaq	s_initrd(%rip), %rbx
	call	puts64
	movl	BP_EXT_RAMDISK_IMAGE(%rsi), %eax
	shlq	$32, %rax
	movl	BP_RAMDISK_IMAGE(%rsi), %ecx
	orq	%rcx, %rax
	call	puthex64
	leaq	s_plus(%rip), %rbx
	call	puts64
	movl	BP_EXT_RAMDISK_SIZE(%rsi), %eax
	shlq	$32, %rax
	movl	BP_RAMDISK_SIZE(%rsi), %ecx
	orq	%rcx, %rax
	call	puthex64
	cmpq	$LOAD_ADDR, %rbp
	jne	1f
	leaq	s_ok(%rip), %rbx
	call	puts64
	jmp	2f
1:	leaq	s_at(%rip), %rbx
	call	puts64
	movq	%rbp, %rax
	call	puthex64
	leaq	s_wrong(%rip), %rbx
	call	puts64
2:	lidt	null_idt_pm(%rip)
	int3
3:	cli
	hlt
	jmp	3b

uart_init64:
	movw	$(COM1 + 1), %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$(COM1 + 3), %dx
	movb	$0x80, %al
	outb	%al, %dx
	movw	$(COM1 + 0), %dx
	movb	$1, %al
	outb	%al, %dx
	movw	$(COM1 + 1), %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$(COM1 + 3), %dx
	movb	$0x03, %al
	outb	%al, %dx
	movw	$(COM1 + 2), %dx
	movb	$0xc7, %al
	outb	%al, %dx
	movw	$(COM1 + 4), %dx
	movb	$0x03, %al
	outb	%al, %dx
	ret

putc64:
	movb	%al, %ah
	movw	$(COM1 + 5), %dx
	movl	$100000, %ecx
1:	inb	%dx, %al
	testb	$0x20, %al
	jnz	2f
	pause
	loop	1b
2:	movb	%ah, %al
	movw	$COM1, %dx
	outb	%al, %dx
	ret

puts64:
1:	movb	(%rbx), %al
	testb	%al, %al
	jz	2f
	call	putc64
	incq	%rbx
	jmp	1b
2:	ret

puthex64:
	movq	%rax, %rdi
	movb	$'0', %al
	call	putc64
	movb	$'x', %al
	call	putc64
	movl	$60, %ebx
1:	testl	%ebx, %ebx
	jz	2f
	movq	%rdi, %rax
	movb	%bl, %cl
	shrq	%cl, %rax
	jnz	2f
	subl	$4, %ebx
	jmp	1b
2:	movq	%rdi, %rax
	movb	%bl, %cl
	shrq	%cl, %rax
	andl	$0xf, %eax
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	3f
	addb	$('a' - '9' - 1), %al
3:	call	putc64
	subl	$4, %ebx
	jns	2b
	ret

putdec64:
	xorl	%edi, %edi
1:	movl	$10, %ecx
	xorl	%edx, %edx
	divq	%rcx
	pushq	%rdx
	incl	%edi
	testq	%rax, %rax
	jnz	1b
2:	popq	%rax
	addb	$'0', %al
	call	putc64
	decl	%edi
	jnz	2b
	ret

putcmd64:
	testq	%rbx, %rbx
	jz	3f
	movl	$CMDLINE_SHOW, %edi
1:	movb	(%rbx), %al
	testb	%al, %al
	jz	3f
	cmpb	$0x20, %al
	jb	2f
	cmpb	$0x7e, %al
	jbe	4f
2:	movb	$'?', %al
4:	call	putc64
	incq	%rbx
	decl	%edi
	jnz	1b
3:	ret

/* ---- shared data (read only) ---- */
	.balign	8
null_idt_pm:				/* limit 0: any exception triple-faults */
	.word	0
	.quad	0
s_entry32:	.asciz	"mini1m: entry=32 at="
s_entry64:	.asciz	"mini1m: entry=64 at="
s_bp:		.asciz	" bp="
s_loader:	.asciz	" loader="
s_cmdline:	.asciz	" cmdline=\""
s_e820:		.asciz	"\" e820="
s_initrd:	.asciz	" initrd="
s_plus:		.asciz	"+"
s_ok:		.asciz	" ok\r\n"
s_at:		.asciz	" at="
s_wrong:	.asciz	" WRONG\r\n"
	.balign	16
