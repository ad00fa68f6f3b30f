#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the installed Debian kernels, oldest first, one per line: those with
# both a bootable image (/boot/vmlinuz-KVER) and kbuild headers
# (/lib/modules/KVER/build). Other directories in /lib/modules (a host
# kernel without an image, leftovers of removed packages) are not kernels
# mwan can be built for and tested on.
for dir in /lib/modules/*/; do
	kver=$(basename "$dir")
	[ -f "/boot/vmlinuz-$kver" ] && [ -d "$dir/build" ] && echo "$kver"
done | sort -V
