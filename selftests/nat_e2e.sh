#!/bin/bash
# 1:1 IPv4 NAT per uplink, end to end in the lab (carriers route, they do
# not masquerade): the server sees each mapped LAN host as its outside
# address on the uplink the flow took (one address and a NETMAP-style
# prefix), inbound TCP to each outside address reaches its inside host and
# is answered over the uplink it came in by, an ICMP port unreachable for
# an outbound UDP datagram reaches the inside host with valid IP, ICMP and
# embedded checksums and the embedded UDP header as sent (checked in a raw
# capture, not by the kernel accepting it), a host without a mapping keeps
# the uplink's masquerade, and the per-mapping counters count.
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

mw uplink add isp1 dev wan1 via "$LAB_GW1"
mw uplink add isp2 dev wan2 via "$LAB_GW2"
mw policy add p1 member isp1
mw policy add p2 member isp2
mw rule add to 203.0.113.10 policy p1
mw rule add to 203.0.113.11 policy p2
mw -batch - <<EOF
nat add uplink isp1 inside 10.250.250.3 outside 100.64.11.3
nat add uplink isp2 inside 10.250.250.3 outside 100.64.12.3
nat add uplink isp1 inside 10.250.250.4/31 outside 100.64.11.4/31
EOF
# The carriers and the server route the outside addresses to the router.
i1 ip route add 100.64.11.0/24 via 100.64.1.2
i2 ip route add 100.64.12.0/24 via 100.64.2.2
s ip route add 100.64.11.0/24 via 192.0.2.1
s ip route add 100.64.12.0/24 via 198.51.100.1

# SRC>DST[/udp] and the address the server must see, per line.
want="10.250.250.3>203.0.113.10 100.64.11.3
10.250.250.3>203.0.113.11 100.64.12.3
10.250.250.4>203.0.113.10 100.64.11.4
10.250.250.5>203.0.113.10 100.64.11.5
10.250.250.4>203.0.113.11 100.64.2.2
10.250.250.2>203.0.113.10 100.64.1.2
10.250.250.2>203.0.113.11 100.64.2.2"
# (.4 has no isp2 mapping and .2 none at all: the masquerade's address.)
want+=$'\n'${want// //udp }
# shellcheck disable=SC2046
check_eq "$(xl "$LAB_C" seen $(cut -d' ' -f1 <<< "$want"))" "$want" "sources the server saw"

# Inbound: the server connects to each outside address.
lab_bg "$LAB_TMP/accept" "$LAB_C" xlate accept -p 7000 -n 3
lab_wait_line "$LAB_TMP/accept" "# listening"
check_eq "$(xl "$LAB_S" connect -d 100.64.11.3 -p 7000)" "connected reply=hello_192.0.2.2" "inbound via isp1"
check_eq "$(xl "$LAB_S" connect -d 100.64.12.3 -p 7000)" "connected reply=hello_198.51.100.2" "inbound via isp2"
check_eq "$(xl "$LAB_S" connect -d 100.64.11.5 -p 7000)" "connected reply=hello_192.0.2.2" "inbound to a prefix mapping"
wait "$LAB_BG_PID"
check_eq "$(grep -c '^accepted' "$LAB_TMP/accept")" 3 "connections accepted"
grep -q "^accepted 192.0.2.2 on 10.250.250.3$" "$LAB_TMP/accept" || fail "isp1 connection: $(cat "$LAB_TMP/accept")"
grep -q "^accepted 198.51.100.2 on 10.250.250.3$" "$LAB_TMP/accept" || fail "isp2 connection: $(cat "$LAB_TMP/accept")"
grep -q "^accepted 192.0.2.2 on 10.250.250.5$" "$LAB_TMP/accept" || fail "prefix connection: $(cat "$LAB_TMP/accept")"

# The client computes its checksums itself: with veth's offload the
# datagram would carry only the pseudo-header sum, and so would the quote.
c ethtool -K eth0 tx off > /dev/null
# ICMP port unreachable for outbound UDP, per uplink, checked byte by byte.
for dst in 203.0.113.10 203.0.113.11; do
	out=$(xl "$LAB_C" unreach -i eth0 -s 10.250.250.3 -d $dst -p 6000) || fail "$out"
	log "$dst: $out"
done
out=$(xl "$LAB_C" unreach -i eth0 -s 10.250.250.4 -d 203.0.113.10 -p 6000) || fail "$out"
log "prefix mapping: $out"

# Counters: every mapping used above counted packets.
mw -s nat show
packets()
{
	mw -j -s nat show | python3 -c 'import json, sys; u, i = sys.argv[1:]; print([m["packets"] for m in json.load(sys.stdin) if m["uplink"] == u and m["inside"] == i][0])' "$1" "$2"
}
for m in "isp1 10.250.250.3/32" "isp2 10.250.250.3/32" "isp1 10.250.250.4/31"; do
	# shellcheck disable=SC2086
	[ "$(packets $m)" -gt 0 ] || fail "mapping $m counted no packets"
done
