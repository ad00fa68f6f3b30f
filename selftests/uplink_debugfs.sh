#!/bin/bash
# /sys/kernel/debug/mwan/<netns inode>/uplinks lists that netns's uplinks,
# one line each ("name dev ifindex state reason admin weight metric table
# mark packets bytes flows"), and only them; the module parameter
# mark_mask is visible read-only in /sys/module/mwan/parameters.
#
#   netns a:  eth1 (dummy)      netns b:  (none)
. "$(dirname "$0")/lib.sh"

require_module dummy
[ -d /sys/kernel/debug/mwan ] || skip "no /sys/kernel/debug/mwan (debugfs)"

param=/sys/module/mwan/parameters/mark_mask
[ -f "$param" ] || fail "no $param"
check_eq "$(stat -c %a "$param")" 444 "mark_mask permissions"
mask=$(($(cat "$param")))
[ "$mask" -ne 0 ] || fail "mark_mask is 0"
shift_bits=$(python3 -c "m = $mask; print((m & -m).bit_length() - 1)")

ns_add a b
n a ip link add eth1 type dummy
n a ip link set eth1 up
ia=$(stat -L -c %i "/run/netns/$(ns a)")
ib=$(stat -L -c %i "/run/netns/$(ns b)")
fa=/sys/kernel/debug/mwan/$ia/uplinks
fb=/sys/kernel/debug/mwan/$ib/uplinks
[ -f "$fa" ] || fail "no $fa"
[ -f "$fb" ] || fail "no $fb"
check_eq "$(cat "$fa")" "" "new netns a"

mwanctl -n "$(ns a)" uplink add wan1 dev eth1 weight 3 metric 2
mwanctl -n "$(ns a)" uplink add wan2 dev eth1 table 500
mwanctl -n "$(ns a)" uplink set wan2 state down
idx=$(n a cat /sys/class/net/eth1/ifindex)
check_eq "$(cat "$fa")" "$(printf '%s\n%s' \
	"wan1 eth1 $idx up none auto 3 2 1001 $(printf 0x%08x $((1 << shift_bits))) 0 0 0" \
	"wan2 eth1 $idx down admin down 1 1 500 $(printf 0x%08x $((2 << shift_bits))) 0 0 0")" \
	"netns a's uplinks"
check_eq "$(cat "$fb")" "" "netns b sees none of them"

mwanctl -n "$(ns a)" uplink del wan1
check_eq "$(cut -d ' ' -f 1 "$fa")" "wan2" "after del"
n a ip link del eth1
check_eq "$(cut -d ' ' -f 1-5 "$fa")" "wan2 eth1 0 down admin" "after the device went"
