#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: scripts/build-kmod.sh KVER
#
# Builds build/kmod/KVER/mwan.ko: mirrors kmod/, uapi/ and VERSION into
# build/kmod/KVER/ (kbuild writes its objects beside the
# sources, so each kernel gets its own copy) and runs kmod/Makefile there
# with W=1. Only changed files are copied, so an unchanged tree rebuilds
# nothing. Any compiler or modpost warning fails the build.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
kver=${1:?usage: scripts/build-kmod.sh KVER}
kdir=/lib/modules/$kver/build
out=$top/build/kmod/$kver

err()
{
	echo "build-kmod: $*" >&2
	exit 1
}

[ -d "$kdir" ] || err "no headers for $kver in $kdir (make deps)"
[ -f "$top/kmod/Makefile" ] || err "kmod/Makefile missing: nothing to build mwan.ko from"

# Mirror by content: a copied file gets a new mtime whenever it differs,
# even if the source went back to an older mtime, so kbuild sees the change.
# Files that left the source tree leave the mirror.
mkdir -p "$out"
(cd "$top" && { find kmod uapi -type f ! -name '.*'; echo VERSION; } | LC_ALL=C sort) > "$out/.sources.new"
while read -r f; do
	if ! cmp -s "$top/$f" "$out/$f"; then
		mkdir -p "$(dirname "$out/$f")"
		cp "$top/$f" "$out/$f"
	fi
done < "$out/.sources.new"
if [ -f "$out/.sources" ]; then
	LC_ALL=C comm -23 "$out/.sources" "$out/.sources.new" | while read -r f; do
		rm -f "$out/$f"
	done
fi
mv "$out/.sources.new" "$out/.sources"

log=$out/build.log
rc=0
make -C "$out/kmod" KDIR="$kdir" W=1 > "$log" 2>&1 || rc=$?
cat "$log"
if [ "$rc" -ne 0 ]; then
	err "mwan.ko for $kver failed to build"
fi
if grep -qi 'warning:' "$log"; then
	# Objects that built with warnings would not be rebuilt, and the
	# warnings not shown again, on the next run.
	find "$out/kmod" -name '*.o' -delete
	rm -f "$out/mwan.ko"
	err "mwan.ko for $kver built with warnings (W=1 must be clean)"
fi
[ -f "$out/kmod/mwan.ko" ] || err "kbuild made no $out/kmod/mwan.ko"
if ! cmp -s "$out/kmod/mwan.ko" "$out/mwan.ko"; then
	cp "$out/kmod/mwan.ko" "$out/mwan.ko.tmp"
	mv "$out/mwan.ko.tmp" "$out/mwan.ko"
fi
