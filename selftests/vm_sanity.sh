#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test VM is what the other selftests assume: mwan.ko is loaded with
# its mark_mask parameter, the kernel modules they use load from the host,
# and two network namespaces joined by a veth pair can ping each other.
. "$(dirname "$0")/lib.sh"

[ -d /sys/module/mwan ] || fail "mwan.ko is not loaded"
[ -r /sys/module/mwan/parameters/mark_mask ] ||
	fail "no /sys/module/mwan/parameters/mark_mask"
log "mark_mask=$(cat /sys/module/mwan/parameters/mark_mask)"

for mod in veth wireguard nf_conntrack nf_tables sch_netem ip6_tables ip6t_NPT; do
	modprobe "$mod" || fail "modprobe $mod"
done

ns_add a b
ip link add veth0 netns "$(ns a)" type veth peer name veth0 netns "$(ns b)"
n a ip addr add 192.0.2.1/24 dev veth0
n b ip addr add 192.0.2.2/24 dev veth0
n a ip -6 addr add 2001:db8::1/64 dev veth0 nodad
n b ip -6 addr add 2001:db8::2/64 dev veth0 nodad
n a ip link set veth0 up
n b ip link set veth0 up

n a ping -q -c 1 -W 5 192.0.2.2 > /dev/null || fail "no IPv4 ping over veth"
n b ping -q -c 1 -W 5 2001:db8::1 > /dev/null || fail "no IPv6 ping over veth"
