#!/bin/sh
# Fetch the current Debian cloud kernel into a cache outside git.
#
# The name of the current image package is resolved through the
# linux-image-cloud-amd64 metapackage, so this keeps working when Debian
# moves to a new ABI number.  Prints the path of the cached bzImage.
#
#   ZEROPAGE_CACHE   cache directory (default: $XDG_CACHE_HOME/zeropage or
#                    ~/.cache/zeropage)
set -eu

cache=${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}
mkdir -p "$cache"

meta=linux-image-cloud-amd64
pkg=$(apt-cache depends "$meta" 2>/dev/null |
      sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
    echo "fetch-kernel: cannot resolve $meta (run apt-get update?)" >&2
    exit 1
fi
ver=${pkg#linux-image-}
out="$cache/vmlinuz-$ver"

if [ ! -s "$out" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && apt-get download -q "$pkg" >&2)
    deb=$(ls "$work"/*.deb)
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" "./boot/vmlinuz-$ver"
    mv "$work/boot/vmlinuz-$ver" "$out.tmp"
    mv "$out.tmp" "$out"
fi
ln -sf "vmlinuz-$ver" "$cache/vmlinuz-cloud"
echo "$out"
