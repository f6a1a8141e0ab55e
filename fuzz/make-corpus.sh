#!/bin/bash
# Regenerates the committed seed corpora, fuzz/corpus/<target>/.
#
#   fuzz/make-corpus.sh [KERNEL]
#
# Seeds are small on purpose (the whole set stays under ~200 KiB): libFuzzer
# mutates small inputs fastest, and each seed only has to reach one parser
# path that random bytes would not (valid magics, consistent offsets).
# KERNEL (default: the cached Debian cloud kernel, if any) contributes its
# real setup header and its real Xen ELF notes; without it only the
# synthetic seeds are made.  Needs gzip bzip2 xz lzop lz4 zstd objcopy.
set -euo pipefail
cd "$(dirname "$0")"
kernel=${1:-${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}/vmlinuz-cloud}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# le VALUE BYTES: VALUE as little-endian hex digits.
le() { local v=$1 n=$2 i s=; for ((i = 0; i < n; i++)); do s+=$(printf %02x $(((v >> (8 * i)) & 255))); done; printf %s "$s"; }
bin() { printf "$(printf %s "$1" | sed 's/../\\x&/g')"; }	# hex digits -> bytes
pad4() { local h=$1; while (((${#h} / 2) % 4)); do h+=00; done; printf %s "$h"; }
hexof() { od -An -v -tx1 "$1" | tr -d ' \n'; }
# poke FILE OFFSET HEX: overwrite bytes in place.
poke() { bin "$3" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none; }
rd32() { od -An -tu4 -j $(($2)) -N4 "$1" | tr -d ' '; }
# cut FILE OFFSET LEN: LEN bytes from OFFSET (no pipe to SIGPIPE under pipefail).
cut() { dd if="$1" bs=64K iflag=skip_bytes,count_bytes skip=$(($2)) count=$(($3)) status=none; }
rd8() { od -An -tu1 -j $(($2)) -N1 "$1" | tr -d ' '; }

rm -rf corpus
mkdir -p corpus/bzimage corpus/elf corpus/start_info corpus/decompress

# --- payloads: one per compressor, in the kernel's format (stream + le32 size).
# Small dictionaries and blocks: the decoder allocates what the header asks
# for, and a 64 MiB xz dictionary per input would cost most of the fuzzer's time.
seq 1 250 | sed 's/^/vmlinux text line /' >"$tmp/plain"
size=$(stat -c %s "$tmp/plain")
comps=(gzip bzip2 lzma xz lzo lz4 zstd)
compress() {
	case $1 in
	gzip) gzip -n -9 -c ;;
	bzip2) bzip2 -1 -c ;;
	lzma) xz --format=lzma --lzma1=preset=9,dict=64KiB -c ;;
	xz) xz --check=crc32 --lzma2=preset=9,dict=64KiB -c ;;
	lzo) lzop -9 -c ;;
	lz4) lz4 -l -9 -c ;;
	zstd) zstd -q -19 -c ;;
	esac <"$tmp/plain"
	# gzip's ISIZE already is the size; the others get size_append's.
	[ "$1" = gzip ] || bin "$(le "$size" 4)"
}
for i in "${!comps[@]}"; do
	c=${comps[$i]}
	compress "$c" >"$tmp/payload.$c"
	# byte 0 selects the compressor: ZP_COMP_GZIP + byte % 7
	{ bin "$(le "$i" 1)"; cat "$tmp/payload.$c"; } >corpus/decompress/$c
done

# --- bzImages: synthetic, one protocol version per compressor
# bzimage FILE VERSION PAYLOAD: 1 setup sector, payload at pm offset 0x40,
# and for 2.15 a kernel_info after it.
bzimage() {
	local f=$1 ver=$2 pl=$3 plen pm=1024 ki
	plen=$(stat -c %s "$pl")
	ki=$(((0x40 + plen + 15) / 16 * 16))
	head -c $((pm + ki + 16)) /dev/zero >"$f"
	poke "$f" 0x1f1 01
	poke "$f" 0x1f4 "$(le $(((ki + 16 + 15) / 16)) 4)"
	poke "$f" 0x1fe 55aa
	poke "$f" 0x200 eb6a				# jump over the whole header to 0x26c
	poke "$f" 0x202 "$(hexof <(printf HdrS))$(le "$ver" 2)"
	poke "$f" 0x20e "$(le 0x100 2)"			# kernel_version: string at 0x300
	poke "$f" 0x300 "$(hexof <(printf '6.1.0-seed (fuzz)\0'))"
	poke "$f" 0x211 01				# LOADED_HIGH
	poke "$f" 0x214 "$(le 0x100000 4)"
	poke "$f" 0x22c "$(le 0x7fffffff 4)"
	((ver >= 0x0205)) && poke "$f" 0x230 "$(le 0x200000 4)01"	# align, relocatable
	((ver >= 0x0206)) && poke "$f" 0x238 "$(le 2048 4)"
	((ver >= 0x020a)) && poke "$f" 0x235 15		# min_alignment
	((ver >= 0x020c)) && poke "$f" 0x236 "$(le 0x0b 2)"	# 64, above 4G, EFI64
	if ((ver >= 0x0208)); then
		poke "$f" 0x248 "$(le 0x40 4)$(le "$plen" 4)"
		poke "$f" $((pm + 0x40)) "$(hexof "$pl")"
	fi
	((ver >= 0x020a)) && poke "$f" 0x258 "$(le 0x1000000 8)$(le 0x2000000 4)"
	((ver >= 0x020b)) && poke "$f" 0x264 "$(le 0x190 4)"	# handover_offset
	if ((ver >= 0x020f)); then
		poke "$f" 0x268 "$(le "$ki" 4)"
		poke "$f" $((pm + ki)) "$(hexof <(printf LToP))$(le 16 4)$(le 16 4)$(le 9 4)"
	fi
	return 0
}
vers=(0x0200 0x0206 0x0208 0x020a 0x020c 0x020d 0x020f)
for i in "${!comps[@]}"; do
	bzimage "corpus/bzimage/v${vers[$i]#0x}-${comps[$i]}" "${vers[$i]}" "$tmp/payload.${comps[$i]}"
done
# The two compressors above that landed before 2.08 (no payload field) again at 2.15.
for c in gzip bzip2; do bzimage corpus/bzimage/v020f-$c 0x020f "$tmp/payload.$c"; done

# --- ELF: a PVH-capable kernel shape, 64- and 32-bit
note() {	# note NAME TYPE DESC_HEX
	local name; name=$(hexof <(printf '%s\0' "$1"))
	printf %s "$(le $((${#name} / 2)) 4)$(le $((${#3} / 2)) 4)$(le "$2" 4)$(pad4 "$name")$(pad4 "$3")"
}
str() { hexof <(printf '%s\0' "$1"); }
xen_notes() {	# xen_notes WORDSIZE
	note Xen 6 "$(str linux)"
	note Xen 5 "$(str xen-3.0)"
	note Xen 8 "$(str generic)"
	note Xen 1 "$(le 0xffffffff81000000 "$1")"
	note Xen 2 "$(le 0xffffffff81001000 "$1")"
	note Xen 10 "$(str '!writable_page_tables')"
	note Xen 18 "$(le 0x1000000 4)"
	note GNU 3 "$(le 0x0123456789abcdef 8)$(le 0x76543210 4)"
}
# elf FILE CLASS NOTES_HEX: ehdr, 2 phdrs (PT_LOAD, PT_NOTE), notes, text.
elf() {
	local f=$1 cls=$2 notes=$3 eh ph nlen=$((${#3} / 2)) noff text=f4f4f4f4
	if ((cls == 64)); then
		eh=64 ph=56
		noff=$((eh + 2 * ph))
		{
			bin "7f454c46020101$(le 0 9)$(le 2 2)$(le 62 2)$(le 1 4)$(le 0x1000000 8)$(le $eh 8)$(le 0 8)$(le 0 4)$(le $eh 2)$(le $ph 2)$(le 2 2)$(le 64 2)$(le 0 4)"
			bin "$(le 1 4)$(le 5 4)$(le 0 8)$(le 0xffffffff81000000 8)$(le 0x1000000 8)$(le $((noff + nlen + 4)) 8)$(le 0x2000 8)$(le 0x200000 8)"
			bin "$(le 4 4)$(le 4 4)$(le $noff 8)$(le 0 8)$(le 0 8)$(le $nlen 8)$(le $nlen 8)$(le 4 8)"
		} >"$f"
	else
		eh=52 ph=32
		noff=$((eh + 2 * ph))
		{
			bin "7f454c46010101$(le 0 9)$(le 2 2)$(le 3 2)$(le 1 4)$(le 0x1000000 4)$(le $eh 4)$(le 0 4)$(le 0 4)$(le $eh 2)$(le $ph 2)$(le 2 2)$(le 40 2)$(le 0 4)"
			bin "$(le 1 4)$(le 0 4)$(le 0xc1000000 4)$(le 0x1000000 4)$(le $((noff + nlen + 4)) 4)$(le 0x2000 4)$(le 5 4)$(le 0x1000 4)"
			bin "$(le 4 4)$(le $noff 4)$(le 0 4)$(le 0 4)$(le $nlen 4)$(le $nlen 4)$(le 4 4)$(le 4 4)"
		} >"$f"
	fi
	bin "$notes$text" >>"$f"
}
elf corpus/elf/pvh64 64 "$(xen_notes 8)"
elf corpus/elf/pvh32 32 "$(xen_notes 4)"
elf corpus/elf/plain64 64 "$(note GNU 3 "$(le 0x1122334455667788 8)")"

# --- start_info: [options][si offset/8] then guest memory at 0x1000
W=0x1000
si() {	# si VERSION NR_MODULES CMDLINE_OFF MEMMAP_ENTRIES -> 0x38 bytes at W
	printf %s "$(le 0x336ec578 4)$(le "$1" 4)$(le 0 4)$(le "$2" 4)$(le $((W + 0x40)) 8)"
	printf %s "$(le $(($3 ? W + $3 : 0)) 8)$(le 0 8)$(le $(($4 ? W + 0x80 : 0)) 8)$(le "$4" 4)$(le 0 4)"
}
mod() { printf %s "$(le $((W + 0x60)) 8)$(le 0x20 8)$(le 0 8)$(le 0 8)"; }	# 0x40..0x60
memmap() {	# N entries at 0x80: low RAM, then alternating RAM/reserved above 1 MiB
	local i
	printf %s "$(le 0 8)$(le 0x9fc00 8)$(le 1 4)$(le 0 4)"
	for ((i = 1; i < $1; i++)); do
		printf %s "$(le $((0x100000 * i)) 8)$(le 0x100000 8)$(le $((1 + i % 2)) 4)$(le 0 4)"
	done
}
start_info() {	# start_info FILE OPTS VERSION MEMMAP_N CMDLINE
	local f=$1 body tail
	body=$(si "$3" 1 $((0x80 + 24 * $4)) "$4")
	body+=$(le 0 8)$(mod)		# pad to 0x40, the module list entry
	body+=$(le 0x5a5a5a5a 32)		# the module's bytes, 0x60..0x80
	[ "$4" -gt 0 ] && body+=$(memmap "$4")
	tail=$(str "$5")
	bin "$(le "$2" 1)00$body$tail" >"$f"
}
start_info corpus/start_info/v1-native 0x00 1 3 "console=ttyS0 root=/dev/vda1"
start_info corpus/start_info/v1-subarch-xen 0x0b 1 3 "console=hvc0"
start_info corpus/start_info/v1-e820-ext 0x01 1 200 "quiet"
start_info corpus/start_info/v0 0x00 0 0 "console=ttyS0"
start_info corpus/start_info/v1-long-cmdline-old 0x44 1 4 "$(printf 'x%.0s' $(seq 300))"
# Xen's PVH dom0: a v0 start_info at 0x80 (byte 1 = 0x10) and before it the
# XENMEM_memory_map result, 3 packed 20-byte entries; subarch handoff on Xen.
hv=$(le 0 8)$(le 0x9fc00 8)$(le 1 4)$(le 0x100000 8)$(le 0x3ff00000 8)$(le 1 4)
hv+=$(le 0xfee00000 8)$(le 0x1000 8)$(le 2 4)$(le 0 68)
hv+="$(le 0x336ec578 4)$(le 0 4)$(le 0 4)$(le 0 4)$(le 0 8)$(le $((W + 0xb0)) 8)$(le 0 8)$(le 0 8)"
bin "$(le 0x03 1)$(le 0x10 1)$hv$(str "console=hvc0")" >corpus/start_info/v0-xen-hv-map

# --- PE/COFF: UKI-shaped images around a bzImage seed, and broken ones
# pe FILE "NAME DATAFILE"...: a PE32+ x86-64 EFI application, headers up to
# 0x400, each section placed as ukify places one (after the previous, file
# data at the next 0x200, RVA at the next 0x1000, VirtualSize its length).
pe() {
	local f=$1 n=$(($# - 1)) off=0x400 va=0x1000 i=0 name file len raw
	shift
	head -c 1024 /dev/zero >"$f"
	poke "$f" 0 4d5a
	poke "$f" 0x3c "$(le 0x80 4)"
	poke "$f" 0x80 "50450000$(le 0x8664 2)$(le "$n" 2)$(le 0 12)$(le 240 2)$(le 0x206 2)"
	poke "$f" 0x98 "$(le 0x20b 2)0000$(le 0 12)$(le 0x1000 4)$(le 0 4)$(le 0 8)"	# magic .. ImageBase
	poke "$f" 0xb8 "$(le 0x1000 4)$(le 0x200 4)"			# Section/FileAlignment
	poke "$f" 0xd4 "$(le 0x400 4)$(le 0 4)$(le 10 2)"		# SizeOfHeaders, CheckSum, EFI app
	poke "$f" 0x104 "$(le 16 4)"					# 16 data directories
	for s in "$@"; do
		name=${s%% *} file=${s#* }
		len=$(stat -c %s "$file") raw=$(((len + 0x1ff) / 0x200 * 0x200))
		poke "$f" $((0x188 + 40 * i)) "$(hexof <(printf '%s' "$name"; head -c $((8 - ${#name})) /dev/zero))$(le "$len" 4)$(le $((va)) 4)$(le "$raw" 4)$(le $((off)) 4)$(le 0 12)$(le 0x40000040 4)"
		head -c $((off - $(stat -c %s "$f"))) /dev/zero >>"$f"
		cat "$file" >>"$f"
		head -c $((raw - len)) /dev/zero >>"$f"
		off=$((off + raw)) va=$(((va + len + 0xfff) / 0x1000 * 0x1000)) i=$((i + 1))
	done
	poke "$f" 0xd0 "$(le "$va" 4)"					# SizeOfImage
}
mkdir -p corpus/pe
printf 'NAME="Seed Linux"\nID=seed\nVERSION_ID=1\n' >"$tmp/osrel"
printf 'console=ttyS0 quiet\n' >"$tmp/cmdline"
printf '6.1.0-seed\n' >"$tmp/uname"
printf '070701 not really a cpio' >"$tmp/initrd"
printf '\xc3' >"$tmp/text"
printf 'sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n' >"$tmp/sbat"
printf 'ID=profile-a\n' >"$tmp/profile"
linux=corpus/bzimage/v020f-gzip
pe corpus/pe/uki ".text $tmp/text" ".osrel $tmp/osrel" ".cmdline $tmp/cmdline" \
	".uname $tmp/uname" ".initrd $tmp/initrd" ".linux $linux" ".sbat $tmp/sbat"
pe corpus/pe/uki-profiles ".cmdline $tmp/cmdline" ".linux $linux" ".profile $tmp/profile" \
	".cmdline $tmp/uname"
pe corpus/pe/not-a-uki ".text $tmp/text" ".sbat $tmp/sbat" ".osrel $tmp/osrel"
# systemd-stub <= v256 takes the last name starting .initrd, >= v257 the
# first .initrd (and profile 0's .cmdline): zp_uki_parts refuses both
pe corpus/pe/uki-initrd-prefix ".initrd $tmp/initrd" ".linux $linux" ".initrdX $tmp/cmdline"
pe corpus/pe/uki-two-profiles ".cmdline $tmp/cmdline" ".linux $linux" ".profile $tmp/profile" \
	".cmdline $tmp/uname" ".profile $tmp/profile" ".cmdline $tmp/osrel"
cp corpus/pe/uki corpus/pe/section-past-end	# the file cut inside its last section
truncate -s -300 corpus/pe/section-past-end
cp corpus/pe/uki corpus/pe/sections-overlap	# .uname's data inside .cmdline's
poke corpus/pe/sections-overlap $((0x188 + 40 * 3 + 20)) \
	"$(le $(($(rd32 corpus/pe/uki $((0x188 + 40 * 2 + 20))) + 8)) 4)"

# --- kernel packages: tiny .debs (dpkg-deb: gzip, xz, zstd, none) in both
# layouts, one with two kernels, and an RPM (rpmbuild, gzip payload) when
# rpmbuild is there; the kernels are stand-in bytes (the reader never
# parses them).
mkdir -p corpus/kernel_package
mkpkgtree() {	# DIR PATH...: each PATH a small file
	local d=$1; shift
	mkdir -p "$d/DEBIAN"
	printf 'Package: zp-seed\nVersion: 1\nArchitecture: all\nMaintainer: zeropage\nDescription: seed\n' >"$d/DEBIAN/control"
	for f in "$@"; do mkdir -p "$d/$(dirname "$f")"; printf 'kernel %s\n' "$f" >"$d/$f"; done
}
mkpkgtree "$tmp/p1" boot/vmlinuz-1.0 lib/modules/1.0/kernel/drivers/xen/xenfs.ko
mkpkgtree "$tmp/p2" usr/lib/modules/1.0/vmlinuz
mkpkgtree "$tmp/p3" boot/vmlinuz-1.0 boot/vmlinuz-2.0
for z in gzip xz zstd none; do
	dpkg-deb -Z$z --root-owner-group -b "$tmp/p1" corpus/kernel_package/boot-$z.deb >/dev/null
done
dpkg-deb -Zgzip --root-owner-group -b "$tmp/p2" corpus/kernel_package/usr-lib-modules.deb >/dev/null
dpkg-deb -Zgzip --root-owner-group -b "$tmp/p3" corpus/kernel_package/two-kernels.deb >/dev/null
if command -v rpmbuild >/dev/null; then
	printf kernel >"$tmp/k"
	printf '%s\n' 'Name: zp-seed' 'Version: 1' 'Release: 1' 'Summary: seed' 'License: MIT' \
		'BuildArch: noarch' '%description' 'seed' '%install' \
		'mkdir -p %{buildroot}/lib/modules/1.0' 'cp %{_sourcedir}/k %{buildroot}/lib/modules/1.0/vmlinuz' \
		'%files' '/lib/modules/1.0/vmlinuz' >"$tmp/seed.spec"
	rpmbuild -bb --nodeps --quiet --define "_topdir $tmp/rpm" --define "_sourcedir $tmp" \
		--define '_binary_payload w1.gzdio' --define '__spec_install_post %{nil}' \
		--define 'debug_package %{nil}' "$tmp/seed.spec" >/dev/null 2>&1
	cp "$tmp"/rpm/RPMS/noarch/*.rpm corpus/kernel_package/lib-modules.rpm
	# regress: an uncompressed payload whose first cpio member declares a
	# name of 0xAAAAAAAA bytes (libarchive mallocs it before reading).
	rpmbuild -bb --nodeps --quiet --define "_topdir $tmp/rpmu" --define "_sourcedir $tmp" \
		--define '_binary_payload w.ufdio' --define '__spec_install_post %{nil}' \
		--define 'debug_package %{nil}' "$tmp/seed.spec" >/dev/null 2>&1
	f=corpus/kernel_package/regress-cpio-name-size-aaaaaaaa.rpm
	cp "$tmp"/rpmu/RPMS/noarch/*.rpm "$f"
	at=$(grep -boa -m1 070701 "$f")
	poke "$f" $((${at%%:*} + 94)) "$(hexof <(printf AAAAAAAA))"
fi
# regress: a .deb whose second ar member is a GNU name table ("//")
# declaring 999999999 bytes (libarchive mallocs it before reading).
{ printf '!<arch>\n%-16s%-12s%-6s%-6s%-8s%-10s`\n2.0\n' debian-binary 0 0 0 100644 4
  printf '%-16s%-12s%-6s%-6s%-8s%-10s`\ndata.tar.gz/\n' // 0 0 0 100644 999999999
} >corpus/kernel_package/regress-ar-name-table-huge.deb

# --- from the real kernel, when we have it
if [ -s "$kernel" ]; then
	sects=$(rd8 "$kernel" 0x1f1)
	pm=$(((sects + 1) * 512))
	poff=$(rd32 "$kernel" 0x248) plen=$(rd32 "$kernel" 0x24c)
	head -c 8192 "$kernel" >corpus/bzimage/real-truncated
	# Its real setup code and header with a small payload of its own kind.
	f=corpus/bzimage/real-small
	head -c $((pm + poff)) "$kernel" >"$f"
	cut "$kernel" $((pm + poff)) "$plen" >"$tmp/realpayload"
	cat "$tmp/payload.lz4" >>"$f"
	new=$(stat -c %s "$tmp/payload.lz4")
	poke "$f" 0x24c "$(le "$new" 4)"
	kio=$(rd32 "$kernel" 0x268)
	if ((kio)); then	# move kernel_info (2.15) right after the payload
		kisz=$(rd32 "$kernel" $((pm + kio + 8)))
		at=$(((poff + new + 15) / 16 * 16))
		head -c $((pm + at - $(stat -c %s "$f"))) /dev/zero >>"$f"
		cut "$kernel" $((pm + kio)) "$kisz" >>"$f"
		poke "$f" 0x268 "$(le "$at" 4)"
	fi
	poke "$f" 0x1f4 "$(le $((($(stat -c %s "$f") - pm + 15) / 16)) 4)"
	# The real payload's first 4 KiB (truncated) and its real Xen notes.
	{ bin 05; head -c 4096 "$tmp/realpayload"; } >corpus/decompress/real-lz4-truncated
	if lz4 -dc <(cut "$tmp/realpayload" 0 $((plen - 4))) >"$tmp/vmlinux" 2>/dev/null &&
		objcopy -O binary -j .notes "$tmp/vmlinux" "$tmp/notes" 2>/dev/null; then
		head -c 4096 "$tmp/vmlinux" >corpus/elf/real-vmlinux-head
		elf corpus/elf/real-notes64 64 "$(hexof "$tmp/notes")"
	fi
else
	echo "make-corpus: no kernel at $kernel; synthetic seeds only" >&2
fi

# console: a probe line of its own, and one in kernel-log parts between
# Xen's lines, ending in a Xen panic.
mkdir -p corpus/console
printf 'ZEROPAGE-PROBE v=1 cmdline=41 initrd=12288 uptime=1.0 memmap=0x0-0x9fbff:System_RAM efi=1 bootparams=\r\n' \
	>corpus/console/line
printf '%s\n' '(XEN) Xen version 4.17' \
	'[    9.6] ZEROPAGE-PROBE-PART 1/2 ZEROPAGE-PROBE v=1 cmdline=41 initrd=-1 ' \
	'(XEN) d0v0 x' '[    9.7] ZEROPAGE-PROBE-PART 2/2 uptime=2 memmap= bootparams=' \
	'(XEN) ****' '(XEN) Panic on CPU 0:' '(XEN) Could not construct domain 0' \
	>corpus/console/xen-parts
# machine xen-domu: Xen's, dom0's, xl's and two domUs' lines, the first
# with its probe line, the second crashed (its "(d2)" line to Xen)
printf '%s\r\n' '(XEN) Xen version 4.17' 'zp-dom0: toolstack up (at 15.2 s)' \
	'zp-dom0: d1: xl create (at 15.3 s)' 'zp-d1: [    0.0] Linux version 6.1' \
	'zp-d1: ZEROPAGE-PROBE v=1 cmdline=41 initrd=12288 uptime=1.0 memmap= efi=0 bootparams=' \
	'zp-xl: Domain 1 has shut down, reason code 1 0x1' 'zp-dom0: d1: done (at 57.9 s)' \
	'(d2) zeropage-shim: entry 64' 'zp-xl: xc: error: panic: xg_dom_core.c:536: too large' \
	'zp-dom0: error: d2 crashed' >corpus/console/xen-domu
# found by this target: a part number at the very end of the transcript
printf '\r\r+\r\r\342(R(9.6] ZEROPAGE-PROBE-PART 1' >corpus/console/unterminated-part-number
# a boot loader's and a firmware's stop, with their error lines (GRUB's
# doubled and wrapped in escape sequences, OVMF's with a device path)
printf '\033[0m\033[37m\033[40mzeropage: GRUB loading the kernel\n\r\n\rerror: out of memory.\n\rerror: out of memory.\n\rerror: you need to load the kernel first.\n\r\033[?25h\rgrub>grub>  ' \
	>corpus/console/grub-prompt
printf 'BdsDxe: failed to load Boot0001 "UEFI QEMU HARDDISK QM00001 " from PciRoot(0x0)/Pci(0x1,0x1)/Ata(Primary,Master,0x0): Unsupported\r\n\033[2J\033[01;01HUEFI Interactive Shell v2.2\r\n' \
	>corpus/console/ovmf-shell


# html: a reason that closes the table and opens a script, quotes, ESC and
# BEL, bytes that are not UTF-8 (a lone 0xff, an overlong '<'), a C1 CSI
mkdir -p corpus/html
printf '</td><script>alert("x")</script> it'"'"'s & \033[31m\007 \377\300\274 \302\233 caf\303\251\n' \
	>corpus/html/hostile
# bundle and shim_plan: the two targets write their own seeds (ZP_FUZZ_SEEDS,
# see their headers): bundles by the real writer around synthetic kernels,
# one with the built shim, then each bundle as a PVH loader leaves it in
# guest memory with a QEMU- and a Xen-like start_info.  FUZZ_BUILD is the
# make BUILD directory (relative to fuzz/, default ../build), after
# `make fuzz-build`.
fb=${FUZZ_BUILD:-../build}
if [ -x "$fb/fuzz/fuzz_bundle" ] && [ -x "$fb/fuzz/fuzz_shim_plan" ] && [ -s "$fb/zeropage-shim.elf" ]; then
	mkdir -p corpus/bundle corpus/shim_plan
	ZP_FUZZ_SEEDS=corpus/bundle "$fb/fuzz/fuzz_bundle" "$fb/zeropage-shim.elf"
	ZP_FUZZ_SEEDS=corpus/shim_plan "$fb/fuzz/fuzz_shim_plan" corpus/bundle/*
else
	echo "make-corpus: no $fb/fuzz/fuzz_bundle, fuzz_shim_plan or zeropage-shim.elf" \
		"(make fuzz-build); no bundle or shim_plan seeds" >&2
fi
du -sh corpus
