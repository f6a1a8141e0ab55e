/* SPDX-License-Identifier: MIT */
/*
 * probe/init.c - the probe initramfs's /init.
 *
 * A static x86-64 (or, for 32-bit kernels, i386) program with no libc: raw
 * system calls through inline asm, so that the initramfs is a few kilobytes
 * we build ourselves and the result depends on nothing but the kernel under test.  It mounts proc and
 * sysfs, prints ONE line on /dev/console and then restarts the machine
 * (QEMU runs with -no-reboot, so a restart ends QEMU):
 *
 *   ZEROPAGE-PROBE v=1 cmdline=<hex> initrd=<bytes|-1> uptime=<secs> ...
 *
 * (all on one line, the report; its format and limits are in
 * report_line.h, which tools/report/guest_report.c, its reader, includes too).
 *
 * Why restart rather than power off: reboot(POWER_OFF) falls back to
 * do_exit() when the machine has no working power-off method, and PID 1
 * exiting panics the kernel ("Attempted to kill init").  A restart never
 * returns: the kernel tries ACPI, the keyboard controller, ... and finally a
 * triple fault, which every QEMU machine (pc, q35, microvm) turns into a
 * reset, i.e. an exit under -no-reboot.  And if even that failed we loop in
 * pause() rather than exit, so the verdict is a timeout, not a fake panic.
 */
#include <stddef.h>
#include <stdint.h>

#include "report_line.h"

/* The few architecture-specific pieces: system call numbers, the
 * system call instruction and the stat layout.  The probe is built twice
 * from this one source (probe/probe.mk): x86-64 for 64-bit kernels, i386
 * for 32-bit ones, which cannot run an x86-64 program at all. */
#if defined(__x86_64__)
/* arch/x86/entry/syscalls/syscall_64.tbl */
#define SYS_read	0
#define SYS_write	1
#define SYS_open	2
#define SYS_close	3
#define SYS_fstat	5
#define SYS_ioctl	16
#define SYS_pause	34
#define SYS_mkdir	83
#define SYS_syslog	103
#define SYS_mount	165
#define SYS_reboot	169

static long sys3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static long sys5(long n, long a, long b, long c, long d, long e)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

struct kstat {			/* struct stat, x86-64 layout */
	unsigned long st_dev, st_ino, st_nlink;
	unsigned int st_mode, st_uid, st_gid, pad0;
	unsigned long st_rdev;
	long st_size, st_blksize, st_blocks;
	unsigned long times[6];
	long unused[3];
};

/* Entry: the kernel starts us with %rsp 16-byte aligned at argc. */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	and $-16, %rsp\n"
	"	call probe_main\n"
	"1:	jmp 1b\n");
#elif defined(__i386__)
/* arch/x86/entry/syscalls/syscall_32.tbl; 108 is sys_newfstat, whose
 * struct stat is the one below (the 32-bit st_size is enough: an initrd
 * a 32-bit kernel loads lies below 4 GiB). */
#define SYS_read	3
#define SYS_write	4
#define SYS_open	5
#define SYS_close	6
#define SYS_mount	21
#define SYS_pause	29
#define SYS_mkdir	39
#define SYS_ioctl	54
#define SYS_reboot	88
#define SYS_syslog	103
#define SYS_fstat	108

/* int $0x80 takes the number in %eax and the arguments in %ebx, %ecx,
 * %edx, %esi, %edi, and preserves every register but %eax. */
static long sys3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(n), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return ret;
}

static long sys5(long n, long a, long b, long c, long d, long e)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return ret;
}

struct kstat {			/* struct stat, i386 layout (sys_newfstat) */
	unsigned long st_dev, st_ino;
	unsigned short st_mode, st_nlink, st_uid, st_gid;
	unsigned long st_rdev;
	long st_size, st_blksize, st_blocks;
	unsigned long times[6];
	unsigned long unused[2];
};

/* Entry: %esp points at argc; align it for the calls below. */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	and $-16, %esp\n"
	"	call probe_main\n"
	"1:	jmp 1b\n");
#else
#error "the probe is built for x86-64 or i386 only"
#endif

#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_NOCTTY	0400
#define O_NONBLOCK	04000
#define O_DIRECTORY	0200000
#define EINTR		4
#define EAGAIN		11
#define EPIPE		32
#define TCSBRK		0x5409
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define REBOOT_MAGIC1	0xfee1dead
#define REBOOT_MAGIC2	672274793
#define REBOOT_CMD_RESTART 0x01234567

/* The compiler may emit calls to these for loops and struct copies even
 * in a freestanding build, so the program must define them itself. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}
void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

/* ------------------------------------------------------------------ */
/* The output line, built in memory and written with one write() loop so
 * the host sees it contiguous. */

#define OUT_CAP (64 * 1024)
static char out[OUT_CAP];
static size_t out_len;

static void put_ch(char c)
{
	if (out_len < OUT_CAP)
		out[out_len++] = c;
}

static void put_str(const char *s)
{
	while (*s)
		put_ch(*s++);
}

static void put_hex_bytes(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		put_ch(digits[p[i] >> 4]);
		put_ch(digits[p[i] & 15]);
	}
}

static void put_dec(long v)
{
	char tmp[24];
	int i = 0;
	unsigned long u;

	if (v < 0) {
		put_ch('-');
		u = (unsigned long)-(v + 1) + 1;
	} else {
		u = (unsigned long)v;
	}
	do {
		tmp[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (i)
		put_ch(tmp[--i]);
}

/* ------------------------------------------------------------------ */

/* Reads a whole (small) file into buf; returns bytes read or -1. */
static long read_file(const char *path, char *buf, size_t cap)
{
	long fd = sys3(SYS_open, (long)path, O_RDONLY, 0);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got < cap) {
		long r = sys3(SYS_read, fd, (long)(buf + got), (long)(cap - got));
		if (r == -EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	sys3(SYS_close, fd, 0, 0);
	return (long)got;
}

/* Trailing whitespace of sysfs/proc text (the newline) is not data. */
static size_t trim(const char *buf, size_t n)
{
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	return n;
}

static void put_trimmed_file(const char *path)
{
	char buf[128];
	long n = read_file(path, buf, sizeof(buf));
	if (n < 0)
		return;
	n = (long)trim(buf, (size_t)n);
	for (long i = 0; i < n; i++) {
		char c = buf[i];
		/* ',' separates memmap entries and ' ' the line's fields; a
		 * type may keep '-' ("ACPI Non-volatile Storage"): parsers split
		 * start-end at the first '-' and take the type after the ':' */
		if (c == ',' || c == ' ')
			c = '_';
		put_ch(c);
	}
}

/* ------------------------------------------------------------------ */
/* The initrd size.  With "retain_initrd" on the command line the kernel
 * keeps the initrd and (since 5.x, when built with it) exposes it as
 * /sys/firmware/initrd, whose size is initrd_end - initrd_start: exactly
 * the ramdisk_size it used.  If that file is missing we fall back to the
 * "RAMDISK: [mem START-END]" line the x86 setup code logs; END there is
 * rounded up to a page (END+1 - START = PAGE_ALIGN(size)), which is why
 * `zeropage initramfs` pads its archive to a multiple of 4096. */


static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses "0x..." hex at *p; advances *p.  64 bits even in the i386 build:
 * physical addresses (PAE) may lie above 4 GiB. */
static int parse_hex(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int any = 0;

	if (end - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while (s < end && hexval(*s) >= 0) {
		x = x * 16 + (uint64_t)hexval(*s++);
		any = 1;
	}
	*p = s;
	*v = x;
	return any ? 0 : -1;
}

static long initrd_from_kmsg(void)
{
	static char rec[2048];
	static const char key[] = "RAMDISK: [mem ";
	long fd = sys3(SYS_open, (long)"/dev/kmsg", O_RDONLY | O_NONBLOCK, 0);
	long size = -1;

	if (fd < 0)
		return -1;
	for (;;) {
		long n = sys3(SYS_read, fd, (long)rec, sizeof(rec) - 1);
		if (n == -EPIPE)	/* a record was overwritten; keep reading */
			continue;
		if (n <= 0)
			break;
		/* record: "prio,seq,usec,flags;message\n..." */
		const char *end = rec + n, *msg = rec;
		while (msg < end && *msg != ';')
			msg++;
		if (msg == end)
			continue;
		msg++;
		size_t kl = sizeof(key) - 1;
		if ((size_t)(end - msg) < kl)
			continue;
		size_t i;
		for (i = 0; i < kl && msg[i] == key[i]; i++)
			;
		if (i != kl)
			continue;
		const char *p = msg + kl;
		uint64_t start, last;
		if (parse_hex(&p, end, &start) || p >= end || *p++ != '-' ||
		    parse_hex(&p, end, &last) || last < start)
			continue;
		size = (long)(last + 1 - start);
		break;
	}
	sys3(SYS_close, fd, 0, 0);
	return size;
}

static long initrd_size(void)
{
	struct kstat st;
	long fd = sys3(SYS_open, (long)"/sys/firmware/initrd", O_RDONLY, 0);

	if (fd >= 0) {
		long r = sys3(SYS_fstat, fd, (long)&st, 0);
		sys3(SYS_close, fd, 0, 0);
		if (r == 0 && st.st_size > 0)
			return st.st_size;
	}
	return initrd_from_kmsg();
}

/* ------------------------------------------------------------------ */

static void put_memmap(void)
{
	char path[64];
	static const char base[] = "/sys/firmware/memmap/";
	int first = 1;

	/* one entry past the limit, for the host to refuse by name */
	for (int n = 0; n <= REPORT_LINE_MAX_MEMMAP; n++) {
		char num[12];
		int nl = 0, k = n;
		do {
			num[nl++] = (char)('0' + k % 10);
			k /= 10;
		} while (k);
		size_t bl = sizeof(base) - 1, pl = 0;
		memcpy(path, base, bl);
		pl = bl;
		while (nl)
			path[pl++] = num[--nl];
		path[pl++] = '/';
		size_t dir = pl;

		memcpy(path + dir, "start", 6);
		char probe[4];
		if (read_file(path, probe, sizeof(probe)) < 0)
			break;		/* entries are numbered 0..N-1 */
		if (!first)
			put_ch(',');
		first = 0;
		put_trimmed_file(path);
		put_ch('-');
		memcpy(path + dir, "end", 4);
		put_trimmed_file(path);
		put_ch(':');
		memcpy(path + dir, "type", 5);
		put_trimmed_file(path);
	}
}

/* ------------------------------------------------------------------ */
/* Where the kernel runs, for the KASLR tests: the physical start of its
 * text ("Kernel code" in /proc/iomem) and the virtual address of _text
 * (/proc/kallsyms).  We are PID 1 with every capability, so both files
 * show real addresses rather than the zeros unprivileged readers get. */

static void put_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;

	put_str("0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put_ch(digits[(v >> shift) & 15]);
}

/* True when [p, end) is exactly s. */
static int text_is(const char *p, const char *end, const char *s)
{
	while (p < end && *s && *p == *s)
		p++, s++;
	return p == end && !*s;
}

/* Calls fn on each line of path (without its '\n') until fn returns
 * nonzero.  Streams through a small buffer, because /proc/kallsyms is
 * megabytes; a line longer than the buffer is skipped whole. */
static void for_each_line(const char *path, int (*fn)(const char *, const char *, void *),
			  void *arg)
{
	static char buf[4096];
	long fd = sys3(SYS_open, (long)path, O_RDONLY, 0);
	size_t have = 0;
	int done = 0, skipping = 0;

	if (fd < 0)
		return;
	while (!done) {
		long r = sys3(SYS_read, fd, (long)(buf + have), (long)(sizeof(buf) - have));
		if (r == -EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		size_t start = 0;
		for (size_t i = 0; i < have && !done; i++) {
			if (buf[i] != '\n')
				continue;
			if (!skipping)
				done = fn(buf + start, buf + i, arg);
			skipping = 0;
			start = i + 1;
		}
		if (start == 0 && have == sizeof(buf)) {
			skipping = 1;	/* no newline in a full buffer */
			start = have;
		}
		for (size_t i = start; i < have; i++)	/* keep the partial line */
			buf[i - start] = buf[i];
		have -= start;
	}
	sys3(SYS_close, fd, 0, 0);
}

/* "  01000000-01e00f16 : Kernel code", indented under its System RAM. */
static int iomem_kernel_code(const char *p, const char *end, void *arg)
{
	uint64_t start, last;

	while (p < end && *p == ' ')
		p++;
	if (parse_hex(&p, end, &start) || p >= end || *p++ != '-' ||
	    parse_hex(&p, end, &last) || !text_is(p, end, " : Kernel code"))
		return 0;
	*(uint64_t *)arg = start;
	return 1;
}

/* "ffffffff81000000 T _text".  The first _text is the kernel's own (no
 * module defines one), and it comes within the first lines, so stopping
 * there spares reading the whole file. */
static int kallsyms_text(const char *p, const char *end, void *arg)
{
	uint64_t addr;

	if (parse_hex(&p, end, &addr) || end - p < 3 || p[0] != ' ' || p[2] != ' ' ||
	    !text_is(p + 3, end, "_text"))
		return 0;
	*(uint64_t *)arg = addr;
	return 1;
}

/* 0 stands for "unknown" in both fields: no kernel runs at physical or
 * virtual 0.  kernel_text is 0 also when kptr_restrict hides the values:
 * kallsyms then lists every address as 0, and kptr_restrict=2 (say
 * sysctl.kernel.kptr_restrict=2 on the command line) hides them even from
 * a PID 1 with CAP_SYSLOG. */
static void put_kernel_addrs(void)
{
	uint64_t phys = 0, text = 0;

	for_each_line("/proc/iomem", iomem_kernel_code, &phys);
	for_each_line("/proc/kallsyms", kallsyms_text, &text);
	put_str(" kernel_phys=");
	put_hex(phys);
	put_str(" kernel_text=");
	put_hex(text);
}

/* One byte past the limit besides the newline: a longer command line
 * arrives too long for the host to take, rather than cut short. */
static char cmdline[REPORT_LINE_MAX_CMDLINE + 2];
static unsigned char bootparams[REPORT_LINE_BOOTPARAMS_SIZE];

static void write_all(long fd, const char *p, size_t n)
{
	while (n) {
		long r = sys3(SYS_write, fd, (long)p, (long)n);
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r <= 0)
			return;
		p += r;
		n -= (size_t)r;
	}
}

/* True when the space-separated command line holds `word` exactly. */
static int has_word(const char *line, size_t n, const char *word)
{
	size_t wl = 0;

	while (word[wl])
		wl++;
	for (size_t i = 0; i + wl <= n; i++) {
		size_t k = 0;
		if (i && line[i - 1] != ' ')
			continue;
		while (k < wl && line[i + k] == word[k])
			k++;
		if (k == wl && (i + wl == n || line[i + wl] == ' ' || line[i + wl] == '\n'))
			return 1;
	}
	return 0;
}

/* The report through the kernel's log, for guests whose /dev/console does
 * not reach the host: a Xen dom0 kernel built without CONFIG_XEN_DOM0 (the
 * Debian cloud kernel) has no working hvc0, and only printk's boot console
 * (earlyprintk=xen, Xen's console hypercall) is heard.  A log record holds
 * under 1 KiB, so the line goes out in numbered parts at KERN_EMERG (the
 * one level the console still prints, see probe_main):
 *
 *   ZEROPAGE-PROBE-PART <i>/<n> <text>
 *
 * and the host joins parts 1..n back into the line (tools/report/guest_report.c).
 * The command line should hold printk.devkmsg=on: /dev/kmsg writers are
 * otherwise rate-limited to ten records in five seconds. */
#define KMSG_PART 700
_Static_assert((OUT_CAP + KMSG_PART - 1) / KMSG_PART <= REPORT_LINE_MAX_PARTS,
	       "the host joins at most REPORT_LINE_MAX_PARTS parts");

static void emit_via_kmsg(const char *line, size_t n)
{
	long fd = sys3(SYS_open, (long)"/dev/kmsg", O_WRONLY, 0);
	size_t parts = (n + KMSG_PART - 1) / KMSG_PART;
	char rec[KMSG_PART + 64];

	if (fd < 0)
		return;
	for (size_t i = 0; i < parts; i++) {
		size_t len = 0, take = n - i * KMSG_PART;
		const char *hdr = "<0>" REPORT_LINE_PART_PREFIX " ";
		char num[48];
		size_t nl = 0;
		unsigned long v[2] = { i + 1, parts };

		if (take > KMSG_PART)
			take = KMSG_PART;
		while (*hdr)
			rec[len++] = *hdr++;
		for (int k = 0; k < 2; k++) {	/* "<i>/<n> " */
			char tmp[24];
			int t = 0;
			do {
				tmp[t++] = (char)('0' + v[k] % 10);
				v[k] /= 10;
			} while (v[k]);
			while (t)
				num[nl++] = tmp[--t];
			num[nl++] = k ? ' ' : '/';
		}
		memcpy(rec + len, num, nl);
		len += nl;
		memcpy(rec + len, line + i * KMSG_PART, take);
		len += take;
		rec[len++] = '\n';
		sys3(SYS_write, fd, (long)rec, (long)len);
	}
	sys3(SYS_close, fd, 0, 0);
}

void probe_main(void);
void probe_main(void)
{
	long con;

	sys3(SYS_mkdir, (long)"/proc", 0555, 0);
	sys3(SYS_mkdir, (long)"/sys", 0555, 0);
	sys5(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	sys5(SYS_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0);

	/* The kernel's printk writes to the same UART as our tty writes; a
	 * message arriving mid-line would split the report.  Only emergencies
	 * (panics) may reach the console from now on. */
	sys3(SYS_syslog, SYSLOG_ACTION_CONSOLE_LEVEL, 0, 1);

	put_str("\n" REPORT_LINE_PREFIX " v=");
	put_dec(REPORT_LINE_VERSION);
	put_str(" cmdline=");
	long cmdline_n = read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	if (cmdline_n > 0)
		put_hex_bytes((const unsigned char *)cmdline, trim(cmdline, (size_t)cmdline_n));
	put_str(" initrd=");
	put_dec(initrd_size());
	put_str(" uptime=");
	{
		char up[64];
		long u = read_file("/proc/uptime", up, sizeof(up));
		long i = 0;
		if (u <= 0)
			put_str("-1");
		while (i < u && up[i] != ' ' && up[i] != '\n')
			put_ch(up[i++]);
	}
	put_str(" memmap=");
	put_memmap();
	/* efi=1 when the kernel runs on EFI (it made /sys/firmware/efi) */
	{
		long efi = sys3(SYS_open, (long)"/sys/firmware/efi", O_RDONLY | O_DIRECTORY, 0);
		put_str(efi >= 0 ? " efi=1" : " efi=0");
		if (efi >= 0)
			sys3(SYS_close, efi, 0, 0);
	}
	put_kernel_addrs();
	/* bootparams stays last: scripts take the rest of the line as it */
	put_str(" bootparams=");
	long n = read_file("/sys/kernel/boot_params/data", (char *)bootparams, sizeof(bootparams));
	if (n > 0)
		put_hex_bytes(bootparams, (size_t)n);
	put_str("\n");

	/* The kernel opened /dev/console as our fds 0-2 if it could; open it
	 * again in case it could not (no /dev/console in the rootfs). */
	con = sys3(SYS_open, (long)"/dev/console", O_WRONLY | O_NOCTTY, 0);
	if (con < 0)
		con = 1;
	write_all(con, out, out_len);
	/* tcdrain: wait until the UART has sent every byte, because the
	 * restart below would discard what is still in the tty buffer. */
	sys3(SYS_ioctl, con, TCSBRK, 1);
	if (cmdline_n > 0 && has_word(cmdline, (size_t)cmdline_n, "zeropage.probe=kmsg"))
		emit_via_kmsg(out + 1, out_len - 2);	/* without the leading and final \n */

	sys5(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_RESTART, 0, 0);
	for (;;)
		sys3(SYS_pause, 0, 0, 0);
}
