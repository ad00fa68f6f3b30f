#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The routing mwanctl keeps for each uplink: "uplink add" installs, for
# IPv4 and IPv6, "ip rule fwmark MARK/MASK lookup TABLE pref 1000+INDEX"
# and in TABLE a default route via the gateway (on-link) or, for a
# point-to-point device without one, through the device; a family without
# a gateway gets no route. "uplink set" moves them to a new table and puts
# back what was removed by hand; "uplink del" removes them, and nothing is
# left behind.
#
#  netns r:  wan1 (veth, via 100.64.1.1 and 2001:db8:1::1)
#            wan2 (veth, via 100.64.2.1 only, table 200)
#            p2p0 (dummy: no ARP, no gateway)
. "$(dirname "$0")/lib.sh"

require_cmd jq mwanctl
require_module veth dummy

ns_add r
n r ip -batch - <<-EOF
link add wan1 type veth peer name wan1p
link add wan2 type veth peer name wan2p
link add p2p0 type dummy
addr add 100.64.1.2/30 dev wan1
addr add 2001:db8:1::2/64 dev wan1 nodad
addr add 100.64.2.2/30 dev wan2
addr add 100.64.9.1/32 dev p2p0
link set wan1 up
link set wan1p up
link set wan2 up
link set wan2p up
link set p2p0 up
EOF
m()
{
	mwanctl -n "$(ns r)" "$@"
}

# Every rule and route but the kernel's own local ones (the link-local
# addresses' come when DAD is done), to compare before and after.
snapshot()
{
	{
		n r ip rule show
		n r ip -6 rule show
		n r ip route show table all
		n r ip -6 route show table all
	} | grep -v ' table local '
}

# FAMILY PREF: the rule at PREF as "fwmark/mask table protocol", one line
# per rule found.
rule_at()
{
	n r ip "$1" -j rule show pref "$2" |
		jq -r '.[] | "\(.fwmark)/\(.fwmask) \(.table) \(.protocol // "-") \(.src)"'
}

# FAMILY TABLE: the routes of TABLE as "dst gateway dev protocol flags"
# (a table never used is an error to "ip route show": no routes).
routes_in()
{
	local out

	out=$(n r ip "$1" -j route show table "$2" 2> /dev/null) || out='[]'
	echo "$out" | jq -r '.[] | "\(.dst) \(.gateway // "-") \(.dev) \(.protocol) \(.flags | join(","))"'
}

# NAME: "PREF MARK/MASK TABLE" of the uplink (mark and mask in hex).
uplink_routing()
{
	m -j uplink show "$1" | jq -r '.[0] | "\(.mark) \(.mark_mask) \(.table)"' |
		{ read -r mark mask table; printf '%d 0x%x/0x%x %s\n' \
			$((1000 + mark / (mask & -mask))) "$mark" "$mask" "$table"; }
}

mask=$(($(cat /sys/module/mwan/parameters/mark_mask)))
shift_by=0
while [ $(((mask >> shift_by) & 1)) -eq 0 ]; do
	shift_by=$((shift_by + 1))
done
before=$(snapshot)

m uplink add wan1 dev wan1 via 100.64.1.1 via 2001:db8:1::1
read -r pref mark table < <(uplink_routing wan1)
check_eq "$pref $mark $table" "1001 $(printf '0x%x/0x%x' $((1 << shift_by)) "$mask") 1001" \
	"wan1's pref, mark and table"
for fam in -4 -6; do
	check_eq "$(rule_at $fam "$pref")" "$mark $table static all" "wan1's ip $fam rule"
done
check_eq "$(routes_in -4 "$table")" "default 100.64.1.1 wan1 static onlink" "wan1's IPv4 route"
check_eq "$(routes_in -6 "$table")" "default 2001:db8:1::1 wan1 static onlink" "wan1's IPv6 route"

m uplink add wan2 dev wan2 via 100.64.2.1 table 200
read -r pref2 mark2 table2 < <(uplink_routing wan2)
check_eq "$pref2 $mark2 $table2" "1002 $(printf '0x%x/0x%x' $((2 << shift_by)) "$mask") 200" \
	"wan2's pref, mark and table"
for fam in -4 -6; do
	check_eq "$(rule_at $fam "$pref2")" "$mark2 200 static all" "wan2's ip $fam rule"
done
check_eq "$(routes_in -4 200)" "default 100.64.2.1 wan2 static onlink" "wan2's IPv4 route"
check_eq "$(routes_in -6 200)" "" "wan2's IPv6 route (no IPv6 gateway)"

m uplink add p2p dev p2p0
read -r pref3 mark3 table3 < <(uplink_routing p2p)
check_eq "$pref3 $table3" "1003 1003" "p2p's pref and table"
for fam in -4 -6; do
	check_eq "$(rule_at $fam "$pref3")" "$mark3 1003 static all" "p2p's ip $fam rule"
done
check_eq "$(routes_in -4 1003)" "default - p2p0 static " "p2p's IPv4 route"
check_eq "$(routes_in -6 1003)" "default - p2p0 static " "p2p's IPv6 route"

log "uplink set: a new table, and what was removed by hand"
m uplink set wan2 table 300
for fam in -4 -6; do
	check_eq "$(rule_at $fam "$pref2")" "$mark2 300 static all" "wan2's ip $fam rule after set table"
done
check_eq "$(routes_in -4 200)" "" "wan2's old table"
check_eq "$(routes_in -4 300)" "default 100.64.2.1 wan2 static onlink" "wan2's IPv4 route in table 300"
n r ip route flush table "$table"
n r ip -6 rule del pref "$pref"
m uplink set wan1
check_eq "$(rule_at -6 "$pref")" "$mark $table static all" "wan1's ip -6 rule after set"
check_eq "$(routes_in -4 "$table")" "default 100.64.1.1 wan1 static onlink" "wan1's IPv4 route after set"

log "uplink del"
m uplink del wan1
m uplink del wan2
m uplink del p2p
after=$(snapshot)
if [ "$after" != "$before" ]; then
	diff -u <(echo "$before") <(echo "$after") | sed 's/^/# /'
	fail "policy routing changed by adding and deleting uplinks"
fi
exit 0
