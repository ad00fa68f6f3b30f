#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages that mwan needs to build, test and package
# (Debian 12, bookworm). Installs only what is missing and runs
# "apt-get update" only when a missing package has no install candidate.
# An unreachable extra apt source is reported and otherwise ignored.
#
# Kernel packages: every kernel installed here is one mwan is built and
# tested for; the VM harness boots them with its own initramfs. When this
# machine does not boot from /boot (its running kernel has no
# /boot/vmlinuz), Debian's initramfs for those kernels would never be used,
# so it is not generated (INITRD=No, honoured by
# /etc/kernel/postinst.d/initramfs-tools); that saves a minute or so.
set -euo pipefail

packages=(
	# build
	make build-essential pkg-config binutils
	libmnl-dev libnl-3-dev libnl-genl-3-dev
	# fuzzers and sanitizers
	clang llvm libclang-rt-14-dev
	# kernels to build for and boot
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	dkms kmod xz-utils
	# VM harness
	qemu-system-x86 busybox-static cpio
	# selftests
	iproute2 iputils-ping nftables iptables conntrack wireguard-tools
	iperf3 tcpdump socat netcat-openbsd ethtool procps util-linux jq
	python3 python3-yaml
)

missing()
{
	local installed

	installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
		"${packages[@]}" 2> /dev/null | awk '$1 == "ii" { print $2 }')
	printf '%s\n' "${packages[@]}" | grep -vxF "$installed"
}

mapfile -t todo < <(missing)
if [ ${#todo[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages installed"
	exit 0
fi
echo "deps: installing ${todo[*]}"

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: must run as root to install packages" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ ! -e "/boot/vmlinuz-$(uname -r)" ]; then
	export INITRD=No
fi

no_candidate()
{
	local pkg

	for pkg in "${todo[@]}"; do
		apt-cache policy "$pkg" 2> /dev/null |
			grep -q 'Candidate: [^(]' || return 0
	done
	return 1
}

if no_candidate; then
	# A source that cannot be reached leaves its old lists in place; the
	# packages come from the others.
	apt-get update -q || echo "deps: apt-get update reported errors; going on" >&2
fi

apt-get install -q -y --no-install-recommends \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	"${todo[@]}"

mapfile -t left < <(missing)
if [ ${#left[@]} -ne 0 ]; then
	echo "deps: still missing after apt-get install: ${left[*]}" >&2
	exit 1
fi
