#!/bin/sh
# zeropage initramfs: our newc writer read back by GNU cpio, the archive
# padded to a page, /init a static x86-64 ELF with no interpreter (an
# i386 one with --arch i386).
# boots: none
. tests/lib.shinc

"$ZP" initramfs -o "$work/probe.cpio" || bad "initramfs exits 0"
size=$(stat -c %s "$work/probe.cpio")
check "size is a multiple of 4096" $((size % 4096)) 0

# GNU cpio lists what we wrote, with the types and device numbers we gave.
cpio -itv --quiet < "$work/probe.cpio" > "$work/list" 2>"$work/err" || bad "cpio -t reads it: $(cat "$work/err")"
check "entries" "$(awk '{print $NF}' "$work/list" | tr '\n' ' ')" "dev dev/console dev/kmsg proc sys init "
check "dev/console is char 5,1" "$(grep ' dev/console$' "$work/list" | awk '{print substr($1,1,1), $5 $6}')" "c 5,1"
check "dev/kmsg is char 1,11" "$(grep ' dev/kmsg$' "$work/list" | awk '{print substr($1,1,1), $5 $6}')" "c 1,11"
check "init is rwxr-xr-x" "$(grep ' init$' "$work/list" | awk '{print $1}')" "-rwxr-xr-x"

# Extract it and look at /init as the kernel will.
mkdir "$work/root"
(cd "$work/root" && cpio -id --quiet --no-absolute-filenames < "$work/probe.cpio" 2>/dev/null) ||
	bad "cpio -i extracts it"
[ -f "$work/root/init" ] || bad "init extracted"
check "init is the probe build" "$(cmp -s "$work/root/init" "$BUILD/probe-init" && echo same)" same
hdr=$(readelf -h "$work/root/init")
check "init class" "$(echo "$hdr" | awk '/Class:/{print $2}')" ELF64
check "init machine" "$(echo "$hdr" | awk -F: '/Machine:/{gsub(/^ +/,"",$2); print $2}')" \
	"Advanced Micro Devices X86-64"
check "init type" "$(echo "$hdr" | awk '/Type:/{print $2}')" EXEC
check "no interpreter" "$(readelf -l "$work/root/init" | grep -c INTERP || true)" 0
check "no dynamic section" "$(readelf -d "$work/root/init" | grep -c NEEDED || true)" 0

# --arch i386: the build a 32-bit kernel runs, the same archive around it.
"$ZP" initramfs --arch i386 -o "$work/i386.cpio" || bad "initramfs --arch i386 exits 0"
mkdir "$work/root32"
(cd "$work/root32" && cpio -id --quiet --no-absolute-filenames < "$work/i386.cpio" 2>/dev/null) ||
	bad "cpio -i extracts the i386 archive"
check "i386 init is the i386 build" "$(cmp -s "$work/root32/init" "$BUILD/probe-init-i386" && echo same)" same
hdr=$(readelf -h "$work/root32/init")
check "i386 init class" "$(echo "$hdr" | awk '/Class:/{print $2}')" ELF32
check "i386 init machine" "$(echo "$hdr" | awk -F: '/Machine:/{gsub(/^ +/,"",$2); print $2}')" \
	"Intel 80386"
check "i386 no interpreter" "$(readelf -l "$work/root32/init" | grep -c INTERP || true)" 0
"$ZP" initramfs --arch x86_64 -o "$work/x86_64.cpio"
check "--arch x86_64 is the default" "$(cmp -s "$work/probe.cpio" "$work/x86_64.cpio" && echo same)" same
rc=0; "$ZP" initramfs --arch i686 -o "$work/bad.cpio" 2>"$work/err" || rc=$?
check "unknown --arch exits 2" $rc 2
grep -q "i686" "$work/err" && ok "names the bad arch" || bad "message: $(cat "$work/err")"
[ ! -e "$work/bad.cpio" ] && ok "nothing written for a bad --arch" || bad "wrote bad.cpio"

# Same bytes every time: nothing time- or host-dependent in the archive.
"$ZP" initramfs -o "$work/again.cpio"
check "reproducible" "$(cmp -s "$work/probe.cpio" "$work/again.cpio" && echo same)" same

# Errors: clear message, non-zero exit, nothing written.
rc=0; "$ZP" initramfs -o "$work/no/such/dir/x" 2>"$work/err" || rc=$?
check "unwritable output exits 1" $rc 1
grep -q "No such file or directory" "$work/err" && ok "says why" || bad "message: $(cat "$work/err")"
rc=0; "$ZP" initramfs 2>/dev/null || rc=$?
check "missing -o exits 2" $rc 2
rc=0; "$ZP" initramfs -o "$work/x" extra 2>/dev/null || rc=$?
check "stray argument exits 2" $rc 2

[ $fails -eq 0 ]
