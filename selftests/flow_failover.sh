#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Failover, IPv4 and IPv6, seen at the server: after "uplink set wan1 state
# down" the first new flow and every one after it use wan2; a UDP flow
# (fixed source port) pinned to wan1 moves to wan2 on its next packet (at
# most two datagrams are lost: the request whose conntrack entry mwan
# removes, so that masquerade starts afresh, and a reply to an earlier one
# still on its way back through wan1, which that entry would have
# translated) and stays there; a TCP stream on
# wan2 runs through wan1's failure and recovery with no reset, no gap over
# 1 s and the same conntrack entry (no global flush). When wan1's device
# leaves the namespace, or is deleted, new flows avoid it, though a guard
# rule would drop anything still marked for it; when it comes back and its
# routing is installed again, new flows use it again.
#
#  client ---lan0 router(mwan) wan1 --- isp1 --- server
#                              wan2 --- isp2 ---      (spare: where wan1 goes)
#  policies: bal = wan1 + wan2 (TCP, new flows), fo = wan1, then wan2
#            (metric 2) for UDP to port 5001 (the pinned flow)
#
# check: two CPUs (its pinned flows may lose only the datagrams in flight).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl conntrack
require_module nf_conntrack_netlink

lab_up
ns_add spare
flow_uplinks
m policy add bal member wan1 member wan2
m policy add fo member wan1 member wan2 metric 2
m rule add pref 10 proto udp dport 5001 policy fo
m rule add pref 20 from 10.250.250.0/29 policy bal
m rule add pref 21 from fd00:250:250::/64 policy bal

# NAME STATE: the uplink's state is STATE.
state_is()
{
	m -j uplink show "$1" | jq -e --arg s "$2" '.[0].state == $s' > /dev/null
}

# DEST WANT [ N ]: N (20) new TCP flows to DEST, one at a time, all via WANT.
all_via()
{
	local n=${3:-20} out

	out=$(flows_c "$LAB_C" -d "$1" -p "$LAB_PORTS" -n "$n" -c 1)
	check_eq "$(lab_field ok "$out")" "$n" "flows to $1 that succeeded"
	check_eq "$(lab_field "$2" "$out")" "$n" "flows to $1 counted at $2"
}

# Both uplinks carry new flows of bal before anything fails.
for dest in "$LAB_SERVER4+32" "$LAB_SERVER6+32"; do
	out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 20 -c 5)
	check_eq "$(lab_field ok "$out")" 20 "flows to $dest that succeeded"
	[ "$(lab_field isp1 "$out")" -gt 0 ] && [ "$(lab_field isp2 "$out")" -gt 0 ] ||
		fail "bal did not use both uplinks: $out"
done

# The pinned UDP flows (fo puts them on wan1) and the streams on wan2.
lab_bg "$LAB_TMP/uping4" "$LAB_C" uping -d "$LAB_SERVER4" -p 5001 -s 40001 -i 50 -c 240
uping4=$LAB_BG_PID
lab_bg "$LAB_TMP/uping6" "$LAB_C" uping -d "$LAB_SERVER6" -p 5001 -s 40001 -i 50 -c 240
uping6=$LAB_BG_PID
lab_bg "$LAB_TMP/stream4" "$LAB_C" stream -d "$LAB_SERVER4" -p 5009 -W isp2 -i 50 -s 1000
stream4=$LAB_BG_PID
lab_bg "$LAB_TMP/stream6" "$LAB_C" stream -d "$LAB_SERVER6" -p 5009 -W isp2 -i 50 -s 1000
stream6=$LAB_BG_PID
for f in uping4 uping6; do
	lab_wait_line "$LAB_TMP/$f" "# t="
	grep -q "^# t=.* via isp1$" "$LAB_TMP/$f" || fail "$f did not start on isp1: $(cat "$LAB_TMP/$f")"
done
for f in stream4 stream6; do
	wait_for -t 20 grep -q "^# streaming via isp2" "$LAB_TMP/$f"
done
# The streams' conntrack entries (the only established ones to port 5009).
ct_ids()
{
	r conntrack -L -f "$1" -p tcp --dport 5009 --state ESTABLISHED -o id 2> /dev/null |
		sed -n 's/.*id=\([0-9]*\).*/\1/p' | sort
}
ct4=$(ct_ids ipv4)
ct6=$(ct_ids ipv6)
check_eq "$(echo "$ct4" | wc -w)/$(echo "$ct6" | wc -w)" 1/1 "established streams in conntrack"
sleep 0.5

log "wan1 down"
m uplink set wan1 state down
kill -0 "$uping4" 2> /dev/null && kill -0 "$uping6" 2> /dev/null ||
	fail "the UDP flows ended before wan1 went down"
all_via "$LAB_SERVER4" isp2 1
all_via "$LAB_SERVER6" isp2 1
all_via "$LAB_SERVER4+32" isp2
all_via "$LAB_SERVER6+32" isp2
sleep 1
log "wan1 recovers"
m uplink set wan1 state auto
sleep 1.5
for f in uping4 uping6; do
	pid=$uping4
	[ "$f" = uping6 ] && pid=$uping6
	wait "$pid" || fail "$f: $(cat "$LAB_TMP/$f")"
	out=$(tail -n 1 "$LAB_TMP/$f")
	log "$f: $out"
	grep '^# t=' "$LAB_TMP/$f" | while read -r line; do log "$f $line"; done
	check_eq "$(lab_field first "$out")/$(lab_field last "$out")" isp1/isp2 "$f first/last uplink"
	check_eq "$(lab_field switches "$out")" 1 "$f uplink changes"
	[ "$(lab_field lost "$out")" -le 2 ] || fail "$f lost more than the datagrams in flight: $out"
done
check_eq "$(ct_ids ipv4)/$(ct_ids ipv6)" "$ct4/$ct6" "conntrack ids of the streams on wan2"
for f in stream4 stream6; do
	pid=$stream4
	[ "$f" = stream6 ] && pid=$stream6
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	out=$(tail -n 1 "$LAB_TMP/$f")
	log "$f: $out"
	check_eq "$rc" 0 "$f exit status"
	check_eq "$(lab_field via "$out")" isp2 "$f uplink"
	check_eq "$(lab_field resets "$out")/$(lab_field stalls "$out")" 0/0 "$f resets/stalls"
	[ "$(lab_field max_gap_ms "$out")" -le 1000 ] || fail "$f stalled: $out"
done

log "wan1's device leaves the namespace"
# What an administrator adds so that nothing leaks past a missing route:
# a flow still marked for wan1 would fail, not use the main table.
mark=$(m -j uplink show wan1 | jq -r '.[0].mark')
mask=$(m -j uplink show wan1 | jq -r '.[0].mark_mask')
r ip rule add fwmark "$mark/$mask" unreachable pref 1500
r ip -6 rule add fwmark "$mark/$mask" unreachable pref 1500
r ip link set wan1 netns "$(ns spare)"
wait_for -t 5 state_is wan1 down
all_via "$LAB_SERVER4+32" isp2
all_via "$LAB_SERVER6+32" isp2

log "wan1's device comes back"
n spare ip link set wan1 netns "$LAB_R"
r ip -batch - <<-EOF
addr add 100.64.1.2/30 dev wan1
addr add 2001:db8:1::2/64 dev wan1 nodad
link set wan1 up
EOF
wait_for -t 5 state_is wan1 up
m uplink set wan1
for dest in "$LAB_SERVER4+32" "$LAB_SERVER6+32"; do
	out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n 20 -c 5)
	check_eq "$(lab_field ok "$out")" 20 "flows to $dest that succeeded"
	[ "$(lab_field isp1 "$out")" -gt 0 ] || fail "no new flow on wan1 after it came back: $out"
done

log "wan1's device deleted"
r ip link del wan1
wait_for -t 5 state_is wan1 down
all_via "$LAB_SERVER4+32" isp2
all_via "$LAB_SERVER6+32" isp2
exit 0
