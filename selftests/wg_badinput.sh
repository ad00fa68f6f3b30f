#!/bin/bash
# Bad "mwanctl wg" command lines each fail with exit 1 and exactly one
# "Error: ..." line naming the bad token, and leave "wg show" (text and
# -j -s) exactly as it was: an unknown device, a device that is not
# WireGuard, a malformed key, a peer the device does not have, port 0 and
# 65536, malformed addresses, an unknown uplink in "via", too many and
# duplicate endpoints, an existing set, a missing set, an uplink still
# bound. Also "track handshake" (WireGuard devices only) and a set that
# follows its device through a rename and a deletion.
#
#   netns a:  eth1, eth2 (dummy, up): uplinks isp1, isp2
#             wg0 (WireGuard, peer $peer): endpoint set
. "$(dirname "$0")/lib.sh"

require_module dummy wireguard
require_cmd wg
ns_add a
for dev in eth1 eth2; do
	n a ip link add "$dev" type dummy
	n a ip link set "$dev" up
done
n a ip link add wg0 type wireguard
peer=$(wg genkey | wg pubkey)
other=$(wg genkey | wg pubkey)
n a wg set wg0 private-key <(wg genkey) peer "$peer" allowed-ips 10.99.0.2/32
mw()
{
	mwanctl -n "$(ns a)" "$@"
}
config()
{
	mw -j -s wg show
	mw wg show
	mw -j uplink show | python3 -c 'import json, sys
print([(u["name"], u["dev"], u.get("handshake_max_s")) for u in json.load(sys.stdin)])'
}

mw uplink add isp1 dev eth1
mw uplink add isp2 dev eth2
mw wg add dev wg0 peer "$peer" endpoint 192.0.2.2:51820 via isp1 endpoint '[2001:db8::2]:51820'
before=$(config)
check_eq "$(mw wg show | head -1)" "dev wg0 peer $peer active 192.0.2.2:51820" "the set"

ep="endpoint 1.2.3.4:5"
# mwanctl's own checks: nothing reaches the kernel.
expect_fail -m '"abc"' mw wg add dev wg0 peer abc $ep
expect_fail -m "\"${peer%=}\"" mw wg add dev wg0 peer "${peer%=}" $ep
expect_fail -m '"1.2.3.4:0"' mw wg add dev wg0 peer "$other" endpoint 1.2.3.4:0
expect_fail -m '"1.2.3.4:65536"' mw wg replace dev wg0 peer "$peer" endpoint 1.2.3.4:65536
expect_fail -m '"1.2.3:5"' mw wg add dev wg0 peer "$other" endpoint 1.2.3:5
expect_fail -m '"2001:db8::1:5"' mw wg add dev wg0 peer "$other" endpoint 2001:db8::1:5
expect_fail -m '"0.0.0.0:5"' mw wg add dev wg0 peer "$other" endpoint 0.0.0.0:5
expect_fail -m '"1.2.3.4:5" is wrong: duplicate endpoint' \
	mw wg replace dev wg0 peer "$peer" $ep via isp1 $ep
expect_fail -m '"1.0.0.9:9" is wrong: too many endpoints' \
	mw wg replace dev wg0 peer "$peer" endpoint 1.0.0.1:1 endpoint 1.0.0.2:2 \
	endpoint 1.0.0.3:3 endpoint 1.0.0.4:4 endpoint 1.0.0.5:5 endpoint 1.0.0.6:6 \
	endpoint 1.0.0.7:7 endpoint 1.0.0.8:8 endpoint 1.0.0.9:9
expect_fail -m '"via" must follow an endpoint' mw wg add dev wg0 peer "$other" via isp1
expect_fail -m '"endpoint" is required' mw wg add dev wg0 peer "$other"
expect_fail -m 'unknown command "flush"' mw wg flush

# Asked of WireGuard before sending: the peer must be the device's.
expect_fail -m "device wg0 has no peer $other" mw wg add dev wg0 peer "$other" $ep
expect_fail -m "device wg0 has no peer $other" mw wg replace dev wg0 peer "$other" $ep

# The kernel's extack, each naming what is wrong.
expect_fail -m "no such device wg9" mw wg add dev wg9 peer "$peer" $ep
expect_fail -m "device eth1 is not a WireGuard device" mw wg add dev eth1 peer "$peer" $ep
expect_fail -m "no such uplink isp9" mw wg replace dev wg0 peer "$peer" $ep via isp9
expect_fail -m "already exists" mw wg add dev wg0 peer "$peer" $ep
expect_fail -m "uplink in use by WireGuard endpoint sets" mw uplink del isp1
expect_fail -m "needs a WireGuard device: eth1 is not one" mw uplink set isp1 track handshake
expect_fail -m '"86401"' mw uplink set isp1 track handshake 86401
check_eq "$(config)" "$before" "configuration after the failures"

n a wg set wg0 peer "$other" allowed-ips 10.99.0.3/32
expect_fail -m "no endpoint set for this device and peer" mw wg replace dev wg0 peer "$other" $ep
expect_fail -m "no endpoint set for this device and peer" mw wg del dev wg0 peer "$other"
check_eq "$(config)" "$before" "configuration after the failures on a second peer"

# The good commands still work after all that, "show" filters by device.
mw wg a dev wg0 peer "$other" $ep
mw wg replace dev wg0 peer "$other" endpoint 1.2.3.4:6 via isp2
check_eq "$(mw -j wg show dev wg0 | python3 -c 'import json, sys
print([(s["active"], s["endpoints"]) for s in json.load(sys.stdin) if s["peer"] == sys.argv[1]])' "$other")" \
	"[('1.2.3.4:6', [{'endpoint': '1.2.3.4:6', 'via': 'isp2', 'usable': True}])]" "replace sets the endpoints"
check_eq "$(mw wg show dev wg9)" "" "show dev wg9: nothing"
mw wg del dev wg0 peer "$other"

# A set follows its device: renamed, then gone (kept, ifindex 0).
n a ip link set wg0 name wg1
check_eq "$(mw wg show | head -1)" "dev wg1 peer $peer active 192.0.2.2:51820" "set follows the rename"
n a ip link del wg1
check_eq "$(mw -j wg show | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["dev"])')" \
	wg1 "set kept while its device is gone"
mw wg del dev wg1 peer "$peer"
check_eq "$(mw wg show)" "" "no sets left"
mw uplink del isp1

# track handshake: WireGuard devices only, default 180 s, 0 turns it off.
n a ip link add wg2 type wireguard
n a ip link set wg2 up
mw uplink add tun dev wg2 track handshake
check_eq "$(mw -j uplink show tun | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["handshake_max_s"])')" \
	180 "track handshake: 180 s by default"
mw uplink set tun track handshake 30 weight 2
mw uplink show tun | grep -q " track handshake 30" || fail "track handshake 30 not shown"
mw uplink set tun track handshake 0
mw uplink show tun | grep -q "handshake" && fail "track handshake 0 still shown"
expect_fail -m "eth2 is not one" mw uplink add tun2 dev eth2 track handshake 10
exit 0
