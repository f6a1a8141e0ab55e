#!/bin/sh
# Nothing a guest or an image says reaches the terminal raw: a console, a
# probe line, a panic message, a saved shard and a UKI that carry ESC,
# OSC, CSI and C1 sequences (as a raw 0x9b byte and as UTF-8 U+009B) are
# shown escaped (\x1b, \u009b) by `boot` (its console echo, the probe
# report, the verdict), `matrix` and `report` (the table, the reasons) and
# `info` (a UKI's section names, .uname, .osrel, .cmdline), while the JSON
# keeps every byte.  No guest boots: QEMU is a script that prints.
. tests/lib.shinc
set +e	# each step is judged by its own check
STUB=${ZEROPAGE_UKI_STUB:-/usr/lib/systemd/boot/efi/linuxx64.efi.stub}

need_kernel

# terminal_safe NAME FILE: no C0 byte but \n, no DEL, no C1 as UTF-8, and
# valid UTF-8 throughout (so no raw 0x80-0x9f byte either).
terminal_safe() {
	if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$2"; then
		bad "$1: a raw control byte: $(LC_ALL=C grep -m1 "$(printf '[\001-\011\013-\037\177]')" "$2" | od -c | head -n 2)"
	elif [ "$(tr -cd '\000' < "$2" | wc -c)" != 0 ]; then
		bad "$1: a raw NUL"
	elif LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$2"; then
		bad "$1: a C1 control as UTF-8"
	elif ! iconv -f UTF-8 -t UTF-8 "$2" > /dev/null 2>&1; then
		bad "$1: invalid UTF-8"
	else
		ok "$1: no raw control bytes"
	fi
}
# shows NAME FILE TEXT: FILE has TEXT, literally.
shows() {
	grep -qF -- "$3" "$2" && ok "$1: shows $3" || bad "$1: lacks '$3': $(head -c 600 "$2")"
}

# Every sequence at once: OSC retitling, CSI clearing, C1 CSI both ways,
# a lone CR that would overwrite the line, invalid UTF-8.
hostile='\033]0;pwned\007\033[2J\302\2332J\2332J evil\rgood \377'
cmdline_hex=$(printf "console=ttyS0 $hostile" | od -An -tx1 | tr -d ' \n')
zero_page=$(printf '%08192d' 0)
cat > "$work/probe-qemu" <<EOF
#!/bin/sh
printf 'Linux version 6.1 $hostile\\n'
printf 'ZEROPAGE-PROBE v=1 cmdline=$cmdline_hex initrd=-1 uptime=0.50 memmap=0x0-0x9fbff:RAM\\033]0;t\\007 bootparams=$zero_page\\n'
EOF
cat > "$work/panic-qemu" <<EOF
#!/bin/sh
printf 'Kernel panic - not syncing: $hostile\\n'
EOF
chmod +x "$work/probe-qemu" "$work/panic-qemu"

# boot: the console echoed, the probe's report, the mismatch it gives
ZEROPAGE_QEMU=$work/probe-qemu "$ZP" boot "$kernel" --accel tcg --timeout 30 \
	--json "$work/b.json" > "$work/b.out" 2>&1
terminal_safe "boot: console and report" "$work/b.out"
shows "boot: console" "$work/b.out" 'Linux version 6.1 \x1b]0;pwned\x07\x1b[2J\u009b2J\x9b2J evil\rgood \xff'
shows "boot: probe cmdline" "$work/b.out" 'cmdline               console=ttyS0 \x1b]0;pwned\x07'
shows "boot: memmap type" "$work/b.out" 'RAM\x1b]0;t\x07'
jq -r .report.cmdline "$work/b.json" | grep -q "$(printf '\033]0;pwned\007\033\[2J\302\233')" &&
	ok "boot: the JSON keeps the guest's bytes" || bad "boot: the JSON lost the guest's bytes"

# boot: a panic's reason on stderr
ZEROPAGE_QEMU=$work/panic-qemu "$ZP" boot "$kernel" -q --accel tcg --timeout 30 \
	> "$work/p.out" 2>&1
terminal_safe "boot: panic reason" "$work/p.out"
shows "boot: panic reason" "$work/p.out" 'panic: Kernel panic - not syncing: \x1b]0;pwned\x07'

# matrix: the table and the reasons under it
ZEROPAGE_QEMU=$work/panic-qemu "$ZP" matrix "$kernel" --paths qemu-bios --machine pc \
	--accel tcg --timeout 30 --json "$work/m.json" > "$work/m.out" 2>&1
terminal_safe "matrix: table" "$work/m.out"
shows "matrix: reason" "$work/m.out" 'qemu-bios/pc: panic: Kernel panic - not syncing: \x1b]0;pwned\x07'
jq -r '.results[0].reason' "$work/m.json" | grep -q "$(printf '\033]0;pwned\007')" &&
	ok "matrix: the JSON keeps the reason's bytes" || bad "matrix: the JSON lost the reason's bytes"

# report: a shard whose members carry sequences of their own
jq '.kernels[0].version = "6.1 \u001b]0;v\u0007" |
    .results[0].reason = "\u009b2J\u001b[31m why" |
    .results[0].machine = "pc\u001b[5m"' "$work/m.json" > "$work/badmachine.json"
jq '.kernels[0].version = "6.1 \u001b]0;v\u0007" |
    .results[0].reason = "\u009b2J\u001b[31m why"' "$work/m.json" > "$work/hostile.json"
"$ZP" report "$work/badmachine.json" > "$work/r0.out" 2>&1
check "report: a machine not of the grid: exit code" $? 1
terminal_safe "report: the error naming it" "$work/r0.out"
shows "report: the error naming it" "$work/r0.out" '"machine": "pc\x1b[5m", not the grid'"'"'s machine of that row'
"$ZP" report "$work/hostile.json" > "$work/r.out" 2>&1
terminal_safe "report: table" "$work/r.out"
shows "report: reason" "$work/r.out" ': panic: \u009b2J\x1b[31m why'
jq '.results[0].verdict = "ok\u001b]0;v\u0007"' "$work/m.json" > "$work/badverdict.json"
"$ZP" report "$work/badverdict.json" > "$work/r2.out" 2>&1
check "report: a verdict zeropage does not know: exit code" $? 1
terminal_safe "report: the error quoting it" "$work/r2.out"
shows "report: the error quoting it" "$work/r2.out" '"verdict": "ok\x1b]0;v\x07" is not one zeropage knows'

# info on a UKI whose names and texts carry sequences
if [ -r "$STUB" ]; then
	printf 'PRETTY_NAME="Evil \033]0;os\007 OS"\nNAME="x\302\233y"\n' > "$work/osrel"
	printf "quiet $hostile" > "$work/cmdline"
	printf '6.1\302\2338m' > "$work/uname"
	evil=$(printf '.e\033[2J')
	objcopy --add-section .osrel="$work/osrel" --change-section-vma .osrel=0x20000000 \
		--add-section .cmdline="$work/cmdline" --change-section-vma .cmdline=0x20010000 \
		--add-section .uname="$work/uname" --change-section-vma .uname=0x20020000 \
		--add-section "$evil=$work/uname" --change-section-vma "$evil=0x20030000" \
		--add-section .linux="$kernel" --change-section-vma .linux=0x20040000 \
		"$STUB" "$work/evil.efi"
	"$ZP" info "$work/evil.efi" > "$work/i.out" 2>&1
	check "info: exit code" $? 0
	terminal_safe "info: UKI" "$work/i.out"
	shows "info: os-release" "$work/i.out" 'Evil \x1b]0;os\x07 OS'
	# (systemd-stub, and zeropage with it, reads C0 bytes in .cmdline as spaces)
	shows "info: cmdline" "$work/i.out" ']0;pwned  [2J\u009b2J\x9b2J evil good \xff"'
	shows "info: uname" "$work/i.out" '6.1\u009b8m'
	shows "info: .osrel NAME" "$work/i.out" 'NAME="x\u009by"'
	shows "info: section name padded" "$work/i.out" '  .e\x1b[2J 0x'
	"$ZP" info --json "$work/evil.efi" | jq -r .uname | grep -q "$(printf '6.1\302\2338m')" &&
		ok "info --json: keeps the bytes" || bad "info --json: lost the bytes"
else
	echo "skip info on a UKI: $STUB missing (install systemd-boot-efi)"
fi

[ $fails -eq 0 ]
