/* SPDX-License-Identifier: MIT */
/*
 * pvhfw.c - a QEMU -bios firmware that is a *foreign* PVH loader: it starts
 * a PVH image (a zeropage bundle) with the hvm_start_info laid out exactly
 * as Firecracker lays it out, a layout QEMU's own PVH loader never makes.
 * For tests/foreign-boot.sh.  32-bit freestanding C, no libc; pvhfw.S runs
 * before and after it.
 *
 * What it gets, all from QEMU:
 *   - the PVH image and the initrd in RAM already, put there by QEMU's
 *     generic loader (-device loader,file=bundle.elf loads the PT_LOADs at
 *     their physical addresses; -device loader,file=initrd,addr=A,force-raw=on);
 *   - over fw_cfg (I/O ports 0x510 selector, 0x511 data; QEMU's
 *     docs/specs/fw_cfg.rst): the memory QEMU gave the guest ("etc/e820",
 *     entries {le64 addr, le64 len, le32 type}) and our own strings, given
 *     with -fw_cfg name=opt/zeropage/...,string=... (QEMU stores a string
 *     without its NUL):
 *       opt/zeropage/entry    PVH entry (XEN_ELFNOTE_PHYS32_ENTRY), hex
 *       opt/zeropage/initrd   "ADDR SIZE" in hex, or absent: no module
 *       opt/zeropage/cmdline  the command line, or absent: empty
 *       opt/zeropage/cmdline_paddr  hex: the command line is already there
 *                             (a test puts one above 4 GiB); overrides the above
 *
 * What it builds: Firecracker's PVH boot (configure_pvh() in
 * src/vmm/src/arch/x86_64/mod.rs, constants in layout.rs, firecracker
 * commit 81b38b9dad6056d7a48073e95ac5a9aed51cb2ab):
 *   - hvm_start_info version 1 at PVH_INFO_START 0x6000; flags 0;
 *     cmdline_paddr CMDLINE_START 0x20000 always (Firecracker always
 *     writes a command line there, at most CMDLINE_MAX_SIZE 2048 bytes with
 *     its NUL); rsdp_paddr 0: Firecracker leaves it 0 in the start_info
 *     (it puts the RSDP at RSDP_ADDR 0xe0000 for the guest to find by
 *     scanning);
 *   - the module list at MODLIST_START 0x6040: one entry {initrd address,
 *     size, cmdline 0}, modlist_paddr 0x6040 and nr_modules 1 only when
 *     there is an initrd (else both 0);
 *   - the memory map at MEMMAP_START 0x7000, in Firecracker's order, which
 *     is not sorted:
 *         0          - 0x9fc00      RAM       (up to SYSTEM_MEM_START, the EBDA)
 *         0x9fc00    - 0xe0000      reserved  (SYSTEM_MEM_START..RSDP_ADDR:
 *                                              MP table, ACPI)
 *         0xeec00000 - 0xfec00000   reserved  (PCI_MMCONFIG_START = IOAPIC_ADDR
 *                                              - 256 MiB, PCI_MMCONFIG_SIZE)
 *         then each guest RAM region from max(1 MiB, its start) to its end:
 *         low RAM from HIMEM_START 1 MiB, and RAM above 4 GiB if there is any.
 *     Firecracker's RAM regions (arch_memory_regions) are 0 to
 *     min(size, 3 GiB) and, past its 1 GiB MMIO32 gap below 4 GiB, the rest
 *     from 4 GiB.  QEMU -M pc gives exactly these for RAM up to 3.5 GiB and
 *     from 3.5 GiB on (it then splits at 3 GiB: hw/i386/pc_piix.c,
 *     gigabyte_align), so the RAM regions are taken from QEMU's etc/e820.
 *
 * What it does not do: no MP table, no ACPI tables (Firecracker writes
 * both; here SeaBIOS is not running, so nobody installs QEMU's ACPI tables
 * either): the kernel runs on one CPU with the 8259 PIC.  No PCI BARs are
 * assigned.  The initrd is wherever the test put it; Firecracker puts it at
 * the top of the lowest RAM region, page aligned (initrd_load_addr() in
 * mod.rs), and pvhfw says whether it is there.
 *
 * It prints one line on COM1 and enters the image in 32-bit protected
 * mode (pvhfw_enter in pvhfw.S); on any error one "pvhfw: error:" line and
 * a reset, which -no-reboot turns into QEMU's exit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <zeropage/abi.h>

/* Firecracker's x86_64 layout (layout.rs, commit above). */
#define FC_PVH_INFO_START	0x6000u
#define FC_MODLIST_START	0x6040u
#define FC_MEMMAP_START		0x7000u
#define FC_CMDLINE_START	0x20000u
#define FC_CMDLINE_MAX_SIZE	2048u		/* with the NUL */
#define FC_HIMEM_START		0x100000u
#define FC_SYSTEM_MEM_START	0x9fc00u
#define FC_RSDP_ADDR		0xe0000u
#define FC_SYSTEM_MEM_SIZE	(FC_RSDP_ADDR - FC_SYSTEM_MEM_START)
#define FC_IOAPIC_ADDR		0xfec00000u
#define FC_PCI_MMCONFIG_SIZE	0x10000000u	/* 256 MiB */
#define FC_PCI_MMCONFIG_START	(FC_IOAPIC_ADDR - FC_PCI_MMCONFIG_SIZE)
#define FC_MMIO32_MEM_START	0xc0000000u	/* 4 GiB - MMIO32_MEM_SIZE 1 GiB */
#define FC_GUEST_PAGE_SIZE	4096u		/* arch/mod.rs GUEST_PAGE_SIZE */
/* regs.rs BOOT_GDT_OFFSET, BOOT_IDT_OFFSET (pvhfw.S loads them). */
#define FC_BOOT_GDT		0x500u
#define FC_BOOT_IDT		0x520u

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_FILE_DIR		0x0019

#define COM1			0x3f8
#define E820_RAM		1u
#define MAX_E820		32u
#define MAX_MEMMAP		(3u + MAX_E820)

void pvhfw_main(void);
void pvhfw_enter(uint32_t entry, uint32_t start_info) __attribute__((noreturn));

/* ------------------------------------------------------------------ */
/* The compiler may call these for struct copies and clears. */

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

/* A guest-physical address as a pointer.  Through an empty asm, so that the
 * compiler does not take the low ones (0x500) for offsets from NULL. */
static void *phys(uint32_t addr)
{
	void *p;

	__asm__("" : "=r"(p) : "0"(addr));
	return p;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* ------------------------------------------------------------------ */
/* Ports, COM1 */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void uart_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFOs on and cleared */
	outb(COM1 + 4, 0x03);	/* DTR, RTS */
}

static void putc_com1(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

static void put_str(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc_com1('\r');
		putc_com1(*s++);
	}
}

static void put_hex(uint64_t v)
{
	char buf[17];
	int i = 16;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	put_str(buf + i);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_str(buf + i);
}

/* %s, %u and %x (32-bit), %llx (64-bit); nothing else. */
static void vprint(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			char s[2] = { *fmt, 0 };
			put_str(s);
			continue;
		}
		fmt++;
		if (fmt[0] == 'l' && fmt[1] == 'l' && fmt[2] == 'x') {
			put_hex(va_arg(ap, uint64_t));
			fmt += 2;
		} else if (*fmt == 'x') {
			put_hex(va_arg(ap, uint32_t));
		} else if (*fmt == 'u') {
			put_dec(va_arg(ap, uint32_t));
		} else if (*fmt == 's') {
			put_str(va_arg(ap, const char *));
		} else {
			put_str("%?");
			if (!*fmt)
				break;
		}
	}
}

static void print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

/* One line, then a reset: with -no-reboot QEMU exits at once, so a test
 * does not wait for its timeout. */
static __attribute__((noreturn)) void fail(const char *fmt, ...)
{
	va_list ap;

	put_str("pvhfw: error: ");
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	put_str("\n");
	outb(0xcf9, 0x02);	/* PIIX reset control: hard reset */
	outb(0xcf9, 0x06);
	outb(0x64, 0xfe);	/* else the keyboard controller's reset line */
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ------------------------------------------------------------------ */
/* fw_cfg, the traditional I/O interface */

static void fwcfg_select(uint16_t key)
{
	outw(FW_CFG_PORT_SEL, key);
}

static void fwcfg_read(void *buf, uint32_t n)
{
	uint8_t *p = buf;

	while (n--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

enum { F_E820, F_ENTRY, F_INITRD, F_CMDLINE, F_CMDLINE_PADDR, F_COUNT };

/* Names in .rodata, what was found in .bss: the ROM cannot be written. */
static const char *const file_name[F_COUNT] = {
	[F_E820] = "etc/e820",
	[F_ENTRY] = "opt/zeropage/entry",
	[F_INITRD] = "opt/zeropage/initrd",
	[F_CMDLINE] = "opt/zeropage/cmdline",
	[F_CMDLINE_PADDR] = "opt/zeropage/cmdline_paddr",
};

static struct fwcfg_file {
	uint32_t size;
	uint16_t select;
	uint8_t found;
} files[F_COUNT];

/* The file directory (key 0x19): a big-endian count, then 64-byte entries
 * {be32 size, be16 select, be16 reserved, char name[56]}. */
static void fwcfg_scan(void)
{
	uint8_t sig[4], cnt[4], ent[64];

	fwcfg_select(FW_CFG_SIGNATURE);
	fwcfg_read(sig, 4);
	if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U')
		fail("no QEMU fw_cfg at port 0x510 (signature %x)", be32(sig));
	fwcfg_select(FW_CFG_FILE_DIR);
	fwcfg_read(cnt, 4);
	for (uint32_t n = be32(cnt), i = 0; i < n; i++) {
		fwcfg_read(ent, 64);
		ent[63] = 0;
		for (int f = 0; f < F_COUNT; f++) {
			if (streq((const char *)ent + 8, file_name[f])) {
				files[f].size = be32(ent);
				files[f].select = (uint16_t)(ent[4] << 8 | ent[5]);
				files[f].found = 1;
			}
		}
	}
}

/* A string file into buf (max - 1 bytes at most), NUL-terminated; its length. */
static uint32_t fwcfg_string(int f, char *buf, uint32_t max)
{
	if (files[f].size >= max)
		fail("fw_cfg %s is %u bytes, at most %u fit", file_name[f], files[f].size, max - 1);
	fwcfg_select(files[f].select);
	fwcfg_read(buf, files[f].size);
	buf[files[f].size] = 0;
	return files[f].size;
}

/* Hex number with or without 0x; *s moves past it and its spaces.  0 on error. */
static int parse_hex(const char **s, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;
	int digits = 0;

	while (*p == ' ')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (;; p++, digits++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (digits == 16)
			return 0;
		v = v << 4 | d;
	}
	while (*p == ' ' || *p == '\n')
		p++;
	*s = p;
	*out = v;
	return digits > 0;
}

/* ------------------------------------------------------------------ */

struct range {
	uint64_t addr, len;
};

static struct range ram[MAX_E820];	/* QEMU's RAM, from etc/e820 */
static uint32_t nram;
static char entry_str[32], initrd_str[64], cmdline_paddr_str[32];

static void read_e820(void)
{
	uint8_t e[20];

	if (!files[F_E820].found)
		fail("QEMU gave no etc/e820 in fw_cfg: cannot tell where RAM is");
	if (files[F_E820].size % 20 || files[F_E820].size > 20 * MAX_E820)
		fail("etc/e820 is %u bytes: not a whole number of 20-byte entries, or more than %u",
		     files[F_E820].size, MAX_E820);
	fwcfg_select(files[F_E820].select);
	for (uint32_t i = 0; i < files[F_E820].size / 20; i++) {
		fwcfg_read(e, 20);
		if ((e[16] | e[17] << 8 | e[18] << 16 | (uint32_t)e[19] << 24) != E820_RAM)
			continue;
		ram[nram].addr = le64(e);
		ram[nram].len = le64(e + 8);
		nram++;
	}
	if (!nram || ram[0].addr != 0)
		fail("QEMU's etc/e820 has no RAM at 0 (%u RAM entries)", nram);
}

static int in_ram(uint64_t addr, uint64_t len)
{
	for (uint32_t i = 0; i < nram; i++)
		if (addr >= ram[i].addr && len <= ram[i].len &&
		    addr - ram[i].addr <= ram[i].len - len)
			return 1;
	return 0;
}

/* Firecracker's memory map (configure_pvh()): three fixed entries, then its
 * RAM regions, each from max(HIMEM_START, start). */
static uint32_t build_memmap(struct zp_hvm_memmap_table_entry *mm)
{
	uint32_t n = 0;

	mm[n++] = (struct zp_hvm_memmap_table_entry){ 0, FC_SYSTEM_MEM_START, ZP_HVM_MEMMAP_RAM, 0 };
	mm[n++] = (struct zp_hvm_memmap_table_entry){ FC_SYSTEM_MEM_START, FC_SYSTEM_MEM_SIZE,
						      ZP_HVM_MEMMAP_RESERVED, 0 };
	mm[n++] = (struct zp_hvm_memmap_table_entry){ FC_PCI_MMCONFIG_START, FC_PCI_MMCONFIG_SIZE,
						      ZP_HVM_MEMMAP_RESERVED, 0 };
	for (uint32_t i = 0; i < nram; i++) {
		uint64_t start = ram[i].addr < FC_HIMEM_START ? FC_HIMEM_START : ram[i].addr;
		uint64_t end = ram[i].addr + ram[i].len;

		if (end <= start)
			continue;
		/* Firecracker's RAM never reaches into its MMIO32 gap
		 * [3 GiB, 4 GiB), where the MMCONFIG entry lies. */
		if (start < 0x100000000ull && end > FC_PCI_MMCONFIG_START)
			fail("QEMU RAM 0x%llx-0x%llx overlaps Firecracker's PCI MMCONFIG "
			     "0x%x-0x%x: not a layout Firecracker makes",
			     start, end, FC_PCI_MMCONFIG_START,
			     FC_PCI_MMCONFIG_START + FC_PCI_MMCONFIG_SIZE);
		mm[n++] = (struct zp_hvm_memmap_table_entry){ start, end - start, ZP_HVM_MEMMAP_RAM, 0 };
	}
	return n;
}

/* Firecracker's GDT at 0x500 (regs.rs configure_segments_and_sregs,
 * PvhBoot): null, code 0xc09b, data 0xc093 (base 0, limit 4 GiB), TSS base
 * 0 limit 0x67.  The TSS is written available (0x89): ltr makes it busy
 * (0x8b, what Firecracker writes).  The IDT at 0x520: one zero entry. */
static void write_gdt_idt(void)
{
	volatile uint64_t *gdt = phys(FC_BOOT_GDT);

	gdt[0] = 0;
	gdt[1] = 0x00cf9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	gdt[3] = 0x0000890000000067ull;
	*(volatile uint64_t *)phys(FC_BOOT_IDT) = 0;
}

void pvhfw_main(void)
{
	struct zp_hvm_start_info *si = phys(FC_PVH_INFO_START);
	struct zp_hvm_modlist_entry *mod = phys(FC_MODLIST_START);
	struct zp_hvm_memmap_table_entry *mm = phys(FC_MEMMAP_START);
	char *cmdline = phys(FC_CMDLINE_START);
	uint64_t entry, initrd_addr = 0, initrd_size = 0, cmdline_paddr = FC_CMDLINE_START;
	uint32_t nmm, cmdline_len = 0;
	const char *p, *where = "";

	uart_init();
	fwcfg_scan();
	read_e820();

	if (!files[F_ENTRY].found)
		fail("no fw_cfg opt/zeropage/entry: give the PVH entry, "
		     "-fw_cfg name=opt/zeropage/entry,string=0x100000");
	fwcfg_string(F_ENTRY, entry_str, sizeof(entry_str));
	p = entry_str;
	if (!parse_hex(&p, &entry) || *p || !entry || entry >= 0x100000000ull)
		fail("opt/zeropage/entry '%s' is not a 32-bit hex address", entry_str);
	if (!in_ram(entry, 4) || *(volatile uint32_t *)phys((uint32_t)entry) == 0)
		fail("nothing at the PVH entry 0x%x: did -device loader,file=IMAGE load it?",
		     (uint32_t)entry);

	if (files[F_INITRD].found) {
		fwcfg_string(F_INITRD, initrd_str, sizeof(initrd_str));
		p = initrd_str;
		if (!parse_hex(&p, &initrd_addr) || !parse_hex(&p, &initrd_size) || *p ||
		    !initrd_size)
			fail("opt/zeropage/initrd '%s' is not 'ADDR SIZE' in hex", initrd_str);
		if (!in_ram(initrd_addr, initrd_size))
			fail("initrd 0x%llx+0x%llx is not in QEMU's RAM", initrd_addr, initrd_size);
		/* Firecracker's initrd is never below 1 MiB, where the
		 * start_info, the command line and pvhfw itself are. */
		if (initrd_addr < FC_HIMEM_START)
			fail("initrd at 0x%llx is below 1 MiB", initrd_addr);
		/* initrd_load_addr(): the top of the region at 0, page aligned down. */
		if (initrd_size <= ram[0].len &&
		    initrd_addr == ((ram[0].len - initrd_size) & ~(uint64_t)(FC_GUEST_PAGE_SIZE - 1)))
			where = " (top of low RAM, where Firecracker puts it)";
		else if (initrd_addr >= 0x100000000ull)
			where = " (above 4 GiB)";
		else
			where = " (not where Firecracker puts it)";
	}

	if (files[F_CMDLINE].found)
		cmdline_len = fwcfg_string(F_CMDLINE, cmdline, FC_CMDLINE_MAX_SIZE);
	else
		cmdline[0] = 0;
	/* A command line the test already put somewhere else (above 4 GiB,
	 * with -device loader): not Firecracker's place, the PVH ABI's
	 * freedom.  We run with paging off and cannot read it: its length
	 * stays unknown here. */
	if (files[F_CMDLINE_PADDR].found) {
		fwcfg_string(F_CMDLINE_PADDR, cmdline_paddr_str, sizeof(cmdline_paddr_str));
		p = cmdline_paddr_str;
		if (!parse_hex(&p, &cmdline_paddr) || *p || !in_ram(cmdline_paddr, 1))
			fail("opt/zeropage/cmdline_paddr '%s' is not a RAM address in hex",
			     cmdline_paddr_str);
	}

	nmm = build_memmap(mm);

	memset(si, 0, sizeof(*si));
	si->magic = ZP_HVM_START_MAGIC;
	si->version = 1;
	si->cmdline_paddr = cmdline_paddr;
	si->memmap_paddr = FC_MEMMAP_START;
	si->memmap_entries = nmm;
	memset(mod, 0, sizeof(*mod));
	if (initrd_size) {
		mod->paddr = initrd_addr;
		mod->size = initrd_size;
		si->nr_modules = 1;
		si->modlist_paddr = FC_MODLIST_START;
	}
	write_gdt_idt();

	print("pvhfw: start_info v1 at 0x%x memmap %u entries at 0x%x, ", FC_PVH_INFO_START, nmm,
	      FC_MEMMAP_START);
	if (initrd_size)
		print("module 0x%llx+0x%llx%s", initrd_addr, initrd_size, where);
	else
		print("no module");
	if (cmdline_paddr != FC_CMDLINE_START)
		print(", cmdline at 0x%llx (put there by the test)", cmdline_paddr);
	else
		print(", cmdline at 0x%x (%u bytes)", FC_CMDLINE_START, cmdline_len);
	print(", entering 0x%x (32-bit)\n", (uint32_t)entry);
	pvhfw_enter((uint32_t)entry, FC_PVH_INFO_START);
}
