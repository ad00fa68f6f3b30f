#!/bin/bash
# NPTv6 per uplink, end to end in the lab (carriers route, they do not
# masquerade): a LAN host with an inside ULA reaches the server over each
# uplink and the server sees that uplink's outside prefix (RFC 6296's
# address, computed independently); inbound TCP to the outside address
# reaches the LAN host; traceroute-style ICMPv6 time exceeded from a
# carrier and port unreachable from the server come back to the LAN host
# with the embedded packet translated and checksums valid (raw capture);
# "npt replace" to a new outside prefix under a running UDP flood loses no
# packet beyond those in flight; neighbour discovery for outside addresses
# works both documented ways: a routed (delegated) prefix on isp1, an
# on-link prefix answered by proxy_ndp on isp2.
. "$(dirname "$0")/lab.sh"

require_cmd ethtool

lab_up -N
mw()
{
	mwanctl -n "$LAB_R" "$@"
}
xl()
{
	local ns=$1

	shift
	lab_py "$ns" xlate "$@"
}
M1=fd00:250:250::/48=2001:db8:a1::/48		# routed to the router by isp1 (as DHCPv6-PD does)
M1B=fd00:250:250::/48=2001:db8:b1::/48		# the prefix isp1 renumbers to
M2=fd00:250:250::/64=2001:db8:c2::/64		# on-link on isp2's side of wan2: proxy_ndp
map()
{
	xl "$LAB_C" npt -m "$1" "$2"
}

mw uplink add isp1 dev wan1 via "$LAB_GW1_6"
mw uplink add isp2 dev wan2 via "$LAB_GW2_6"
mw policy add p1 member isp1
mw policy add p2 member isp2
mw rule add to 2001:db8:ff::10 policy p1
mw rule add to 2001:db8:ff::11 policy p2
mw npt add uplink isp1 inside "${M1%=*}" outside "${M1#*=}"
mw npt add uplink isp2 inside "${M2%=*}" outside "${M2#*=}"
check_eq "$(mw npt show)" "uplink isp1 inside fd00:250:250::/48 outside 2001:db8:a1::/48
uplink isp2 inside fd00:250:250::/64 outside 2001:db8:c2::/64" "npt show"

# isp1 routes the delegated prefixes to the router; the server routes them to isp1.
i1 ip -6 route add 2001:db8:a1::/48 via 2001:db8:1::2
i1 ip -6 route add 2001:db8:b1::/48 via 2001:db8:1::2
s ip -6 route add 2001:db8:a1::/48 via 2001:db8:f1::1
s ip -6 route add 2001:db8:b1::/48 via 2001:db8:f1::1
# isp2 has the outside prefix on its link (a second /64 beside the one
# holding the router's own address): the router answers the neighbour
# solicitations for the translated hosts (one proxy entry each).
i2 ip -6 addr add 2001:db8:c2::1/64 dev cust0 nodad
s ip -6 route add 2001:db8:c2::/64 via 2001:db8:f2::1
r sysctl -qw net.ipv6.conf.wan2.proxy_ndp=1
for h in 3 4; do
	r ip -6 neigh add proxy "$(map "$M2" fd00:250:250::$h)" dev wan2
done

seen()
{
	xl "$LAB_C" seen "$1" | cut -d' ' -f2
}
want=
for h in 3 4; do
	a=$(map "$M1" fd00:250:250::$h)
	b=$(map "$M2" fd00:250:250::$h)
	for u in "" /udp; do
		want+="fd00:250:250::$h>2001:db8:ff::10$u $a"$'\n'
		want+="fd00:250:250::$h>2001:db8:ff::11$u $b"$'\n'
	done
done
want=${want%$'\n'}
# shellcheck disable=SC2046
check_eq "$(xl "$LAB_C" seen $(cut -d' ' -f1 <<< "$want"))" "$want" "each uplink's outside prefix, TCP and UDP"

# Inbound TCP to each outside address.
out1=$(map "$M1" fd00:250:250::3)
out2=$(map "$M2" fd00:250:250::3)
lab_bg "$LAB_TMP/accept" "$LAB_C" xlate accept -p 7000 -n 2
lab_wait_line "$LAB_TMP/accept" "# listening"
check_eq "$(xl "$LAB_S" connect -d "$out1" -p 7000)" "connected reply=hello_2001:db8:f1::2" "inbound via isp1 to $out1"
check_eq "$(xl "$LAB_S" connect -d "$out2" -p 7000)" "connected reply=hello_2001:db8:f2::2" "inbound via isp2 to $out2"
wait "$LAB_BG_PID"
grep -q "^accepted 2001:db8:f1::2 on fd00:250:250::3$" "$LAB_TMP/accept" || fail "isp1: $(cat "$LAB_TMP/accept")"
grep -q "^accepted 2001:db8:f2::2 on fd00:250:250::3$" "$LAB_TMP/accept" || fail "isp2: $(cat "$LAB_TMP/accept")"

# The client computes its checksums itself: with veth's offload the
# datagram would carry only the pseudo-header sum, and so would the quote.
c ethtool -K eth0 tx off > /dev/null
# ICMPv6 errors: time exceeded from each carrier (hop limit 2: the
# router forwards, the carrier expires it), port unreachable from the server.
for dst in 2001:db8:ff::10 2001:db8:ff::11; do
	out=$(xl "$LAB_C" timex -i eth0 -s fd00:250:250::3 -d $dst -p 33434 -H 2) || fail "$out"
	log "time exceeded towards $dst: $out"
	out=$(xl "$LAB_C" unreach -i eth0 -s fd00:250:250::3 -d $dst -p 6000) || fail "$out"
	log "port unreachable from $dst: $out"
done

# Renumbering under a flood: 200 datagrams a second on isp1, replace after 1 s.
old=$(map "$M1" fd00:250:250::4)
new=$(map "$M1B" fd00:250:250::4)
lab_bg "$LAB_TMP/uping" "$LAB_C" uping -d 2001:db8:ff::10 -p 5001 -b fd00:250:250::4 -i 5 -c 500 \
	-L "$old=old" -L "$new=new"
lab_wait_line "$LAB_TMP/uping" "# t="
sleep 1
mw npt replace uplink isp1 inside "${M1B%=*}" outside "${M1B#*=}"
wait "$LAB_BG_PID" || true
summary=$(tail -1 "$LAB_TMP/uping")
log "$summary"
lost=$(lab_field lost "$summary")
[ "$(lab_field old "$summary")" -gt 50 ] || fail "too few replies before the replace: $summary"
[ "$(lab_field new "$summary")" -gt 50 ] || fail "too few replies after the replace: $summary"
check_eq "$(lab_field last "$summary")" new "the flow ends on the new prefix"
check_eq "$(lab_field switches "$summary")" 1 "one switch, old to new"
# At 5 ms per datagram, what was in flight at the swap is a few datagrams.
[ "$lost" -le 4 ] || fail "lost $lost datagrams across the replace: $summary"
check_eq "$(mw npt show | head -1)" "uplink isp1 inside fd00:250:250::/48 outside 2001:db8:b1::/48" "replaced"

# The dhcpcd exit hook (Documentation/examples/dhcpcd-mwan-npt) as dhcpcd
# runs it: a new delegation on wan1 moves isp1's mapping back to a1::/48,
# and the server sees it; its expiry deletes the mapping.
printf '%s\n' MWAN_NPT_INSIDE=fd00:250:250::/48 MWAN_NPT_UPLINK_wan1=isp1 > "$LAB_TMP/mwan-npt"
hook()
{
	env reason="$1" interface=wan1 new_delegated_dhcp6_prefix="$2" MWAN_NPT_CONF="$LAB_TMP/mwan-npt" \
		MWANCTL="mwanctl -n $LAB_R" sh "$LAB_TOP/Documentation/examples/dhcpcd-mwan-npt"
}
hook BOUND6 "2001:db8:a1::/48 2001:db8:ffff::/56"
check_eq "$(mw npt show | head -1)" "uplink isp1 inside fd00:250:250::/48 outside 2001:db8:a1::/48" "dhcpcd hook: replaced"
check_eq "$(seen "fd00:250:250::3>2001:db8:ff::10/udp")" "$(map "$M1" fd00:250:250::3)" "dhcpcd hook: translated"

# The counters count.
mw -s npt show
mw -j -s npt show | python3 -c 'import json, sys; sys.exit(0 if all(m["packets"] > 0 for m in json.load(sys.stdin)) else 1)' ||
	fail "a mapping counted no packets"
hook EXPIRE6 ""
check_eq "$(mw npt show)" "uplink isp2 inside fd00:250:250::/64 outside 2001:db8:c2::/64" "dhcpcd hook: expiry deletes"
