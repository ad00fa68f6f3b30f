#!/bin/bash
# Deleting a network namespace with uplinks configured (and a device that
# outlives them in another netns) frees everything: its debugfs directory
# goes, the module's reference count and the kernel's slab and netns
# counts return to where they were, and the kernel logs no warning.
#
#   netns a (deleted, 10 times):  eth1, eth2 (dummy), 100 uplinks
#   netns b:  veth pair with one end in a, which outlives a
. "$(dirname "$0")/lib.sh"

require_module dummy veth
[ -d /sys/kernel/debug/mwan ] || skip "no /sys/kernel/debug/mwan (debugfs)"

ns_add b
refcnt=$(cat /sys/module/mwan/refcnt)
dmesg_before=$(dmesg | wc -l)
netns_dirs()
{
	ls /sys/kernel/debug/mwan | sort | tr '\n' ' '
}
dirs_before=$(netns_dirs)
dirs_are()
{
	test "$(netns_dirs)" = "$1"
}

# kmalloc objects in use, summed over the generic caches (the uplinks live there)
kmalloc_objs()
{
	awk '/^kmalloc-/ { n += $2 } END { print n }' /proc/slabinfo
}
slab_before=$(kmalloc_objs)

for round in $(seq 10); do
	name=mwan-$$-del$round
	ip netns add "$name"
	ip -n "$name" link add eth1 type dummy
	ip -n "$name" link add eth2 type dummy
	ip -n "$name" link set eth1 up
	ip link add "v$$" netns "$name" type veth peer name vb netns "$(ns b)"
	for i in $(seq 100); do
		echo "uplink add u$i dev $([ $((i % 2)) = 0 ] && echo eth1 || echo eth2) track 192.0.2.$i"
	done | mwanctl -n "$name" -batch -
	ino=$(stat -L -c %i "/run/netns/$name")
	check_eq "$(wc -l < "/sys/kernel/debug/mwan/$ino/uplinks")" 100 "uplinks in round $round"
	ip netns del "$name"
	wait_for -t 30 test ! -e "/sys/kernel/debug/mwan/$ino"
	n b ip link del vb 2> /dev/null || true
done

wait_for -t 30 dirs_are "$dirs_before"
check_eq "$(cat /sys/module/mwan/refcnt)" "$refcnt" "module reference count"
# Freed memory comes back after an RCU grace period and the netns cleanup
# work; 1000 leaked uplinks would stand far above the noise.
sync
sleep 2
slab_after=$(kmalloc_objs)
log "kmalloc objects: $slab_before before, $slab_after after"
if [ $((slab_after - slab_before)) -gt 800 ]; then
	fail "kmalloc objects grew by $((slab_after - slab_before)) after deleting 1000 uplinks"
fi
if dmesg | tail -n +"$((dmesg_before + 1))" | grep -E 'WARNING|BUG|Oops|leak'; then
	fail "kernel warnings while namespaces went away"
fi
