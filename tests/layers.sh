#!/bin/sh
# make check-layers can fail: the tree as it is passes, and a copy of it
# with one include planted the wrong way (up a layer, across the image and
# report peers, out of lib/ or a hosted header into lib/, or a zp_ name
# of tools/' own) fails, naming the file, the line and the rule.
# boots: none
. tests/lib.shinc
set +e	# each step is judged by its own check

out=$(sh scripts/check-layers.sh 2>&1)
check "the tree's includes go one way" "$?" 0

# planted NAME FILE INCLUDE RULE-WORDS: a copy with INCLUDE added to FILE
# after its first line fails, naming FILE:2 and the rule
planted() {
	name=$1 file=$2 inc=$3 words=$4
	rm -rf "$work/tree" && mkdir -p "$work/tree"
	cp -R tools lib include "$work/tree/"
	sed -i "1a $inc" "$work/tree/$file"
	out=$(sh scripts/check-layers.sh "$work/tree" 2>&1)
	rc=$?
	check "$name: refused" "$rc" 1
	case $out in
	*"$file:2: "*"$words"*) ok "$name: names $file:2 and the rule" ;;
	*) bad "$name: wanted '$file:2: ...$words', got: $out" ;;
	esac
}
planted "image includes cli" tools/image/bundle_read.c '#include "cli/commands.h"' \
	"image/ may not include cli/, a higher layer"
planted "report includes machine" tools/report/matrix_rows.h '#include "machine/qemu.h"' \
	"report/ may not include machine/, a higher layer"
planted "report includes image" tools/report/kcidb.c '#include "image/bundle_file.h"' \
	"report/ and image/ are peers"
planted "common includes report" tools/common/json.c '#include "report/kcidb.h"' \
	"common/ may not include report/, a higher layer"
planted "machine includes cli" tools/machine/bootpath.c '#include "cli/commands.h"' \
	"machine/ may not include cli/"
planted "tools/ names a thing of its own zp_" tools/report/kcidb.h 'int zp_kcidb_thing(void);' \
	"zp_kcidb_thing: zp_ is libzeropage's API alone"
planted "lib includes tools" lib/e820.c '#include "../tools/common/fileio.h"' \
	"includes nothing outside lib/"
planted "lib includes a hosted header" lib/e820.c '#include <stdio.h>' \
	"a hosted header"
planted "a public header includes a hosted header" include/zeropage/abi.h '#include <string.h>' \
	"a hosted header"

[ $fails -eq 0 ]
