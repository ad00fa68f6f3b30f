#!/bin/bash
# Deleting a network namespace with uplinks configured (and a device that
# outlives them in another netns) frees everything: its debugfs directory
# goes, the module's reference count and the kernel's slab and netns
# counts return to where they were, and the kernel logs no warning.
#
#   netns a (deleted, 20 times):  eth1, eth2 (dummy), 0 or 100 uplinks
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

# One round: a netns with UPLINKS uplinks (and a veth peer in b), deleted.
round()
{
	local name=mwan-$$-del$1 uplinks=$2 ino i

	ip netns add "$name"
	ip -n "$name" link add eth1 type dummy
	ip -n "$name" link add eth2 type dummy
	ip -n "$name" link set eth1 up
	ip -n "$name" link set eth2 up
	ip link add "v$$" netns "$name" type veth peer name vb netns "$(ns b)"
	for ((i = 1; i <= uplinks; i++)); do
		echo "uplink add u$i dev $([ $((i % 2)) = 0 ] && echo eth1 || echo eth2) track 192.0.2.$i"
	done | mwanctl -n "$name" -batch -
	ino=$(stat -L -c %i "/run/netns/$name")
	check_eq "$(wc -l < "/sys/kernel/debug/mwan/$ino/uplinks")" "$uplinks" "uplinks in round $1"
	ip netns del "$name"
	wait_for -t 30 test ! -e "/sys/kernel/debug/mwan/$ino"
	n b ip link del vb 2> /dev/null || true
}

# Freed memory comes back after an RCU grace period and the netns cleanup
# work: measure the growth of ten rounds without uplinks (the noise of
# making and deleting namespaces) and ten rounds with 100 uplinks each.
settle()
{
	local prev now i

	sync
	sleep 2
	now=$(kmalloc_objs)
	# Under load RCU callbacks and the netns cleanup work lag: wait until
	# the count holds still (at most 10 s more).
	for i in $(seq 10); do
		prev=$now
		sleep 1
		now=$(kmalloc_objs)
		[ $((prev - now)) -lt 50 ] && [ $((now - prev)) -lt 50 ] && break
	done
	echo "$now"
}
for r in $(seq 10); do
	round "c$r" 0
done
slab_mid=$(settle)
for r in $(seq 10); do
	round "$r" 100
done
wait_for -t 30 dirs_are "$dirs_before"
check_eq "$(cat /sys/module/mwan/refcnt)" "$refcnt" "module reference count"
slab_after=$(settle)
noise=$((slab_mid - slab_before))
growth=$((slab_after - slab_mid))
log "kmalloc objects: $slab_before, $slab_mid after 10 empty rounds, $slab_after after 10 rounds of 100 uplinks"
# 1000 leaked uplinks hold at least one kmalloc object each. The rounds
# without uplinks may free more than they leave (caches warmed before the
# test settling), so a negative noise counts as none.
[ "$noise" -ge 0 ] || noise=0
if [ $((growth - noise)) -gt 800 ]; then
	fail "kmalloc objects grew by $growth (vs $noise without uplinks) after deleting 1000 uplinks"
fi
if dmesg | tail -n +"$((dmesg_before + 1))" | grep -E 'WARNING|BUG|Oops|leak'; then
	fail "kernel warnings while namespaces went away"
fi
