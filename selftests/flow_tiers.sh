#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Metric tiers and last resorts, IPv4 and IPv6, counted at the server: a
# metric-2 member carries no new flow while any metric-1 member is up (two
# of them: wan1 and wan1b, both through isp1), and every new flow once all
# metric-1 members are down; with every member down, last-resort
# unreachable fails new flows with ICMP(v6) unreachables to the client
# (before the 3 s they would wait for an answer), blackhole lets them time
# out with no ICMP, and default hands them to the main routing table (isp1
# while its default route is via wan1, isp2 once it is via wan2).
#
#  client ---lan0 router(mwan) wan1  (metric 1) ---+--- isp1 --- server
#                              wan1b (metric 1) ---+
#                              wan2  (metric 2) ------- isp2 ---
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl

lab_up
flow_uplinks
m uplink add wan1b dev wan1 via "$LAB_GW1" via "$LAB_GW1_6"
m policy add tiers member wan1 member wan1b member wan2 metric 2
check_eq "$(m -j policy show tiers | jq -r '.[0].last_resort')" unreachable \
	"last resort when not given"
m rule add from 10.250.250.0/29 policy tiers
m rule add from fd00:250:250::/64 policy tiers
no_icmp_ratelimit "$LAB_R"
# What reaches the client of the router's ICMP errors.
c nft -f - <<-EOF
table inet icmpcount {
	chain input {
		type filter hook input priority filter; policy accept;
		icmp type destination-unreachable counter
		icmpv6 type destination-unreachable counter
	}
}
EOF
unreach()
{
	nft_packets "$LAB_C" inet icmpcount input
}

# WANT: 40 flows in each family (TCP over IPv4, UDP over IPv6), all
# counted at WANT.
all_via()
{
	local out dest proto

	for dest in "$LAB_SERVER4+32" "$LAB_SERVER6+32"; do
		proto=
		[ "$dest" = "$LAB_SERVER6+32" ] && proto=-u
		out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 40 -c 10 ${proto:+"$proto"})
		check_eq "$(lab_field ok "$out")" 40 "flows to $dest that succeeded"
		check_eq "$(lab_field "$1" "$out")" 40 "flows to $dest counted at $1"
	done
}

log "all up: the metric-1 tier only"
all_via isp1
m uplink set wan1 state down
log "wan1 down, wan1b still up: still the metric-1 tier"
all_via isp1
m uplink set wan1b state down
log "the metric-1 tier down: the metric-2 member"
all_via isp2
m uplink set wan2 state down

for dest in "$LAB_SERVER4" "$LAB_SERVER6"; do
	log "every member down, last-resort unreachable, $dest"
	m policy replace tiers member wan1 member wan1b member wan2 metric 2 \
		last-resort unreachable
	before=$(unreach)
	out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 10 -c 10 -w 3000)
	check_eq "$(lab_field fail "$out")" 10 "flows that failed"
	check_eq "$(lab_field err_timeout "$out")" 0 "flows that timed out (no ICMP)"
	# At least one per flow: for a soft error (host unreachable) TCP
	# tries its SYN again before it gives up.
	got=$(($(unreach) - before))
	[ "$got" -ge 10 ] || fail "the client got $got ICMP unreachables for 10 flows"

	log "every member down, last-resort blackhole, $dest"
	m policy replace tiers member wan1 member wan1b member wan2 metric 2 \
		last-resort blackhole
	before=$(unreach)
	out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 10 -c 10 -w 1500)
	check_eq "$(lab_field err_timeout "$out")" 10 "flows that timed out"
	check_eq $(($(unreach) - before)) 0 "ICMP unreachables the client got"

	log "every member down, last-resort default, $dest"
	m policy replace tiers member wan1 member wan1b member wan2 metric 2 \
		last-resort default
	out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 10 -c 10)
	check_eq "$(lab_field ok "$out")" 10 "flows that succeeded"
	check_eq "$(lab_field isp1 "$out")" 10 "flows through the main table's wan1 route"
	if [ "$dest" = "$LAB_SERVER4" ]; then
		r ip route del default via "$LAB_GW1" dev wan1 metric 10
		out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 10 -c 10)
		r ip route add default via "$LAB_GW1" dev wan1 metric 10
	else
		r ip -6 route del ::/0 via "$LAB_GW1_6" dev wan1 metric 10
		out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 10 -c 10)
		r ip -6 route add ::/0 via "$LAB_GW1_6" dev wan1 metric 10
	fi
	check_eq "$(lab_field ok "$out")" 10 "flows that succeeded"
	check_eq "$(lab_field isp2 "$out")" 10 "flows through the main table's wan2 route"
done

log "back up: the metric-1 tier again"
m uplink set wan1 state auto
m uplink set wan1b state auto
m uplink set wan2 state auto
all_via isp1
exit 0
