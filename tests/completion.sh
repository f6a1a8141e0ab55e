#!/bin/sh
# The bash completion (completions/zeropage) in bash, as a user's shell
# runs it: with Debian's bash-completion loaded, and bare (sourced alone).
# Each case sets COMP_WORDS as bash would for the line, calls _zeropage
# and checks COMPREPLY: commands, each command's options from its --help,
# path and machine names from the table (`zeropage help --names`, asked at
# completion time: a stand-in zeropage with other names gets its names),
# comma lists, fixed values, files.
# boots: none
. tests/lib.shinc

bc=/usr/share/bash-completion/bash_completion
[ -f "$bc" ] || { echo "FAIL no $bc: apt-get install bash-completion"; exit 1; }
cat > "$work/comp.bash" <<'EOF'
# comp.bash MODE WORD...: COMPREPLY for the line WORD..., the last word the
# one being completed, sorted, one line
[ "$1" = full ] && . /usr/share/bash-completion/bash_completion
shift
. completions/zeropage
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE=${LINE:-"$*"}	# as typed, where bash split a word at '='
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_zeropage zeropage "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ' -
EOF
comp() { bash --norc --noprofile "$work/comp.bash" "$mode" "$@"; }
sorted() { printf '%s\n' "$@" | sort | paste -sd' ' -; }

paths=$("$ZP" help --names paths)
touch "$work/vmlinuz-1" "$work/vmlinuz-2" "$work/s1.json" "$work/notes.txt"
for mode in full bare; do
	check "$mode: commands" "$(comp "$ZP" '')" \
		"$(sorted $("$ZP" help --names commands) --help --version)"
	check "$mode: a command by its start" "$(comp "$ZP" ma)" matrix
	check "$mode: boot --entry, every path" "$(comp "$ZP" boot K --entry '')" "$(sorted $paths)"
	check "$mode: boot --entry shim-" "$(comp "$ZP" boot K --entry shim-)" \
		"$(sorted $(echo "$paths" | grep '^shim-'))"
	check "$mode: matrix --reference q" "$(comp "$ZP" matrix K --reference q)" "qemu-bios qemu-pvh"
	check "$mode: matrix --paths, the list's last item" \
		"$(comp "$ZP" matrix K --paths qemu-bios,shim-s)" "qemu-bios,shim-subarch"
	check "$mode: matrix --across, a comma list of paths" \
		"$(comp "$ZP" matrix K --across shim-64,qemu-p)" "shim-64,qemu-pvh"
	check "$mode: boot --machine" "$(comp "$ZP" boot K --machine '')" \
		"$(sorted $("$ZP" help --names machines))"
	check "$mode: matrix --machine pc,q" "$(comp "$ZP" matrix --machine pc,q)" "pc,q35"
	check "$mode: bundle --entry (the shim's)" "$(comp "$ZP" bundle --entry '')" "32 64 vmlinux"
	check "$mode: --accel" "$(comp "$ZP" boot K --accel '')" "auto kvm tcg"
	check "$mode: boot's options --e" "$(comp "$ZP" boot --e)" --entry
	check "$mode: matrix's options --k" "$(comp "$ZP" matrix --k)" "--kcidb --kcidb-origin --kernel-version"
	check "$mode: extract's -o and --output" "$(comp "$ZP" extract K -)" \
		"$(sorted -o --output -q --quiet -h --help --kernel-version)"
	check "$mode: help --names" "$(comp "$ZP" help --names '')" "commands machines paths"
	check "$mode: a KERNEL is a file" "$(comp "$ZP" info "$work/vm")" \
		"$work/vmlinuz-1 $work/vmlinuz-2"
	check "$mode: --json F is a file" "$(comp "$ZP" boot K --json "$work/s")" "$work/s1.json"
	check "$mode: --entry=shim-6 (bash splits it at '=')" \
		"$(LINE="$ZP boot K --entry=shim-6" comp "$ZP" boot K --entry = shim-6)" shim-64
	check "$mode: --paths=qemu-bios,shim-s" \
		"$(LINE="$ZP matrix K --paths=qemu-bios,shim-s" comp "$ZP" matrix K --paths = qemu-bios,shim-s)" \
		qemu-bios,shim-subarch
	check "$mode: nothing to offer for --timeout" "$(comp "$ZP" boot K --timeout '')" ""
done
# bash-completion's _filedir: report's operands are the shards' JSON
mode=full
check "full: report takes JSON files" "$(comp "$ZP" report "$work/")" "$work/s1.json"
# the names come from the zeropage on the line, not from a list here
cat > "$work/zeropage" <<'EOF'
#!/bin/sh
[ "$1 $2 $3" = "help --names paths" ] && printf 'qemu-bios\nnew-path\n'
EOF
chmod +x "$work/zeropage"
check "names asked of the zeropage completed" "$(comp "$work/zeropage" boot K --entry n)" new-path
[ $fails -eq 0 ]
