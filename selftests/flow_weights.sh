#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Weights: with uplinks weighted 3:1 and a policy of both, 400 new flows
# from the LAN split inside the 99% binomial interval of p = 3/4, counted
# at the WAN side (the server), in IPv4 (TCP) and IPv6 (UDP); a member's
# own weight overrides its uplink's (policy replace to 1:3 turns the split
# round).
#
#  client ---lan0 router(mwan) wan1 (weight 3) --- isp1 --- server
#                              wan2 (weight 1) --- isp2 ---
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl

N=400
lab_up
flow_uplinks 3 1
m policy add bal member wan1 member wan2
m rule add pref 100 from 10.250.250.0/29 policy bal
m rule add pref 101 from fd00:250:250::/64 policy bal

# DEST PROTO P: N flows, isp1's share inside the interval for P.
check_split()
{
	split_check "$LAB_C" "$N" "$3" "flows to $1 (weights p=$3)" \
		-d "$1" -p "$LAB_PORTS" -c 20 ${2:+"$2"}
}

check_split "$LAB_SERVER4+32" "" 0.75
check_split "$LAB_SERVER6+32" -u 0.75

m policy replace bal member wan1 weight 1 member wan2 weight 3
check_eq "$(m -j policy show bal | jq -c '[.[0].members[] | [.uplink, .weight]]')" \
	'[["wan1",1],["wan2",3]]' "members after replace"
check_split "$LAB_SERVER4+32" -u 0.25
check_split "$LAB_SERVER6+32" "" 0.25
exit 0
