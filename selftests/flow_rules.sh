#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rules, IPv4 and IPv6, counted at the server: a rule by dport, by proto,
# by from, by to and by iif each sends its flows to the policy it names
# (only-wan2) while everything else falls to the catch-all (only-wan1); the
# first match by pref wins whatever the order the rules were added in and
# whichever of from/to/neither keys them, and deleting it lets the next
# one match; "sticky 60" keeps a source on one uplink of a 1:1 policy
# across 50 new flows, which without sticky use both.
#
#  client  .2-.6 ---lan0 router(mwan) wan1 --- isp1 --- server .10-.41
#  client2 .2    ---lan1              wan2 --- isp2 ---        ::10-::2f
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl

lab_up
lan2_up
flow_uplinks
m policy add only-wan1 member wan1
m policy add only-wan2 member wan2
m policy add bal member wan1 member wan2
m -batch - <<-EOF
rule add pref 100 proto tcp dport 5001 policy only-wan2
rule add pref 110 proto udp policy only-wan2
rule add pref 120 from 10.250.250.3 policy only-wan2
rule add pref 121 from fd00:250:250::3 policy only-wan2
rule add pref 130 to 203.0.113.11/32 policy only-wan2
rule add pref 131 to 2001:db8:ff::11/128 policy only-wan2
rule add pref 140 iif lan1 policy only-wan2
rule add pref 1000 policy only-wan1
EOF

# WANT NS ARGS...: 10 flows.py flows in NS with ARGS, all counted at WANT.
all_via()
{
	local want=$1 ns=$2 out

	shift 2
	out=$(flows_c "$ns" -n 10 -c 5 "$@")
	check_eq "$(lab_field ok "$out")" 10 "flows $* that succeeded"
	check_eq "$(lab_field "$want" "$out")" 10 "flows $* counted at $want"
}

# NET: 10.250.250. or fd00:250:250:: (the client), SRV: 203.0.113. or 2001:db8:ff::
for fam in 4 6; do
	if [ "$fam" = 4 ]; then
		lan=10.250.250. srv=203.0.113.
	else
		lan=fd00:250:250:: srv=2001:db8:ff::
	fi
	log "IPv$fam: no rule but the catch-all"
	all_via isp1 "$LAB_C" -d "${srv}10" -p 5000
	log "IPv$fam: dport, proto, from, to, iif"
	all_via isp2 "$LAB_C" -d "${srv}10" -p 5001
	all_via isp1 "$LAB_C" -d "${srv}10" -p 5002
	all_via isp2 "$LAB_C" -d "${srv}10" -p 5000 -u
	all_via isp2 "$LAB_C" -d "${srv}10" -p 5000 -b "${lan}3"
	all_via isp1 "$LAB_C" -d "${srv}10" -p 5000 -b "${lan}4"
	all_via isp2 "$LAB_C" -d "${srv}11" -p 5000
	all_via isp1 "$LAB_C" -d "${srv}12" -p 5000
	all_via isp2 "$LAB_C2" -d "${srv}10" -p 5000
done

log "first match by pref"
m -batch - <<-EOF
rule add pref 61 to 203.0.113.12/32 policy only-wan2
rule add pref 51 proto tcp dport 5002 policy only-wan1
rule add pref 62 to 2001:db8:ff::12/128 policy only-wan2
rule add pref 52 from 10.250.250.4 policy only-wan2
rule add pref 53 from fd00:250:250::4 policy only-wan2
rule add pref 42 to 203.0.113.13/32 policy only-wan1
rule add pref 43 to 2001:db8:ff::13/128 policy only-wan1
rule add pref 64 to 203.0.113.14/32 policy only-wan1
rule add pref 65 to 2001:db8:ff::14/128 policy only-wan1
rule add pref 46 to 203.0.113.33/32 policy only-wan1
rule add pref 45 to 203.0.113.32/28 policy only-wan2
rule add pref 48 to 2001:db8:ff::21/128 policy only-wan1
rule add pref 47 to 2001:db8:ff::20/124 policy only-wan2
EOF
for srv in 203.0.113. 2001:db8:ff::; do
	lan=10.250.250.
	[ "$srv" = 2001:db8:ff:: ] && lan=fd00:250:250::
	# dport (51) before to (61, added first)
	all_via isp1 "$LAB_C" -d "${srv}12" -p 5002
	all_via isp2 "$LAB_C" -d "${srv}12" -p 5003
	# to (42) before from (52); from (52) before to (64); neither key (51) before from
	all_via isp1 "$LAB_C" -d "${srv}13" -p 5000 -b "${lan}4"
	all_via isp2 "$LAB_C" -d "${srv}14" -p 5000 -b "${lan}4"
	all_via isp1 "$LAB_C" -d "${srv}10" -p 5002 -b "${lan}4"
done
# The shorter prefix with the better pref wins over the longer one.
all_via isp2 "$LAB_C" -d 203.0.113.33 -p 5000
all_via isp2 "$LAB_C" -d 2001:db8:ff::21 -p 5000
m rule del pref 51
all_via isp2 "$LAB_C" -d 203.0.113.12 -p 5002
all_via isp2 "$LAB_C" -d 2001:db8:ff::12 -p 5002

log "sticky"
m -batch - <<-EOF
rule add pref 200 from 10.250.250.5 sticky 60 policy bal
rule add pref 201 from fd00:250:250::5 sticky 60 policy bal
rule add pref 210 from 10.250.250.6 policy bal
rule add pref 211 from fd00:250:250::6 policy bal
EOF
for lan in 10.250.250. fd00:250:250::; do
	srv=203.0.113.10
	[ "$lan" = fd00:250:250:: ] && srv=2001:db8:ff::10
	out=$(flows_c "$LAB_C" -d "$srv" -p 5000 -n 50 -c 1 -b "${lan}5")
	check_eq "$(lab_field ok "$out")" 50 "sticky flows that succeeded"
	one=$(lab_field isp1 "$out")/$(lab_field isp2 "$out")
	[ "$one" = 50/0 ] || [ "$one" = 0/50 ] ||
		fail "sticky flows from ${lan}5 used both uplinks: isp1/isp2 = $one"
	out=$(flows_c "$LAB_C" -d "$srv" -p 5000 -n 50 -c 1 -b "${lan}6")
	check_eq "$(lab_field ok "$out")" 50 "flows that succeeded"
	[ "$(lab_field isp1 "$out")" -gt 0 ] && [ "$(lab_field isp2 "$out")" -gt 0 ] ||
		fail "flows from ${lan}6 without sticky used one uplink: $out"
done
exit 0
