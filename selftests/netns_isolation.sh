#!/bin/bash
# Uplinks live in their network namespace: two namespaces have their own
# uplinks (same names allowed, own marks), each sees only its own, -n NETNS
# and "ip netns exec" address the same one, and deleting in one leaves the
# other alone.
#
#   netns a:  eth1 (dummy)      netns b:  eth1 (dummy)
. "$(dirname "$0")/lib.sh"

require_module dummy
ns_add a b
for x in a b; do
	n "$x" ip link add eth1 type dummy
	n "$x" ip link set eth1 up
done
names()
{
	mwanctl -j -n "$(ns "$1")" uplink show |
		python3 -c 'import json, sys; print(" ".join(u["name"] + ":" + str(u["mark"]) for u in json.load(sys.stdin)))'
}
mask=$(cat /sys/module/mwan/parameters/mark_mask)
shift_bits=$(python3 -c "m = $mask; print((m & -m).bit_length() - 1)")
m1=$((1 << shift_bits))
m2=$((2 << shift_bits))

mwanctl -n "$(ns a)" uplink add wan1 dev eth1
mwanctl -n "$(ns a)" uplink add wan2 dev eth1
n b mwanctl uplink add wan1 dev eth1 weight 7

check_eq "$(names a)" "wan1:$m1 wan2:$m2" "netns a"
check_eq "$(names b)" "wan1:$m1" "netns b"
check_eq "$(n b mwanctl -j uplink show wan1 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["weight"])')" 7 \
	"netns b's wan1 is its own"
check_eq "$(mwanctl -j uplink show)" "[]" "the initial netns has none"
expect_fail -m "no such uplink" mwanctl -n "$(ns b)" uplink show wan2
expect_fail mwanctl -n "mwan-$$-nosuchns" uplink show

mwanctl -n "$(ns a)" uplink del wan1
check_eq "$(names a)" "wan2:$m2" "netns a after del"
check_eq "$(names b)" "wan1:$m1" "netns b untouched"

if [ -d /sys/kernel/debug/mwan ]; then
	ia=$(stat -L -c %i "/run/netns/$(ns a)")
	ib=$(stat -L -c %i "/run/netns/$(ns b)")
	check_eq "$(cut -d ' ' -f 1 "/sys/kernel/debug/mwan/$ia/uplinks")" wan2 "debugfs of a"
	check_eq "$(cut -d ' ' -f 1 "/sys/kernel/debug/mwan/$ib/uplinks")" wan1 "debugfs of b"
fi
