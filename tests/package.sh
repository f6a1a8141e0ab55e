#!/bin/sh
# Kernels given as packages: Debian's own .deb of the cloud kernel (from
# scripts/fetch-kernel.sh's cache), a .deb in the trixie layout
# (usr/lib/modules/V/vmlinuz) made with dpkg-deb, an .rpm made with
# rpmbuild (lib/modules/V/vmlinuz, as `make binrpm-pkg` does), one with two
# kernels, one without, a damaged and a cut one, and the fuzzer's hostile
# headers (a cpio name size, an ar name table).  What a user checks: info
# and extract see the same kernel as in the plain file, bundle takes it,
# the bad packages exit 1 saying why, and nothing is left in $TMPDIR.
# Also fetch-kernel.sh on a cached trixie-layout package: the kernel and
# its Xen modules land in the cache.
# boots: none
. tests/lib.shinc

deb=$(sh scripts/fetch-kernel.sh --deb) || { echo "FAIL cannot fetch the kernel's .deb"; exit 1; }
plain=$(sh scripts/fetch-kernel.sh)
ver=${plain##*/vmlinuz-}
export TMPDIR="$work/tmp"	# our run directories go here: none may stay
mkdir -p "$TMPDIR"

# --- Debian's own package: the kernel in /boot
first=$("$ZP" info "$deb" | head -n 1)
check "info names the package's kernel" "$first" "$deb:boot/vmlinuz-$ver: bzImage, boot protocol $("$ZP" info --json "$plain" | jq -r .protocol)"
"$ZP" info --json "$plain" | jq -S 'del(.file) | del(.loaders[].fix, .loaders[].fix_note)' >"$work/plain.json"
"$ZP" info --json "$deb" | jq -S 'del(.file) | del(.loaders[].fix, .loaders[].fix_note)' >"$work/deb.json"
if cmp -s "$work/plain.json" "$work/deb.json"; then ok "info --json: the package's kernel is the plain file's"; else bad "info --json differs between the package and its kernel"; fi
# the loaders' fixes name what the user gave: every command takes the package
check "info --json: a fix names the package" \
	"$("$ZP" info --json "$deb" | jq -r '[.loaders[].fix | select(. != null and . != "")] | map(contains("'"$deb"'")) | all')" true
"$ZP" extract "$plain" -o "$work/v1" -q
"$ZP" extract "$deb" -o "$work/v2" -q 2>"$work/err"
if cmp -s "$work/v1" "$work/v2"; then ok "extract: the same vmlinux from the package"; else bad "extract from the package differs"; fi
check "extract says which kernel it took" "$(cat "$work/err")" ""
"$ZP" extract "$deb" -o "$work/v3" 2>"$work/err" >/dev/null
check "extract names the kernel (not quiet)" "$(cat "$work/err")" "zeropage extract: $deb: kernel $ver (boot/vmlinuz-$ver)"
"$ZP" bundle --kernel "$deb" -o "$work/b.elf" >/dev/null 2>&1
check "bundle --kernel PKG writes a bundle" "$("$ZP" info --json "$work/b.elf" | jq -r .format)" "bundle"

# --- a trixie-layout .deb (dpkg-deb, zstd) holding the same kernel
mk_deb_tree() {	# DIR: a package tree with its control file
	mkdir -p "$1/DEBIAN"
	printf 'Package: zp-test\nVersion: 1\nArchitecture: amd64\nMaintainer: zeropage\nDescription: test\n' >"$1/DEBIAN/control"
}
t="$work/trixie"
mk_deb_tree "$t"
mkdir -p "$t/usr/lib/modules/9.9.9-zp/kernel/drivers/xen/xenfs"
cp "$plain" "$t/usr/lib/modules/9.9.9-zp/vmlinuz"
echo module >"$t/usr/lib/modules/9.9.9-zp/kernel/drivers/xen/xenfs/xenfs.ko"
dpkg-deb -Zzstd --root-owner-group -b "$t" "$work/linux-binary-9.9.9-zp_1_amd64.deb" >/dev/null
first=$("$ZP" info "$work/linux-binary-9.9.9-zp_1_amd64.deb" | head -n 1)
check "trixie layout: usr/lib/modules/V/vmlinuz" "${first%%: bzImage*}" "$work/linux-binary-9.9.9-zp_1_amd64.deb:usr/lib/modules/9.9.9-zp/vmlinuz"

# --- an RPM from rpmbuild (xz payload), the kernel in lib/modules/V/
r="$work/rpm"
mkdir -p "$r"
cp "$plain" "$r/vmlinuz"
cat >"$r/k.spec" <<EOF
Name: zp-kernel
Version: 9.9.9
Release: 1
Summary: test
License: MIT
BuildArch: noarch
%description
test
%install
mkdir -p %{buildroot}/lib/modules/9.9.9-rpm
cp %{_sourcedir}/vmlinuz %{buildroot}/lib/modules/9.9.9-rpm/vmlinuz
%files
/lib/modules/9.9.9-rpm/vmlinuz
EOF
if rpmbuild -bb --nodeps --quiet --define "_topdir $r/top" --define "_sourcedir $r" \
	--define '_binary_payload w1.xzdio' --define '__spec_install_post %{nil}' \
	--define 'debug_package %{nil}' "$r/k.spec" >"$r/log" 2>&1; then
	rpm=$(ls "$r"/top/RPMS/noarch/*.rpm)
	"$ZP" extract "$rpm" -o "$work/v4" -q
	if cmp -s "$work/v1" "$work/v4"; then ok "rpm: the same vmlinux from the RPM"; else bad "extract from the RPM differs"; fi
else
	bad "rpmbuild failed: $(tail -n 3 "$r/log")"
fi

# --- two kernels: refused, both named; --kernel-version chooses
t="$work/two"
mk_deb_tree "$t"
mkdir -p "$t/boot"
cp "$plain" "$t/boot/vmlinuz-1.0-a"
cp "$plain" "$t/boot/vmlinuz-1.0-b"
dpkg-deb -Zgzip -z1 --root-owner-group -b "$t" "$work/two.deb" >/dev/null
rc=0; "$ZP" info "$work/two.deb" >/dev/null 2>"$work/err" || rc=$?
check "two kernels: exit 1" "$rc" 1
check "two kernels: both named" "$(cat "$work/err")" \
	"zeropage info: $work/two.deb (deb package): 2 kernels in the package, choose one with --kernel-version: 1.0-a (boot/vmlinuz-1.0-a), 1.0-b (boot/vmlinuz-1.0-b)"
first=$("$ZP" info --kernel-version 1.0-b "$work/two.deb" | head -n 1)
check "--kernel-version chooses" "${first%%: bzImage*}" "$work/two.deb:boot/vmlinuz-1.0-b"
rc=0; "$ZP" extract --kernel-version 2.0 "$work/two.deb" -o "$work/v5" 2>"$work/err" || rc=$?
check "--kernel-version of none there: exit 1" "$rc" 1
check "... naming those there" "$(cat "$work/err")" \
	"zeropage extract: $work/two.deb (deb package): no kernel 2.0 in the package; it holds 1.0-a (boot/vmlinuz-1.0-a), 1.0-b (boot/vmlinuz-1.0-b)"
rc=0; "$ZP" info --kernel-version 1.0 "$plain" >/dev/null 2>"$work/err" || rc=$?
check "--kernel-version on a plain image: exit 1" "$rc" 1
rc=0; "$ZP" matrix --kernel-version 1.0 "$plain" >/dev/null 2>"$work/err" || rc=$?
check "matrix --kernel-version with no package: exit 1, nothing booted" "$rc:$(cat "$work/err")" \
	"1:zeropage matrix: --kernel-version chooses a kernel in a package (.deb, .rpm), and no KERNEL is one"

# --- no kernel, damaged, cut
t="$work/none"
mk_deb_tree "$t"
mkdir -p "$t/boot"
echo map >"$t/boot/System.map-1.0"
dpkg-deb -Zgzip --root-owner-group -b "$t" "$work/none.deb" >/dev/null
rc=0; "$ZP" info "$work/none.deb" >/dev/null 2>"$work/err" || rc=$?
check "no kernel: exit 1" "$rc" 1
check "no kernel: said" "$(cat "$work/err")" \
	"zeropage info: $work/none.deb (deb package): no kernel in the package (looked for boot/vmlinuz-*, lib/modules/*/vmlinuz, usr/lib/modules/*/vmlinuz)"
# a kernel's name on bytes that are none: boot stops before QEMU, naming it
t="$work/junk"
mk_deb_tree "$t"
mkdir -p "$t/boot"
echo "not a kernel" >"$t/boot/vmlinuz-1.0"
dpkg-deb -Zgzip --root-owner-group -b "$t" "$work/junk.deb" >/dev/null
rc=0; "$ZP" boot "$work/junk.deb" >/dev/null 2>"$work/err" || rc=$?
check "no kernel but its name: boot exits 1" "$rc" 1
check "... naming the package's member" "$(tail -n 1 "$work/err")" \
	"zeropage boot: $work/junk.deb:boot/vmlinuz-1.0: not a bzImage or ELF kernel, nor a UKI"
size=$(stat -c %s "$deb")
head -c $((size / 2)) "$deb" >"$work/cut.deb"
rc=0; "$ZP" info "$work/cut.deb" >/dev/null 2>"$work/err" || rc=$?
check "cut in half: exit 1" "$rc" 1
case $(cat "$work/err") in
*"$work/cut.deb (deb package): "*[Tt]runcated*) ok "cut: said truncated ($(cat "$work/err"))" ;;
*) bad "cut: $(cat "$work/err")" ;;
esac
cp "$deb" "$work/bad.deb"
# 64 KiB of zeros into the middle of data.tar.xz: the xz stream's check fails
dd if=/dev/zero of="$work/bad.deb" bs=65536 seek=$((size / 65536 / 2)) count=1 conv=notrunc status=none
rc=0; "$ZP" extract "$work/bad.deb" -o "$work/v6" 2>"$work/err" || rc=$?
check "damaged: exit 1" "$rc" 1
case $(cat "$work/err") in
*"$work/bad.deb (deb package): data.tar"*) ok "damaged: said ($(cat "$work/err"))" ;;
*) bad "damaged: $(cat "$work/err")" ;;
esac
[ ! -e "$work/v6" ] && ok "damaged: no output written" || bad "damaged: $work/v6 written"
# --dom0 takes a package too: one without a kernel is refused before any
# boot, naming --dom0 (tests/test_dom0_package.c checks the modules taken)
rc=0; "$ZP" boot "$plain" --machine xen-domu --dom0 "$work/none.deb" >/dev/null 2>"$work/err" || rc=$?
check "--dom0 a package with no kernel: exit 1, said" "$rc:$(tail -n 1 "$work/err")" \
	"1:zeropage boot: --dom0: $work/none.deb (deb package): no kernel in the package (looked for boot/vmlinuz-*, lib/modules/*/vmlinuz, usr/lib/modules/*/vmlinuz)"
rc=0; "$ZP" matrix "$plain" --machine xen-domu --paths xen-pvh --dom0 "$work/two.deb" >/dev/null 2>"$work/err" || rc=$?
case $rc:$(tail -n 1 "$work/err") in
"1:zeropage matrix: --dom0: $work/two.deb (deb package): 2 kernels in the package"*) ok "matrix --dom0 a package of two kernels: exit 1, said" ;;
*) bad "matrix --dom0 two kernels: $rc: $(cat "$work/err")" ;;
esac
# headers declaring sizes libarchive would allocate before reading (the
# fuzzer's finds, kept in its corpus): refused, naming the member, at once
f=fuzz/corpus/kernel_package/regress-cpio-name-size-aaaaaaaa.rpm
rc=0; "$ZP" info "$f" >/dev/null 2>"$work/err" || rc=$?
check "cpio name size 0xAAAAAAAA: exit 1, said" "$rc:$(cat "$work/err")" \
	"1:zeropage info: $f (rpm package): RPM payload: member 1: cpio name size 0xAAAAAAAA exceeds 4096"
f=fuzz/corpus/kernel_package/regress-ar-name-table-huge.deb
rc=0; "$ZP" info "$f" >/dev/null 2>"$work/err" || rc=$?
check "ar name table of 999999999 bytes: exit 1, said" "$rc:$(cat "$work/err")" \
	"1:zeropage info: $f (deb package): truncated or hostile: package member 2, an ar name table (//) of 999999999 bytes, has 13 left"
check "no run directory left behind" "$(ls -A "$TMPDIR")" ""

# --- fetch-kernel.sh on a cached package in the trixie layout: the kernel
# and its Xen driver modules in the cache (no download: it is there)
cache="$work/cache"
mkdir -p "$cache"
cp "$work/linux-binary-9.9.9-zp_1_amd64.deb" "$cache/"
got=$(ZEROPAGE_CACHE="$cache" sh scripts/fetch-kernel.sh linux-binary-9.9.9-zp 2>"$work/err") || true
check "fetch-kernel.sh: the kernel from usr/lib/modules" "$got" "$cache/vmlinuz-9.9.9-zp"
if cmp -s "$cache/vmlinuz-9.9.9-zp" "$plain"; then ok "fetch-kernel.sh: its bytes"; else bad "fetch-kernel.sh: kernel differs ($(cat "$work/err"))"; fi
check "fetch-kernel.sh: the Xen modules kept" \
	"$(cd "$cache/modules-9.9.9-zp" 2>/dev/null && find . -type f)" "./kernel/drivers/xen/xenfs/xenfs.ko"
check "fetch-kernel.sh --deb: the cached package" \
	"$(ZEROPAGE_CACHE="$cache" sh scripts/fetch-kernel.sh --deb linux-binary-9.9.9-zp 2>/dev/null)" \
	"$cache/linux-binary-9.9.9-zp_1_amd64.deb"
# Debian's own: the Xen drivers of the cloud kernel are there too
if [ -n "$(find "${plain%/*}/modules-$ver/kernel/drivers/xen" -name 'xen-privcmd.ko*' 2>/dev/null)" ]; then
	ok "fetch-kernel.sh: modules-$ver has xen-privcmd"
else
	bad "fetch-kernel.sh: no xen-privcmd under ${plain%/*}/modules-$ver"
fi

[ $fails -eq 0 ]
