#!/bin/sh
# Where zeropage writes and what it reads, on the real Debian cloud kernel
# (one boot, cut at 0.5 s).  Outputs: a file is replaced atomically;
# stdout (-o -, --json -, a link to /proc/self/fd/1), a FIFO and a device
# node are written into and stay what they are, and with a report on
# stdout the table goes to stderr; a directory is refused; an output that
# is the same file as an input (by name, through a symbolic link or a hard
# link) is refused before anything is written, the input byte-identical; a
# report that cannot be written whole leaves the old one as it was.
# Inputs: a FIFO is refused at once (under `timeout`, so a regression
# fails rather than hangs), and `info` on a 4 GiB sparse file looks at its
# first bytes only.
. tests/lib.shinc
set +e	# each step is judged by its own check

need_kernel
sum() { sha256sum "$1" | cut -c1-64; }
# refused NAME PATTERN CMD...: exit 1 and PATTERN on stderr, within 20 s
refused() {
	name=$1 want=$2
	shift 2
	timeout 20 "$@" > "$work/out" 2> "$work/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q -- "$want" "$work/err"; then
		ok "$name: $(head -n 1 "$work/err")"
	else
		bad "$name: exit $rc (124: it waited), stderr: $(head -n 2 "$work/err")"
	fi
}

# ---- stdout, FIFO, device node: written into ----
"$ZP" extract "$kernel" -o "$work/vmlinux" > /dev/null || bad "extract to a file exits 0"
"$ZP" extract "$kernel" -o - 2> "$work/said" | cat > "$work/piped"
check "extract -o - | cat: the same bytes as -o FILE" "$(sum "$work/piped")" "$(sum "$work/vmlinux")"
grep -q '^-: [0-9]* bytes' "$work/said" && ok "extract -o -: what it did on stderr" ||
	bad "extract -o -: no summary on stderr: $(cat "$work/said")"
"$ZP" bundle --kernel "$kernel" -o "$work/b.elf" > /dev/null || bad "bundle to a file exits 0"
"$ZP" bundle --kernel "$kernel" -o - 2> /dev/null | cat > "$work/b.piped"
check "bundle -o - | cat: the same bytes as -o FILE" "$(sum "$work/b.piped")" "$(sum "$work/b.elf")"

ln -s /proc/self/fd/1 "$work/to-stdout"
"$ZP" extract "$kernel" -o "$work/to-stdout" 2> /dev/null > "$work/via-link"
check "-o LINK to /proc/self/fd/1: written to stdout" "$(sum "$work/via-link")" "$(sum "$work/vmlinux")"
[ -L "$work/to-stdout" ] && ok "the link to /proc/self/fd/1 is still a link" ||
	bad "the link to /proc/self/fd/1 was replaced"

mkfifo "$work/fifo"
timeout 60 cat "$work/fifo" > "$work/from-fifo" &	# not for ever if it is replaced
reader=$!
timeout 60 "$ZP" extract "$kernel" -o "$work/fifo" > /dev/null
rc=$?
wait $reader
check "extract -o FIFO exits" $rc 0
check "the FIFO's reader got the vmlinux" "$(sum "$work/from-fifo")" "$(sum "$work/vmlinux")"
[ -p "$work/fifo" ] && ok "the FIFO is still a FIFO" || bad "the FIFO was replaced"

if [ "$(id -u)" = 0 ]; then
	mknod "$work/null" c 1 3	# what /dev/null is
	"$ZP" extract "$kernel" -o "$work/null" > /dev/null
	check "extract -o a /dev/null-like node exits" $? 0
	check "the node is still character device 1,3" "$(stat -c '%F %t,%T' "$work/null")" \
		"character special file 1,3"
else
	echo "skip device node: not root, so mknod cannot make one"
fi

mkdir "$work/dir"
refused "-o DIRECTORY" "is a directory" "$ZP" extract "$kernel" -o "$work/dir"
ln -s "$work/target" "$work/file-link"
"$ZP" extract "$kernel" -o "$work/file-link" > /dev/null
[ -L "$work/file-link" ] && cmp -s "$work/target" "$work/vmlinux" &&
	ok "-o LINK to a file: the file written, the link kept" ||
	bad "-o LINK to a file: link or file wrong"

# ---- the same file as an input: refused, the input untouched ----
cp "$kernel" "$work/k"
ln -s "$work/k" "$work/k-sym"
ln "$work/k" "$work/k-hard"
echo initrd > "$work/initrd"
ln -s "$work/initrd" "$work/initrd-sym"
before=$(sum "$work/k")
refused "extract K -o K" "is the same file as IMAGE" "$ZP" extract "$work/k" -o "$work/k"
refused "extract K -o symlink to K" "same file" "$ZP" extract "$work/k" -o "$work/k-sym"
refused "extract K -o hard link to K" "same file" "$ZP" extract "$work/k" -o "$work/k-hard"
refused "bundle --kernel K -o K" "is the same file as --kernel" \
	"$ZP" bundle --kernel "$work/k" -o "$work/k"
refused "bundle --kernel K -o hard link" "same file" \
	"$ZP" bundle --kernel "$work/k-sym" -o "$work/k-hard"
refused "bundle --initrd I -o symlink to I" "is the same file as --initrd" \
	"$ZP" bundle --kernel "$work/k" --initrd "$work/initrd" -o "$work/initrd-sym"
check "the kernel is byte-identical" "$(sum "$work/k")" "$before"
check "the initrd is byte-identical" "$(cat "$work/initrd")" initrd
check "no temporary files left" "$(ls -A "$work" | grep -c '^\.')" 0

# ---- reports: atomic ----
# a grid with no boot: xen-pv does not exist on pc, so its row is n/a
"$ZP" matrix "$kernel" --paths xen-pv --machine pc --json "$work/s.json" > /dev/null 2>&1
check "matrix --json of an n/a row exits" $? 0
"$ZP" report "$work/s.json" --json - 2> "$work/said" > "$work/r.stdout"
check "report --json -: stdout is the JSON alone" "$(jq -c ".grid | {rows, shard, shards}" "$work/r.stdout")" \
	'{"rows":1,"shard":1,"shards":1}'
grep -q '^xen-pv' "$work/said" && ok "report --json -: the table on stderr" ||
	bad "report --json -: no table on stderr"
"$ZP" matrix "$kernel" --paths xen-pv --machine pc --json /dev/stdout 2> "$work/said" \
	> "$work/m.stdout"
check "matrix --json /dev/stdout: stdout is the JSON alone" "$(jq -c ".grid | {rows, shard, shards}" "$work/m.stdout")" \
	'{"rows":1,"shard":1,"shards":1}'
# a boot that ends at once (0.5 s is too short): the JSON alone on stdout
"$ZP" boot "$kernel" --entry qemu-bios --timeout 0.5 --json - 2> "$work/said" > "$work/b.stdout"
check "boot --json -: exit 4 (timeout)" $? 4
check "boot --json -: stdout is the JSON alone" "$(jq -r .verdict "$work/b.stdout")" timeout
grep -q '^zeropage boot: timeout via qemu-bios' "$work/said" &&
	ok "boot --json -: the verdict line on stderr" || bad "boot --json -: no verdict line on stderr"
refused "report S --json S" "is the same file as SHARD" \
	"$ZP" report "$work/s.json" --json "$work/s.json"
for opt in --json --kcidb --html; do
	echo "OLD REPORT" > "$work/r.out"
	# files of at most 1 KiB (the report is larger): the write fails with
	# EFBIG half way, as it would on a full disk
	(ulimit -f 1; trap '' XFSZ; exec "$ZP" report "$work/s.json" $opt "$work/r.out") \
		> /dev/null 2> "$work/err"
	rc=$?
	check "report $opt under a 1 KiB file limit exits" $rc 1
	check "report $opt: the old report survives whole" "$(cat "$work/r.out")" "OLD REPORT"
	grep -q -- "$opt $work/r.out: cannot write" "$work/err" && ok "report $opt: $(tail -n 1 "$work/err")" ||
		bad "report $opt: message: $(cat "$work/err")"
done
check "no temporary report left" "$(ls -A "$work" | grep -c '^\.')" 0

# ---- inputs: a FIFO is refused at once ----
mkfifo "$work/in-fifo"
refused "info FIFO" "in-fifo: is a FIFO, not a regular file" "$ZP" info "$work/in-fifo"
refused "extract FIFO" "is a FIFO, not a regular file" \
	"$ZP" extract "$work/in-fifo" -o "$work/x"
refused "bundle --kernel FIFO" "is a FIFO, not a regular file" \
	"$ZP" bundle --kernel "$work/in-fifo" -o "$work/x"
refused "bundle --initrd FIFO" "is a FIFO, not a regular file" \
	"$ZP" bundle --kernel "$kernel" --initrd "$work/in-fifo" -o "$work/x"
refused "boot --initrd FIFO" "is a FIFO, not a regular file" \
	"$ZP" boot "$kernel" --initrd "$work/in-fifo"
refused "report FIFO" "is a FIFO, not a regular file" "$ZP" report "$work/in-fifo"
refused "info on a character device" "is a character device, not a regular file" \
	"$ZP" info /dev/zero
[ -e "$work/x" ] && bad "a refused input left an output" || ok "no output from a refused input"

# ---- info reads only what it describes ----
truncate -s 4G "$work/sparse"
maxrss=$(python3 -c '
import resource, subprocess, sys
try:
    r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                       stderr=open(sys.argv[-1] + ".err", "w"), timeout=20).returncode
except subprocess.TimeoutExpired:
    r = 124	# it read the file (22 s here before it was mapped)
print(r, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
	"$ZP" info "$work/sparse")
check "info on a 4 GiB sparse file exits" "${maxrss% *}" 1
[ "${maxrss#* }" -lt 65536 ] && ok "info on a 4 GiB sparse file: max RSS ${maxrss#* } KiB" ||
	bad "info on a 4 GiB sparse file: max RSS ${maxrss#* } KiB (it read the file)"
grep -q "sparse: not a kernel image we know" "$work/sparse.err" &&
	ok "info: $(cat "$work/sparse.err")" || bad "info on zeros: $(cat "$work/sparse.err")"
[ $fails -eq 0 ]
