#!/bin/bash
# An uplink follows its device by name: a rename is followed, a deleted
# device leaves the uplink listed but down with reason no_device (ifindex
# 0), a device of that name appearing again brings it back, and link
# down/up (admin and carrier) takes it down with reason link and back up.
#
#   netns a:  eth1 (dummy), veth0 <-> veth1 (peer, for carrier)
. "$(dirname "$0")/lib.sh"

require_module dummy veth
ns_add a
n a ip link add eth1 type dummy
n a ip link set eth1 up
mw()
{
	mwanctl -n "$(ns a)" "$@"
}

# state/reason/dev/ifindex of uplink $1 as "state reason dev ifindex"
st()
{
	mw -j uplink show "$1" |
		python3 -c 'import json, sys; u = json.load(sys.stdin)[0]; print(u["state"], u.get("reason", "-"), u["dev"], u["ifindex"])'
}
state_is()
{
	test "$(st "$1")" = "$2"
}
ifindex()
{
	n a cat "/sys/class/net/$1/ifindex"
}

mw uplink add wan1 dev eth1
check_eq "$(st wan1)" "up - eth1 $(ifindex eth1)" "new uplink"

n a ip link set eth1 down
check_eq "$(st wan1)" "down link eth1 $(ifindex eth1)" "device down"
n a ip link set eth1 up
check_eq "$(st wan1)" "up - eth1 $(ifindex eth1)" "device up again"

n a ip link set eth1 down
n a ip link set eth1 name wanx
n a ip link set wanx up
check_eq "$(st wan1)" "up - wanx $(ifindex wanx)" "after rename"

n a ip link del wanx
check_eq "$(st wan1)" "down no_device wanx 0" "device deleted"
check_eq "$(mw -j uplink show | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')" 1 \
	"uplink still listed"

n a ip link add wanx type dummy
check_eq "$(st wan1)" "down link wanx $(ifindex wanx)" "device recreated, still down"
n a ip link set wanx up
check_eq "$(st wan1)" "up - wanx $(ifindex wanx)" "recreated device up"

# A device whose name becomes the uplink's by a rename is picked up too.
n a ip link del wanx
n a ip link add other type dummy
n a ip link set other up
check_eq "$(st wan1)" "down no_device wanx 0" "other device does not match"
n a ip link set other down
n a ip link set other name wanx
n a ip link set wanx up
check_eq "$(st wan1)" "up - wanx $(ifindex wanx)" "device renamed to the uplink's name"

# Carrier: a veth is up only while its peer is.
n a ip link add veth0 type veth peer name veth1
n a ip link set veth0 up
mw uplink add wan2 dev veth0
check_eq "$(st wan2)" "down link veth0 $(ifindex veth0)" "veth without carrier"
n a ip link set veth1 up
wait_for -t 5 state_is wan2 "up - veth0 $(ifindex veth0)"
n a ip link set veth1 down
wait_for -t 5 state_is wan2 "down link veth0 $(ifindex veth0)"

# Forced admin state overrides the link, but not a missing device.
mw uplink set wan2 state up
check_eq "$(st wan2)" "up - veth0 $(ifindex veth0)" "admin up without carrier"
n a ip link del veth0
check_eq "$(st wan2)" "down no_device veth0 0" "admin up, device gone"
