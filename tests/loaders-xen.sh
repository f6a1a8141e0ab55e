#!/bin/sh
# The Xen verdicts of `zeropage info --loaders` against real boots: Xen's
# PV and PVH dom0 builders (machine xen) and libxc's PV and PVH domU
# builders through `xl create` in a toolstack dom0 (machine xen-domu), on
# the real Debian cloud kernel.  A verdict "boots" must reach the probe on
# the verdict's own matrix row, a "does not" be refused by it for the same
# reason.  Run by `make check-xen` (four Xen boots under TCG, 2 to 6
# minutes); skips, saying why, where Xen or its tools are not installed.
# suite: xen
. tests/lib.shinc
. tests/loaders_lib.shinc

if ! ls /boot/xen-*.gz >/dev/null 2>&1 && [ -z "${ZEROPAGE_XEN:-}" ]; then
	echo "skip: Xen is not installed (no /boot/xen-*.gz)"
	exit 0
fi
need_kernel
TIMEOUT=${ZEROPAGE_BOOT_TIMEOUT:-480}
agree "$kernel" xen-pv-dom0
agree "$kernel" xen-pvh-dom0-upto-4.18
if ls /usr/lib/xen-*/bin/xl >/dev/null 2>&1 && [ -x /bin/busybox ]; then
	sh scripts/fetch-dom0.sh > /dev/null || bad "cannot fetch the dom0 kernel"
	agree "$kernel" xen-pv-domu
	agree "$kernel" xen-pvh-domu
else
	ok "xen-domu verdicts: skipped (no Xen toolstack or busybox)"
fi
[ $fails -eq 0 ]
