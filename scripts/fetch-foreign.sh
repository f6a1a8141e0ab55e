#!/bin/sh
# Fetch the non-Linux images Debian ships that use the x86 boot protocol
# into the cache, as fetch-kernel.sh fetches kernels; print the directory.
#
#   fetch-foreign.sh
#
# They are images to boot, not dependencies: tests/nonlinux.sh checks what
# zeropage says and does with an image that is not Linux.  From Debian 12:
#
#   memtest86+ (6.10)  boot/memtest86+x64.bin, memtest86+ia32.bin (bzImage,
#                      protocol 2.12, not relocatable, no payload) and
#                      memtest86+x64.efi, memtest86+ia32.efi (the same with
#                      a PE header)
#   ipxe               boot/ipxe.lkrn (bzImage, protocol 2.07, code32_start 0:
#                      only its 16-bit setup starts it)
#
# The cache then holds foreign/NAME for each, and the packages themselves.
#
#   ZEROPAGE_CACHE   cache directory (default: $XDG_CACHE_HOME/zeropage or
#                    ~/.cache/zeropage)
set -eu

cache=${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}
dir=$cache/foreign
want="memtest86+x64.bin memtest86+ia32.bin memtest86+x64.efi memtest86+ia32.efi ipxe.lkrn"

have_all() {
	for f in $want; do [ -s "$dir/$f" ] || return 1; done
}
if have_all; then
	echo "$dir"
	exit 0
fi
mkdir -p "$dir"
work=$(mktemp -d "$cache/.foreign.XXXXXX")
trap 'rm -rf "$work"' EXIT
for pkg in memtest86+ ipxe; do
	deb=$(ls "$cache/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		(cd "$work" && apt-get download -q "$pkg" >&2) ||
			{ echo "fetch-foreign: cannot download $pkg (run apt-get update?)" >&2; exit 1; }
		got=$(ls "$work"/"${pkg}_"*.deb)
		mv "$got" "$cache/"
		deb="$cache/${got##*/}"
	fi
	mkdir -p "$work/x"
	dpkg-deb -x "$deb" "$work/x"
done
for f in $want; do
	[ -s "$work/x/boot/$f" ] || { echo "fetch-foreign: no boot/$f in the packages" >&2; exit 1; }
	cp "$work/x/boot/$f" "$dir/$f.tmp" && mv "$dir/$f.tmp" "$dir/$f"
done
echo "$dir"
