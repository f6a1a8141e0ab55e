#!/bin/sh
# The shim shows the kernel the machine its own PVH entry shows it.
#
# The same kernel boots through QEMU's PVH loader into the kernel's own PVH
# entry (qemu-pvh) and through the shim (shim-64, shim-32, shim-vmlinux,
# shim-subarch), on pc and microvm, and the matrix diffs every shim row's
# zero page against qemu-pvh's.  What may differ is listed here and
# explained in doc/shim-and-bundles.md ("What the shim changes"): anything
# else is a bug.  A comparison that compared nothing fails: each row must
# carry the kernel's zero page, and its diff must name what has to differ
# (type_of_loader: 0xff for the shim, QEMU's 0xb0 written by Linux's PVH
# entry), so an empty or missing diff is not taken for "equal".
# The kernel's own memory map (/sys/firmware/memmap, after it sorted and
# merged the e820 table) must be equal, but for shim-subarch's reserved
# start_info copy.
. tests/lib.shinc
need_kernel

# The setup header: the shim hands the kernel its own bzImage's header,
# where Linux's PVH entry fills in only version and type_of_loader.
header="setup_sects root_flags syssize vid_mode boot_flag jump header version
	start_sys_seg kernel_version loadflags setup_move_size code32_start heap_end_ptr
	initrd_addr_max kernel_alignment relocatable_kernel min_alignment xloadflags
	cmdline_size payload_offset payload_length pref_address init_size handover_offset
	kernel_info_offset"
# Where each loader put things, and who it says it is.
placement="cmd_line_ptr type_of_loader acpi_rsdp_addr"
allowed() {	# $1 path, $2 field
	case " $(echo $header $placement) " in *" $2 "*) return 0 ;; esac
	case "$1 $2" in
	"shim-32 scratch") return 0 ;;		# the decompressor's startup_32 stack probe
	"shim-subarch hardware_subarch_data") return 0 ;;
	"shim-subarch e820_entries"|"shim-subarch e820_table["*) return 0 ;;	# the copy, reserved
	esac
	return 1
}

$ZP matrix "$kernel" --paths qemu-pvh,shim-64,shim-32,shim-vmlinux,shim-subarch \
	--machine pc,microvm --reference qemu-pvh -j2 --json "$work/m.json" >"$work/table" 2>&1 ||
	{ bad "matrix failed: $(cat "$work/table")"; exit 1; }
cat "$work/table"
for m in pc microvm; do
	ref=$(jq -c ".results[] | select(.machine == \"$m\" and .path == \"qemu-pvh\") | .report.memmap" "$work/m.json")
	check "qemu-pvh/$m: its zero page was read (hex digits)" \
		"$(jq -r ".results[] | select(.machine == \"$m\" and .path == \"qemu-pvh\") |
			.report.boot_params_hex | length" "$work/m.json")" 8192
	for p in shim-64 shim-32 shim-vmlinux shim-subarch; do
		r=$(jq -c ".results[] | select(.machine == \"$m\" and .path == \"$p\")" "$work/m.json")
		check "$p/$m: diffed against" "$(echo "$r" | jq -r .diff_against)" qemu-pvh
		check "$p/$m: its zero page was read (hex digits)" \
			"$(echo "$r" | jq -r '.report.boot_params_hex | length')" 8192
		check "$p/$m: the diff names type_of_loader, which must differ" \
			"$(echo "$r" | jq -r '[.diff[]?.field] | index("type_of_loader") != null')" true
		unexpected=""
		for f in $(echo "$r" | jq -r '.diff[].field'); do
			allowed "$p" "$f" || unexpected="$unexpected $f"
		done
		check "$p/$m: only intended zero-page differences" "${unexpected:-none}" none
		mm=$(echo "$r" | jq -c .report.memmap)
		if [ "$p" = shim-subarch ]; then
			# equal once the reserved copy is given back to the RAM around it
			kept=$(echo "$r" | jq -r '.report.boot_params.hardware_subarch_data')
			mm=$(echo "$mm" | jq -c --argjson k "$kept" '
				map(if .start == $k then .type = "System_RAM" else . end) | reduce .[] as $e ([];
				if length > 0 and .[-1].type == $e.type and .[-1].end + 1 == $e.start
				then .[-1].end = $e.end else . + [$e] end)')
		fi
		[ -n "$ref" ] && [ "$ref" != null ] && [ "$ref" != "[]" ] && [ "$mm" = "$ref" ] &&
			ok "$p/$m: the kernel's memory map equals its own PVH entry's" ||
			bad "$p/$m: memmap $mm, qemu-pvh has $ref"
	done
done
[ $fails -eq 0 ]
