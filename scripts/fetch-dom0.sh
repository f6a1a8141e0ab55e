#!/bin/sh
# Fetch a dom0 kernel for the xen-domu machine into the cache: Debian's
# generic amd64 kernel (linux-image-amd64; the cloud flavour that
# fetch-kernel.sh fetches is built without CONFIG_XEN_DOM0 and cannot run
# xenstored), as vmlinuz-VERSION, and its Xen modules as
# modules-VERSION/kernel/drivers/xen/..., the layout zeropage reads
# (tools/machine/xen_domu.h).  Prints the kernel's path.
#
#   ZEROPAGE_CACHE   cache directory (default: $XDG_CACHE_HOME/zeropage or
#                    ~/.cache/zeropage)
set -eu

cache=${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}
mkdir -p "$cache"

meta=linux-image-amd64
pkg=$(apt-cache depends "$meta" 2>/dev/null |
      sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
    echo "fetch-dom0: cannot resolve $meta (run apt-get update?)" >&2
    exit 1
fi
ver=${pkg#linux-image-}
out="$cache/vmlinuz-$ver"
mods="$cache/modules-$ver"

if [ ! -s "$out" ] || [ ! -d "$mods/kernel/drivers/xen" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && apt-get download -q "$pkg" >&2)
    deb=$(ls "$work"/*.deb)
    dpkg-deb --fsys-tarfile "$deb" |
        tar -x -C "$work" "./boot/vmlinuz-$ver" "./lib/modules/$ver/kernel/drivers/xen"
    rm -rf "$mods.tmp"
    mkdir -p "$mods.tmp/kernel/drivers"
    mv "$work/lib/modules/$ver/kernel/drivers/xen" "$mods.tmp/kernel/drivers/"
    rm -rf "$mods"
    mv "$mods.tmp" "$mods"
    mv "$work/boot/vmlinuz-$ver" "$out.tmp"
    mv "$out.tmp" "$out"
fi
echo "$out"
