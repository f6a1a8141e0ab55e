#!/bin/sh
# Fetch a Debian kernel into a cache outside git; print the cached bzImage.
#
#   fetch-kernel.sh [--deb] [FLAVOUR | PACKAGE]
#
# FLAVOUR (cloud-amd64, the default; amd64, 686, 686-pae, rt-amd64, ...)
# names the metapackage linux-image-FLAVOUR, resolved to the current image
# package, so this keeps working when Debian moves to a new ABI number
# (the i386 flavours need `dpkg --add-architecture i386` and apt-get update).
# PACKAGE is a package name (linux-image-6.1.0-57-amd64, or a metapackage,
# or a linux-binary-* package), resolved the same way when it is a
# metapackage.
#
# The kernel is found in either layout: /boot/vmlinuz-VERSION (Debian's
# linux-image-* up to bookworm, `make bindeb-pkg`) or
# /usr/lib/modules/VERSION/vmlinuz (trixie on, linux-binary-*; also
# /lib/modules/VERSION/vmlinuz).  The cache then holds:
#
#   vmlinuz-VERSION                      the kernel (printed)
#   modules-VERSION/kernel/drivers/xen/  the kernel's Xen driver modules (evtchn,
#                                        gntdev, privcmd, xenfs, ...), for a Xen
#                                        dom0's toolstack; empty when it has none
#   PACKAGE_VERSION_ARCH.deb             the package itself (--deb prints it)
#   vmlinuz-cloud                        a link to the default flavour's kernel
#
# With --deb the cached package's path is printed instead of the kernel's.
#
#   ZEROPAGE_CACHE   cache directory (default: $XDG_CACHE_HOME/zeropage or
#                    ~/.cache/zeropage)
set -eu

print_deb=0
if [ "${1:-}" = --deb ]; then
	print_deb=1
	shift
fi
[ $# -le 1 ] || { echo "usage: fetch-kernel.sh [--deb] [FLAVOUR | PACKAGE]" >&2; exit 2; }
want=${1:-cloud-amd64}

cache=${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}
mkdir -p "$cache"

case $want in
linux-*) pkg=$want ;;
*[!a-z0-9-]*|'') echo "fetch-kernel: '$want' is neither a flavour nor a package name" >&2; exit 2 ;;
*) pkg=linux-image-$want ;;
esac

# The linux-image-* or linux-binary-* package a name depends on, if any.
depends_on() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(image\|binary\)-[0-9][^ ]*\)$/\1/p' | head -n 1
}
# The kernel's release as a package's name says it; the package's file
# list has the last word (fetch, below).
release_of() {
	r=${1#linux-image-}
	echo "${r#linux-binary-}"
}

# A metapackage (linux-image-cloud-amd64) to the package it depends on
# (linux-image-6.1.0-57-cloud-amd64); a versioned package stays.
# (A versioned name has a dot: linux-image-686-pae is a flavour's.)
case $pkg in
linux-image-[0-9]*.*|linux-binary-[0-9]*.*) ;;
*)	dep=$(depends_on "$pkg")
	if [ -z "$dep" ]; then
		echo "fetch-kernel: cannot resolve $pkg (run apt-get update? a 686 flavour" \
			"needs its architecture: dpkg --add-architecture i386)" >&2
		exit 1
	fi
	pkg=$dep ;;
esac
ver=$(release_of "$pkg")
out="$cache/vmlinuz-$ver"
mods="$cache/modules-$ver"
cached_deb() { ls "$cache/${1}_"*.deb 2>/dev/null | head -n 1 || true; }
deb=$(cached_deb "$pkg")
# Not cached yet: a linux-image-VERSION that only depends on the
# linux-binary-VERSION holding the kernel (Debian's newer layout) is
# followed there.
if [ ! -s "$out" ] || [ ! -d "$mods" ]; then
	dep=$(depends_on "$pkg")
	case $dep in
	linux-binary-*) pkg=$dep; deb=$(cached_deb "$pkg") ;;
	esac
fi

# The kernel's path in the package: ./boot/vmlinuz-V or ./[usr/]lib/modules/V/vmlinuz.
kernel_member() {
	dpkg-deb --fsys-tarfile "$1" | tar -t |
		grep -E '^\./(boot/vmlinuz-[^/]+|(usr/)?lib/modules/[^/]+/vmlinuz)$' | head -n 1
}

# Downloads the package (unless cached) and takes the kernel and its Xen
# modules out of it; sets ver, out, mods, deb.  0, or 1 with the reason said.
fetch() {
	work=$(mktemp -d "$cache/.fetch.XXXXXX") || return 1
	trap 'rm -rf "$work"' EXIT
	if [ -z "$deb" ]; then
		(cd "$work" && apt-get download -q "$pkg" >&2) || return 1
		got=$(ls "$work"/*.deb) || return 1
		mv "$got" "$cache/" || return 1
		deb="$cache/${got##*/}"
	fi
	member=$(kernel_member "$deb")
	if [ -z "$member" ]; then
		echo "fetch-kernel: $deb holds no boot/vmlinuz-* nor [usr/]lib/modules/*/vmlinuz" >&2
		return 1
	fi
	case $member in
	./boot/vmlinuz-*) ver=${member#./boot/vmlinuz-} ;;
	*) ver=${member%/vmlinuz}; ver=${ver##*/} ;;
	esac
	out="$cache/vmlinuz-$ver"
	mods="$cache/modules-$ver"
	mkdir "$work/x"
	# the kernel and its Xen drivers, under whichever modules directory the
	# package uses (tar complains of the patterns that match nothing)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x" --wildcards "$member" \
		"./lib/modules/$ver/kernel/drivers/xen/*" \
		"./usr/lib/modules/$ver/kernel/drivers/xen/*" 2>/dev/null || true
	[ -s "$work/x/$member" ] || { echo "fetch-kernel: $deb: cannot unpack $member" >&2; return 1; }
	if [ ! -s "$out" ]; then
		mv "$work/x/$member" "$out.tmp" && mv "$out.tmp" "$out" || return 1
	fi
	if [ ! -d "$mods" ]; then
		mkdir -p "$work/m/kernel/drivers/xen" || return 1
		for d in "$work/x/lib/modules/$ver" "$work/x/usr/lib/modules/$ver"; do
			if [ -d "$d/kernel/drivers/xen" ]; then
				cp -R "$d/kernel/drivers/xen/." "$work/m/kernel/drivers/xen/" || return 1
			fi
		done
		# -T: a run that got there first keeps its directory (a plain
		# mv would put ours inside it)
		mv -T "$work/m" "$mods" 2>/dev/null || [ -d "$mods" ] || return 1
	fi
	rm -rf "$work"
	trap - EXIT
}

# Fetched once: the package, then the kernel and the modules from it.
if [ ! -s "$out" ] || [ ! -d "$mods" ] || { [ $print_deb = 1 ] && [ -z "$deb" ]; }; then
	if [ -s "$out" ] && [ $print_deb = 0 ]; then
		# a cache from before the modules were kept: the kernel still serves
		fetch || echo "fetch-kernel: warning: could not fetch $pkg for its Xen modules" >&2
	else
		fetch || exit 1
	fi
fi
[ "$want" = cloud-amd64 ] && ln -sf "vmlinuz-$ver" "$cache/vmlinuz-cloud"
if [ $print_deb = 1 ]; then
	echo "$deb"
else
	echo "$out"
fi
