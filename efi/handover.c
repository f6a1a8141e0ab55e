/* SPDX-License-Identifier: MIT */
/*
 * handover.c - zeropage's own EFI loader: an EFI application (gnu-efi,
 * built for x86_64 and for ia32) that boots a bzImage by the EFI handover
 * protocol, the entry the `efi-handover` and `efi-handover-ia32` paths
 * test (tools/machine/path_efi_handover.c).
 *
 * Linux Documentation/arch/x86/boot.rst, "EFI Handover Protocol
 * (deprecated)", is the whole contract:
 *   - "The boot loader is required to load the kernel/initrd(s) from the
 *     boot media and jump to the EFI handover protocol entry point which is
 *     hdr->handover_offset bytes from the beginning of startup_{32,64}."
 *   - the entry is "efi_stub_entry(void *handle, efi_system_table_t *table,
 *     struct boot_params *bp)": our image handle, the system table, and a
 *     zero page we allocated;
 *   - "The boot loader *must* fill out the following fields in bp:
 *     hdr.cmd_line_ptr, hdr.ramdisk_image (if applicable), hdr.ramdisk_size
 *     (if applicable)";
 *   - "The boot loader MUST respect the kernel's PE/COFF metadata when it
 *     comes to section alignment, the memory footprint of the executable
 *     image beyond the size of the file itself": the protected-mode code is
 *     put at an address aligned to kernel_alignment (pref_address if it is
 *     free) with init_size bytes reserved and zeroed past the file's part.
 * boot.rst also says "All other fields should be zero", but the stub reads
 * the setup header (kernel_alignment, init_size, pref_address: where it
 * moves itself) from bp, so like every loader that uses the protocol we
 * copy the setup header into the zeroed page, then write the loader's
 * fields (zp_build_boot_params: type_of_loader 0xff, "no assigned id").
 * Boot services stay up: the stub itself reads the memory map and calls
 * ExitBootServices.
 *
 * Which entry and how much room is the core's decision
 * (zp_efi_handover_plan, lib/efi_handover.c); this file gathers the files
 * and acts.  The kernel, the initrd and the command line are files the
 * path put on our own volume: \zeropage\vmlinuz, \zeropage\initrd,
 * \zeropage\cmdline.  A kernel the protocol cannot enter from this
 * firmware is refused with the reason on the console (which QEMU's serial
 * port carries), and the machine is powered off so the run ends there.
 */
#include <efi.h>
#include <efilib.h>

#include <zeropage/zeropage.h>

#if defined(__x86_64__)
#define FIRMWARE_BITS	64
/* startup_64's handover entry takes the SysV registers (rdi, rsi, rdx),
 * whatever convention gnu-efi compiles the rest of us with. */
typedef void (__attribute__((sysv_abi)) *handover_fn)(void *, void *, void *);
#else
#define FIRMWARE_BITS	32
/* efi32_stub_entry takes its arguments on the stack (cdecl): it discards
 * the return address and pops the three words. */
typedef void (__attribute__((regparm(0))) *handover_fn)(void *, void *, void *);
#endif

#define BELOW_4G	0xffffffffull
#define PAGE_BYTES	4096u

struct loaded_file {
	void *data;
	UINTN size;
};

static void say(const char *what, const char *detail)
{
	Print(L"zeropage-handover: %a%a%a\n", what, detail ? ": " : "", detail ? detail : "");
}

/* Refusal or failure: the reason on the console, then power off, so that
 * the run ends on our message rather than in the firmware's boot menu. */
static EFI_STATUS give_up(const char *what, const char *detail, EFI_STATUS st)
{
	Print(L"zeropage-handover: error: %a%a%a\n", what, detail ? ": " : "", detail ? detail : "");
	/* the mark zeropage's host side stops the run at (loader_console.c) */
	Print(L"zeropage-handover: stopped\n");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, st, 0, NULL);
	return st;
}

static EFI_STATUS open_file(EFI_FILE_HANDLE root, CHAR16 *name, EFI_FILE_HANDLE *fh,
			    UINTN *size)
{
	EFI_FILE_INFO *info;
	EFI_STATUS st = uefi_call_wrapper(root->Open, 5, root, fh, name, EFI_FILE_MODE_READ, 0);

	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(*fh);
	if (!info)
		return EFI_DEVICE_ERROR;
	/* ia32's UINTN is 32 bits: a file it cannot address (and the +1 of
	 * read_to_pool's NUL) is refused, not truncated */
	st = info->FileSize < (UINTN)-1 ? EFI_SUCCESS : EFI_BAD_BUFFER_SIZE;
	*size = (UINTN)info->FileSize;
	FreePool(info);
	return st;
}

/* A file into pool memory (plus a NUL, for the command line). */
static EFI_STATUS read_to_pool(EFI_FILE_HANDLE root, CHAR16 *name, struct loaded_file *f)
{
	EFI_FILE_HANDLE fh;
	EFI_STATUS st = open_file(root, name, &fh, &f->size);
	UINTN got;

	if (EFI_ERROR(st))
		return st;
	f->data = AllocatePool(f->size + 1);
	if (!f->data)
		return EFI_OUT_OF_RESOURCES;
	got = f->size;
	st = uefi_call_wrapper(fh->Read, 3, fh, &got, f->data);
	uefi_call_wrapper(fh->Close, 1, fh);
	if (!EFI_ERROR(st) && got != f->size)
		st = EFI_END_OF_FILE;
	((char *)f->data)[f->size] = 0;
	return st;
}

/* Pages below max (inclusive), as the plan requires; *addr on success. */
static EFI_STATUS pages_below(UINT64 max, UINTN bytes, EFI_MEMORY_TYPE type,
			      EFI_PHYSICAL_ADDRESS *addr)
{
	*addr = max;
	return uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, type,
				 EFI_SIZE_TO_PAGES(bytes), addr);
}

/* The initrd read straight into pages below the plan's initrd_max. */
static EFI_STATUS read_initrd(EFI_FILE_HANDLE root, UINT64 max, struct loaded_file *f)
{
	EFI_PHYSICAL_ADDRESS addr;
	EFI_FILE_HANDLE fh;
	EFI_STATUS st = open_file(root, L"\\zeropage\\initrd", &fh, &f->size);
	UINTN got;

	if (st == EFI_NOT_FOUND) {	/* no initrd: none handed over */
		f->data = NULL;
		f->size = 0;
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(st))
		return st;
	st = pages_below(max, f->size ? f->size : 1, EfiLoaderData, &addr);
	if (EFI_ERROR(st))
		return st;
	f->data = (void *)(UINTN)addr;
	got = f->size;
	st = uefi_call_wrapper(fh->Read, 3, fh, &got, f->data);
	uefi_call_wrapper(fh->Close, 1, fh);
	return !EFI_ERROR(st) && got != f->size ? EFI_END_OF_FILE : st;
}

/* The protected-mode code where the header asks (boot.rst, "the kernel's
 * PE/COFF metadata ... the memory footprint ... beyond the size of the file
 * itself"): pref_address when it is free, else the lowest-risk choice, any
 * pages below 4 GiB rounded up to kernel_alignment; plan->room bytes
 * reserved, the file's part copied, the rest zeroed (the stub's .bss).
 * EfiLoaderCode: the code runs there before the kernel owns the page
 * tables, and firmware may map loader data non-executable. */
static EFI_STATUS place_kernel(const struct zp_bzimage *bz, const struct zp_handover_plan *plan,
			       UINT64 *base)
{
	UINT64 align = plan->align >= PAGE_BYTES ? plan->align : PAGE_BYTES;
	EFI_PHYSICAL_ADDRESS addr = plan->pref_address;
	EFI_STATUS st = EFI_NOT_FOUND;

	if (plan->pref_address && !(plan->pref_address & (align - 1)) &&
	    plan->pref_address + plan->room <= BELOW_4G)
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderCode,
				       EFI_SIZE_TO_PAGES(plan->room), &addr);
	if (EFI_ERROR(st)) {
		st = pages_below(BELOW_4G, (UINTN)(plan->room + align), EfiLoaderCode, &addr);
		if (EFI_ERROR(st))
			return st;
		addr = (addr + align - 1) & ~(align - 1);
	}
	CopyMem((void *)(UINTN)addr, (void *)(bz->image + bz->pm_offset), bz->pm_size);
	SetMem((void *)(UINTN)(addr + bz->pm_size), (UINTN)(plan->room - bz->pm_size), 0);
	*base = addr;
	return EFI_SUCCESS;
}

/* The command line as the file holds it, less a trailing newline, copied
 * below 4 GiB (cmd_line_ptr is 32 bits). */
static EFI_STATUS place_cmdline(struct loaded_file *f, char **out)
{
	EFI_PHYSICAL_ADDRESS addr;
	char *s = f->data;
	UINTN n = f->size;
	EFI_STATUS st;

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	st = pages_below(BELOW_4G, n + 1, EfiLoaderData, &addr);
	if (EFI_ERROR(st))
		return st;
	*out = (char *)(UINTN)addr;
	CopyMem(*out, s, n);
	(*out)[n] = 0;
	return EFI_SUCCESS;
}

struct boot_files {
	struct loaded_file kernel, initrd, cmdline;
	struct zp_bzimage bz;
	struct zp_handover_plan plan;
};

/* The kernel read and judged, the initrd and command line read. */
static EFI_STATUS gather(EFI_HANDLE image, struct boot_files *b)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root;
	struct zp_diag diag;
	EFI_STATUS st;
	int r;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st) || !(root = LibOpenRoot(li->DeviceHandle)))
		return give_up("cannot open our own volume", NULL, EFI_ERROR(st) ? st : EFI_NOT_FOUND);
	if (EFI_ERROR((st = read_to_pool(root, L"\\zeropage\\vmlinuz", &b->kernel))))
		return give_up("cannot read \\zeropage\\vmlinuz", NULL, st);
	r = zp_probe_bzimage(b->kernel.data, b->kernel.size, &b->bz);
	if (r)
		return give_up("refusing the kernel", zp_strerror(r), EFI_LOAD_ERROR);
	r = zp_efi_handover_plan(&b->bz, FIRMWARE_BITS, &b->plan, &diag);
	if (r)
		return give_up("refusing the kernel", diag.msg, EFI_UNSUPPORTED);
	if (EFI_ERROR((st = read_to_pool(root, L"\\zeropage\\cmdline", &b->cmdline))))
		return give_up("cannot read \\zeropage\\cmdline", NULL, st);
	if (EFI_ERROR((st = read_initrd(root, b->plan.initrd_max, &b->initrd))))
		return give_up("cannot read \\zeropage\\initrd", NULL, st);
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static struct boot_files b;
	struct zp_boot_config cfg = { 0 };
	EFI_PHYSICAL_ADDRESS bp_addr;
	struct zp_diag diag;
	UINT64 base;
	char *cmdline;
	EFI_STATUS st;
	int r;

	InitializeLib(image, systab);
	say(FIRMWARE_BITS == 64 ? "x64 firmware, 64-bit handover" :
	    "ia32 firmware, 32-bit handover", NULL);
	if (EFI_ERROR((st = gather(image, &b))))
		return st;
	if (EFI_ERROR((st = place_cmdline(&b.cmdline, &cmdline))) ||
	    EFI_ERROR((st = place_kernel(&b.bz, &b.plan, &base))) ||
	    EFI_ERROR((st = pages_below(BELOW_4G, sizeof(struct zp_boot_params), EfiLoaderData,
				       &bp_addr))))
		return give_up("out of memory placing the kernel", NULL, st);
	cfg.cmdline = cmdline;
	cfg.cmdline_addr = (UINTN)cmdline;
	cfg.initrd_addr = (UINTN)b.initrd.data;
	cfg.initrd_size = b.initrd.size;
	cfg.kernel_addr = base;
	cfg.type_of_loader = ZP_LOADER_UNDEFINED;
	r = zp_build_boot_params(&b.bz, &cfg, (struct zp_boot_params *)(UINTN)bp_addr, NULL, &diag);
	if (r)
		return give_up("cannot build the zero page", diag.msg, EFI_INVALID_PARAMETER);
	Print(L"zeropage-handover: kernel at 0x%lx, entering 0x%lx\n", base,
	      base + b.plan.entry_offset);
	((handover_fn)(UINTN)(base + b.plan.entry_offset))(image, systab, (void *)(UINTN)bp_addr);
	return give_up("the kernel's handover entry returned", NULL, EFI_LOAD_ERROR);
}
