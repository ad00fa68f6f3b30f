#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: scripts/dkms.sh install | uninstall | build KVER
#
# install    copy kmod/, uapi/, dkms/dkms.conf and VERSION to
#            /usr/src/mwan-VERSION and add, build and install mwan.ko with
#            DKMS for every installed kernel that has headers; replaces an
#            earlier registration of the same version, so running it twice
#            is harmless and picks up source changes.
# uninstall  remove every version of mwan from DKMS and /usr/src.
# build KVER a real "dkms build" for KVER in a private DKMS tree under
#            build/dkms/ (for make check): /var/lib/dkms and /usr/src are
#            not touched.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
version=$(cat "$top/VERSION")

err()
{
	echo "dkms.sh: $*" >&2
	exit 1
}

command -v dkms > /dev/null || err "dkms not installed (make deps)"

# stage DIR: the DKMS source tree DIR/mwan-VERSION, without build products.
stage()
{
	local src=$1/mwan-$version

	[ -f "$top/kmod/Makefile" ] || err "kmod/Makefile missing: nothing to install"
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$top" && find kmod uapi -type f ! -name '.*' ! -name '*.o' \
		! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' \
		! -name modules.order ! -name Module.symvers) |
		(cd "$top" && cpio --quiet -pdm "$src")
	sed "s/@VERSION@/$version/" "$top/dkms/dkms.conf" > "$src/dkms.conf"
	cp "$top/VERSION" "$src/VERSION"
}

# Versions of mwan that DKMS knows, one per line.
registered()
{
	dkms status mwan "$@" 2> /dev/null | sed -nE 's|^mwan/([^,:]+).*|\1|p' | sort -u
}

uninstall()
{
	local v

	for v in $(registered); do
		dkms remove "mwan/$v" --all
	done
	rm -rf /usr/src/mwan-*
}

install()
{
	local kernels kver

	kernels=$("$top/scripts/kernels.sh")
	[ -n "$kernels" ] || err "no kernel with headers installed (make deps)"
	uninstall
	stage /usr/src
	dkms add "mwan/$version"
	for kver in $kernels; do
		dkms build "mwan/$version" -k "$kver"
		dkms install "mwan/$version" -k "$kver"
	done
	dkms status mwan
}

build()
{
	local kver=$1 tree=$top/build/dkms/$1

	# One private tree per kernel, so that builds for several kernels
	# can run at once.
	rm -rf "$tree"
	mkdir -p "$tree/dkms" "$tree/src" "$tree/modules"
	stage "$tree/src"
	set -- --dkmstree "$tree/dkms" --sourcetree "$tree/src" \
		--installtree "$tree/modules"
	# DKMS would otherwise make its signing key in /var/lib/dkms.
	export mok_signing_key=$tree/mok.key mok_certificate=$tree/mok.pub
	dkms add "mwan/$version" "$@"
	dkms build "mwan/$version" -k "$kver" "$@"
	find "$tree/dkms/mwan/$version/$kver" -name 'mwan.ko*' | grep -q . ||
		err "dkms build for $kver made no mwan.ko"
}

case ${1-} in
install) install ;;
uninstall) uninstall ;;
build) [ $# -eq 2 ] || err "usage: scripts/dkms.sh build KVER"; build "$2" ;;
*) err "usage: scripts/dkms.sh install | uninstall | build KVER" ;;
esac
