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
	libcmocka-dev \
	zlib1g-dev libbz2-dev liblzma-dev liblzo2-dev liblz4-dev libzstd-dev \
	gzip bzip2 xz-utils lzop lz4 zstd \
	qemu-system-x86 cpio jq hyperfine ca-certificates \
	bc procps groff-base man-db libxml2-utils
