#!/bin/sh
# Installs what building and testing zeropage needs on Debian 12.
# Run as root (or it re-runs itself through sudo).
set -eu
if [ "$(id -u)" != 0 ]; then
	exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q \
	build-essential binutils clang llvm libclang-rt-14-dev pkg-config \
	libcmocka-dev libjson-c-dev nettle-dev \
	zlib1g-dev libbz2-dev liblzma-dev liblzo2-dev liblz4-dev libzstd-dev \
	gzip bzip2 xz-utils lzop lz4 zstd \
	qemu-system-x86 cpio jq hyperfine ca-certificates \
	bc procps groff-base man-db libxml2-utils util-linux
# Kernels given as packages (.deb, .rpm) are read with libarchive; the
# tests build packages with dpkg-deb (dpkg) and rpmbuild (rpm).
apt-get install -y -q --no-install-recommends libarchive-dev dpkg rpm
# KCIDB output is validated against the schema's own JSON Schema with a
# real validator (tests/kcidb.sh).
apt-get install -y -q --no-install-recommends python3-jsonschema
# The bash completion: tests/completion.sh runs it under bash-completion,
# whose pkg-config file also says where `make install` puts it.
apt-get install -y -q --no-install-recommends bash-completion
# The CI job definitions (ci/*/zeropage-matrix.yml) are read as YAML by
# tests/shard-merge.sh.
apt-get install -y -q --no-install-recommends python3-yaml
# Unified Kernel Images: the tests make one from Debian's systemd-stub.
apt-get install -y -q --no-install-recommends systemd-boot-efi
# The firmware and loader paths: OVMF (x64 and 32-bit UEFI), GRUB for BIOS
# and UEFI with what grub-mkrescue needs.  Without recommends: GRUB's would
# bring the signed EFI images and efibootmgr, whose setup wants a real ESP.
apt-get install -y -q --no-install-recommends \
	ovmf ovmf-ia32 grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools
# zeropage's own EFI loader (efi/, the efi-handover paths): gnu-efi's
# start-up code, linker scripts and libraries, for x86_64 and ia32 (Debian's
# amd64 package carries both).  Without it the loader is not built and
# those paths are skipped.
apt-get install -y -q --no-install-recommends gnu-efi
# The xen machine (`--machine xen`): Debian's Xen hypervisor alone, which
# zeropage unpacks and boots under QEMU.  Without recommends it is 4 MB and
# pulls in no toolstack.  Where it cannot be had, the Xen tests skip.
apt-get install -y -q --no-install-recommends xen-hypervisor-4.17-amd64 ||
	echo "install-deps: xen-hypervisor-4.17-amd64 not installable: the xen machine's tests will skip" >&2
# The matrix's HTML page (tests/html.sh): tidy and html5lib's strict
# parser check it is valid HTML5; headless Chromium renders it, to check
# what a reader sees and that no guest string becomes markup.  Without
# recommends: Chromium's would bring fonts and desktop integration the
# headless browser does not need.  Where Chromium cannot be had, the
# rendering checks skip.
apt-get install -y -q --no-install-recommends tidy python3-html5lib
apt-get install -y -q --no-install-recommends chromium ||
	echo "install-deps: chromium not installable: tests/html.sh will not render the page" >&2
# The xen-domu machine (`--machine xen-domu`): its dom0 runs Xen's own
# toolstack, taken from the host's packages (xl, xenstored, xenconsoled,
# xen-init-dom0 and their libraries), with busybox-static as its shell;
# zeropage copies them into the dom0's initramfs, nothing runs on the host.
# Without recommends: no daemons or Python tools are needed.  Where they
# cannot be had, the xen-domu tests skip.
apt-get install -y -q --no-install-recommends busybox-static xen-utils-4.17 ||
	echo "install-deps: busybox-static or xen-utils-4.17 not installable: the xen-domu tests will skip" >&2
