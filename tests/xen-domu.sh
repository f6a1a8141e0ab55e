#!/bin/sh
# The xen-domu machine on the real Debian cloud kernel: Debian's Xen 4.17
# under QEMU TCG, a toolstack dom0 (Debian's generic kernel, the host's xl,
# xenstored, xenconsoled) and the kernel under test as a domU that `xl
# create` builds: by its own PVH and PV entries (libxc unpacks the bzImage)
# and as shim bundles.  Each row must reach the probe with what libxc's
# builders give: Xen's loader ID on the kernel's own entries, the shim's
# on bundles, a start_info v1 memory map (libxc's ACPI tables at
# 0xfc000000), the initrd and the command line.  A user's initrd is seen
# on the host; a domU too small for the kernel, and one that panics, end their
# rows with the reason.  The matrix's rows share Xen boots (two at -j2),
# each `boot` is one.  Run by `make check-xen` (not `make check`: 8 to 15
# minutes under TCG).  Skips, saying why, where Xen or its tools are
# not installed; fetches the dom0 kernel (scripts/fetch-dom0.sh).
# suite: xen
. tests/lib.shinc

if ! ls /boot/xen-*.gz >/dev/null 2>&1 && [ -z "${ZEROPAGE_XEN:-}" ]; then
	echo "skip: Xen is not installed (no /boot/xen-*.gz)"
	exit 0
fi
if ! ls /usr/lib/xen-*/bin/xl >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
	echo "skip: no Xen toolstack or busybox (scripts/install-deps.sh installs xen-utils-4.17 and busybox-static)"
	exit 0
fi
cache=${ZEROPAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeropage}
# the dom0 kernel the machine picks by default: Debian's generic flavour
sh scripts/fetch-dom0.sh > /dev/null || { echo "FAIL cannot fetch the dom0 kernel"; exit 1; }
need_kernel
"$ZP" initramfs -o "$work/probe.cpio"
want_initrd=$(stat -c %s "$work/probe.cpio")
mark="zp.test=$$.domu"
no_qemu() { check "$1: no QEMU left" "$(pgrep -f "$mark" || true)" ""; }

"$ZP" matrix "$kernel" --machine xen-domu -j2 --accel tcg --append "$mark" \
	--paths xen-pv,xen-pvh,shim-64,shim-32,shim-vmlinux,shim-subarch,qemu-bios \
	--json "$work/m.json" > "$work/table" 2>"$work/err" || true
cat "$work/table"
no_qemu matrix
check "rows" "$(jq '.results | length' "$work/m.json")" 7
row() { jq -c ".results[] | select(.path == \"$1\")" "$work/m.json"; }
field() { row "$1" | jq -r "$2"; }

check "qemu-bios on xen-domu: not applicable" "$(field qemu-bios .verdict)" n/a
# -j2: the six rows share two Xen boots, dom0 creating three domUs each
check "Xen boots for six rows at -j2" \
	"$(jq '[.results[] | select(.verdict != "n/a") | .start_time] | unique | length' "$work/m.json")" 2
for path in xen-pv xen-pvh shim-64 shim-32 shim-vmlinux shim-subarch; do
	check "$path: verdict" "$(field $path .verdict)" ok
	[ "$(field $path .verdict)" = ok ] || { echo "  reason: $(field $path .reason)"; continue; }
	check "$path: initrd (the probe, as xl's ramdisk)" "$(field $path .report.initrd)" "$want_initrd"
	case " $(field $path .report.cmdline) " in
	*" $mark "*) ok "$path: /proc/cmdline has the appended string (xl's cmdline)" ;;
	*) bad "$path: /proc/cmdline lacks '$mark'" ;;
	esac
	field $path .xen_log | grep -q '^(XEN) Xen version' &&
		ok "$path: Xen's lines kept in xen_log" || bad "$path: no Xen banner in xen_log"
done
# The kernel's own entries claim Xen's loader ID; the shim its own.
for path in xen-pv xen-pvh; do
	check "$path: type_of_loader (Xen's 0x90)" "$(field $path .report.boot_params.type_of_loader)" 144
done
for path in shim-64 shim-32 shim-vmlinux shim-subarch; do
	check "$path: type_of_loader (the shim's 0xff)" "$(field $path .report.boot_params.type_of_loader)" 255
done
# The shim speaks through Xen's debug port as a domU: Xen prints it as
# "(dN) ..." with guest_loglvl=all
for path in shim-64 shim-32 shim-vmlinux shim-subarch; do
	field $path .xen_log | grep -q '^(d[0-9]*) zeropage-shim: entry' &&
		ok "$path: the shim's line reached Xen's console" ||
		bad "$path: no '(dN) zeropage-shim:' line in xen_log"
done
check "xen-pv: hardware_subarch X86_SUBARCH_XEN" "$(field xen-pv .report.boot_params.hardware_subarch)" 2
check "shim-subarch: hardware_subarch names Xen" "$(field shim-subarch .report.boot_params.hardware_subarch)" 2
# libxc's PVH builder hands start_info v1 with a memory map: its ACPI
# tables at 0xfc000000 are in the map every PVH domU saw (dom0's v0 has no
# map: the shim asked Xen, and Xen's tables sit after dom0's RAM).
for path in xen-pvh shim-64 shim-32 shim-vmlinux shim-subarch; do
	check "$path: libxc's map (ACPI tables at 0xfc000000)" \
		"$(field $path '[.report.memmap[] | select(.start == 4227858432)] | length')" 1
done

# A user's initrd: its own console output reaches the host.
mkdir -p "$work/ui/bin"
cp /bin/busybox "$work/ui/bin/"
printf '#!/bin/busybox sh\necho "hello from the user initrd $$"\n/bin/busybox reboot -f\n' > "$work/ui/init"
chmod +x "$work/ui/init"
(cd "$work/ui" && find . | cpio -o -H newc 2>/dev/null) > "$work/user.cpio"
rc=0
"$ZP" boot "$kernel" --machine xen-domu --entry xen-pvh --accel tcg --append "$mark" \
	--initrd "$work/user.cpio" > "$work/user.out" 2>&1 || rc=$?
check "user initrd: ok" $rc 0
grep -q "^zp-d1: hello from the user initrd" "$work/user.out" &&
	ok "user initrd: its output is on the host" || bad "user initrd: $(tail -5 "$work/user.out")"
no_qemu "user initrd"

# A domU too small for the kernel: a bundle in 16 MiB (it needs 68).
# Refused before Xen boots, naming both sizes (libxc would stop it later
# with "segment kernel too large"; the toolstack's own words ending a row
# are checked in test_xen_domu on its captured lines).
rc=0
"$ZP" boot "$kernel" --machine xen-domu --entry 64 --mem 16M --accel tcg --append "$mark" \
	--json "$work/small.json" > "$work/small.out" 2>&1 || rc=$?
check "bundle in 16 MiB: exit code" $rc 1
check "bundle in 16 MiB: verdict" "$(jq -r .verdict "$work/small.json")" error
r=$(jq -r .reason "$work/small.json")
case $r in
*"16M of guest memory is less than the kernel starts in"*) ok "bundle in 16 MiB: says what it needs ($r)" ;;
*) bad "bundle in 16 MiB: reason '$r'" ;;
esac
no_qemu "too small a domU"

# A domU that panics (no /init to run): a panic row with the domU's words.
rc=0
"$ZP" boot "$kernel" --machine xen-domu --entry xen-pvh --accel tcg \
	--append "$mark rdinit=/nonexistent" --json "$work/panic.json" > "$work/panic.out" 2>&1 || rc=$?
check "domU panic: exit 3" $rc 3
check "domU panic: verdict" "$(jq -r .verdict "$work/panic.json")" panic
case $(jq -r .reason "$work/panic.json") in
*"Kernel panic"*) ok "domU panic: the domU's panic line is the reason" ;;
*) bad "domU panic: reason $(jq -r .reason "$work/panic.json")" ;;
esac
no_qemu "domU panic"

# Two rows sharing a boot, both panicking: the first's panic ends the
# shared boot, the second runs again on its own; each says its panic.
"$ZP" matrix "$kernel" --machine xen-domu -j1 --accel tcg --paths xen-pvh,shim-64 \
	--append "$mark rdinit=/nonexistent" --json "$work/bp.json" > "$work/bp.out" 2>&1 || true
for path in xen-pvh shim-64; do
	check "shared boot, $path panics: verdict" \
		"$(jq -r ".results[] | select(.path == \"$path\") | .verdict" "$work/bp.json")" panic
	jq -r ".results[] | select(.path == \"$path\") | .reason" "$work/bp.json" |
		grep -q "^Kernel panic - not syncing" && ok "shared boot, $path: its panic line" ||
		bad "shared boot, $path: $(jq -r ".results[] | select(.path == \"$path\") | .reason" "$work/bp.json")"
done
no_qemu "shared boot, panics"

# A kernel without the PVH note, as xen-pvh: skipped before any boot.
if [ -e "$cache/vmlinuz-6.1.0-57-686" ]; then
	rc=0
	"$ZP" boot "$cache/vmlinuz-6.1.0-57-686" --machine xen-domu --entry xen-pvh -q \
		--accel tcg > "$work/o" 2>&1 || rc=$?
	grep -qi "pvh" "$work/o" && ok "kernel without PVH: says so ($(tail -1 "$work/o" | cut -c1-100))" ||
		bad "kernel without PVH: $(tail -3 "$work/o")"
fi

# A dom0 kernel without CONFIG_XEN_DOM0 (the cloud flavour): its console
# never reaches Xen's, and the row says what to check, not a timeout.
case $kernel in
*-cloud-*)
	"$ZP" boot "$kernel" --machine xen-domu --dom0 "$kernel" --accel tcg --append "$mark" \
		--json "$work/cd.json" > "$work/cd.out" 2>&1 || true
	case $(jq -r .reason "$work/cd.json") in
	*CONFIG_XEN_DOM0*) ok "cloud kernel as dom0: the reason names CONFIG_XEN_DOM0" ;;
	*) bad "cloud kernel as dom0: $(jq -r '.verdict + ": " + .reason' "$work/cd.json")" ;;
	esac
	no_qemu "cloud dom0" ;;
esac

# Modules as newer Debian kernels ship them (.ko.xz, .ko.zst): decompressed
# on the host; a damaged one is refused before any boot, naming the file.
dom0k=$(ls "$cache"/vmlinuz-*-amd64 | grep -v -- -cloud- | sort -V | tail -n 1)
v=${dom0k##*/vmlinuz-}
mkdir -p "$work/dz"
cp "$dom0k" "$work/dz/"
cp -r "$cache/modules-$v" "$work/dz/"
xdir="$work/dz/modules-$v/kernel/drivers/xen"
xz --check=crc32 "$xdir/xen-evtchn.ko" "$xdir/xen-privcmd.ko" "$xdir/xenfs/xenfs.ko"
zstd -q --rm "$xdir/xen-gntdev.ko" "$xdir/xen-gntalloc.ko"
rc=0
"$ZP" boot "$kernel" --machine xen-domu --dom0 "$work/dz/vmlinuz-$v" --accel tcg -q \
	--append "$mark" > "$work/o" 2>&1 || rc=$?
check "compressed dom0 modules: ok" $rc 0
printf 'garbage' > "$xdir/xen-evtchn.ko.xz"
rc=0
"$ZP" boot "$kernel" --machine xen-domu --dom0 "$work/dz/vmlinuz-$v" --accel tcg -q \
	--append "$mark" > "$work/o" 2>&1 || rc=$?
check "damaged dom0 module: error exit" $rc 1
grep -q "xen-evtchn.ko.xz: damaged xz stream" "$work/o" && ok "damaged dom0 module: names it" ||
	bad "damaged dom0 module: $(tail -1 "$work/o")"
no_qemu "compressed modules"

# Bad input: --dom0 off xen-domu is a usage error; a missing one an error.
rc=0
"$ZP" boot "$kernel" --machine xen --dom0 /nonexistent -q > "$work/o" 2>&1 || rc=$?
check "--dom0 on xen: usage error" $rc 2
rc=0
"$ZP" boot "$kernel" --machine xen-domu --dom0 /nonexistent/vmlinuz -q --accel tcg \
	> "$work/o" 2>&1 || rc=$?
check "missing --dom0: error exit" $rc 1
grep -q "nonexistent/vmlinuz" "$work/o" && ok "missing --dom0: names the file" || bad "missing --dom0: $(cat "$work/o")"
[ $fails -eq 0 ]
