/* SPDX-License-Identifier: MIT */
/* zp_strerror: a name for every ZP_E* code. */
#include <zeropage/zeropage.h>

const char *zp_strerror(int err)
{
	switch (err) {
	case ZP_OK: return "success";
	case ZP_ETRUNCATED: return "image truncated: shorter than its headers say";
	case ZP_EUNKNOWN: return "not a kernel image we know (not a bzImage, an ELF file or a UKI)";
	case ZP_EBADMAGIC: return "bad magic number";
	case ZP_EPROTOCOL: return "unsupported boot protocol version";
	case ZP_ESETUP: return "setup_sects points past the end of the image";
	case ZP_EPAYLOAD: return "payload offset/length point past the end of the image";
	case ZP_EOVERFLOW: return "offset/size arithmetic overflows";
	case ZP_EELFCLASS: return "unsupported ELF class, encoding or machine";
	case ZP_EPHDR: return "ELF program headers malformed or past the end";
	case ZP_ESEGMENT: return "ELF segment lies past the end of the file";
	case ZP_ENOTE: return "ELF note runs past its segment";
	case ZP_ENOTESIZE: return "ELF note size wrong for its type";
	case ZP_ETOOMANY: return "too many entries";
	case ZP_ECMDLINE: return "command line longer than the kernel's cmdline_size";
	case ZP_ENOSPACE: return "buffer too small";
	case ZP_EINVAL: return "invalid argument";
	case ZP_ELAYOUT: return "placement violates the boot protocol";
	case ZP_ESTARTINFO: return "bad hvm_start_info";
	case ZP_ENOMEMMAP: return "no memory map: hvm_start_info version 0, or an empty map";
	case ZP_EBADADDR: return "address outside guest memory";
	case ZP_EENTRY: return "kernel cannot be entered this way";
	case ZP_EKINFO: return "kernel_info malformed or past the end";
	case ZP_EBUNDLE: return "malformed zeropage bundle";
	case ZP_ERELOCS: return "KASLR relocation table malformed";
	case ZP_EPESIG: return "MZ header without a PE/COFF signature where e_lfanew points";
	case ZP_EPEHDR: return "PE/COFF optional header or section count malformed";
	case ZP_EPESECTION: return "PE section's file range lies past the end of the image";
	case ZP_EPEOVERLAP: return "PE sections overlap";
	case ZP_ENOTUKI: return "a PE/COFF image, but not a UKI (no .linux section)";
	case ZP_EUKIAMBIG: return "UKI sections that systemd-stub versions would boot differently";
	}
	return "unknown error";
}
