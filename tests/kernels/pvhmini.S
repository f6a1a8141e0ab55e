/* SPDX-License-Identifier: MIT */
/*
 * pvhmini.S - a minimal PVH kernel that is not Linux: an ELF whose only
 * note is Xen's XEN_ELFNOTE_PHYS32_ENTRY (Xen's public/elfnote.h, type 18:
 * the 32-bit physical address a PVH loader enters), as a unikernel or a
 * test kernel may be.  No GUEST_OS note, no "Linux" note: the core judges
 * it not Linux (lib/linux_id.c, zp_elf_linux_evidence), so `zeropage boot
 * --entry qemu-pvh` passes it no probe and calls it `started` once it
 * writes to the serial console (tests/nonlinux-elf.sh).
 *
 * The entry (Xen's docs/misc/pvh.pandoc: 32-bit protected mode, paging
 * off, flat segments, %ebx = start_info) writes one line to COM1
 * (0x3f8), polling its line status for an empty transmitter, then halts
 * with interrupts off for good:
 *
 *   pvhmini: a PVH kernel that is not Linux, entered at 0x100000
 *
 * An ELF32 (EM_386) linked at 1 MiB (tests/kernels/pvhmini.ld), where
 * a PVH loader puts it.
 */

#define XEN_ELFNOTE_PHYS32_ENTRY	18
#define COM1				0x3f8
#define COM1_LSR			(COM1 + 5)
#define LSR_THRE			0x20	/* transmit holding register empty */

	.section .note.pvh, "a"
	.balign 4
	.long 4				/* namesz: "Xen\0" */
	.long 4				/* descsz: a 32-bit address */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long pvh_start

	.section .text, "ax"
	.code32				/* what PVH enters, whatever the object says */
	.globl pvh_start
pvh_start:
	cli
	cld
	mov $message, %esi
next:
	lodsb
	test %al, %al
	jz stop
	mov %al, %bl
	mov $COM1_LSR, %dx
wait:
	in %dx, %al
	test $LSR_THRE, %al
	jz wait
	mov $COM1, %dx
	mov %bl, %al
	out %al, %dx
	jmp next
stop:
	hlt
	jmp stop

	.section .rodata, "a"
message:
	.asciz "pvhmini: a PVH kernel that is not Linux, entered at 0x100000\r\n"
