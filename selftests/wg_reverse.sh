#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A WireGuard peer as a backup uplink (seed 004, "reverse mwan"), IPv4 and
# IPv6, seen at the server: node C (the lab's router) sends its LAN's new
# flows through its own WAN (wan1, metric 1) while it is up, through the
# tunnel to mesh node A (uplink "mesh", metric 2: A masquerades them onto
# its own uplink) once wan1 is down, and through wan1 again once it
# returns; TCP streams and UDP flows that started over the tunnel run
# through wan1's return on the tunnel, with no reset, no gap over 1 s and
# no lost datagram. Twice: wan1 forced down and back ("uplink set wan1
# state down|auto"), then cut at its carrier with mwan-healthd judging
# both uplinks (the mesh one by ICMP through the tunnel).
#
#  client --lan0 router = C (mwan) wan1 --- isp1 (cut here) ------- server
#                  wgm 10.98.1.2 fd98:1::2        (wan2 down: C has one WAN)
#                  mesh0 10.98.0.2 ---- mesh0 10.98.0.1  A  up0 ---- nodea
#                                       wgm 10.98.1.1        198.51.100.5
#                                       listen 51821         2001:db8:f3::1
#
# The tunnel's underlay is a link of its own (two neighbours' shared
# link, a radio hop): it does not die with C's WAN. C's wgm has no routes
# of its own (wg-quick's Table = off; the peer allows 0.0.0.0/0, ::/0):
# mwanctl's table for "mesh" is its only default route.
#
# check: two CPUs (its streams must not stall over 1 s).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab_wg.sh"
. "$(dirname "$0")/lab/flow.sh"
. "$(dirname "$0")/lab/healthd.sh"

require_cmd nft jq python3 mwanctl mwan-healthd wg

LAB_SRC_NAMES+=" 198.51.100.5=nodea 2001:db8:f3::1=nodea"
A=$(ns nodea)
A_TUN4=10.98.1.1
A_TUN6=fd98:1::1
A_PORT=51821

lab_up
_lab_modules wireguard
# C has a single WAN: no route through isp2.
r ip link set wan2 down

log "node A: its own uplink, and WireGuard for C over the shared link"
ns_add nodea
ip -batch - <<-EOF
link add mesh0 netns $LAB_R type veth peer name mesh0 netns $A
link add up0 netns $A type veth peer name nodea netns $LAB_S
EOF
ip -n "$LAB_S" -batch - <<-EOF
addr add 198.51.100.6/30 dev nodea
addr add 2001:db8:f3::2/64 dev nodea nodad
link set nodea up
EOF
ip -n "$A" -batch - <<-EOF
addr add 10.98.0.1/30 dev mesh0
addr add 198.51.100.5/30 dev up0
addr add 2001:db8:f3::1/64 dev up0 nodad
link set mesh0 up
link set up0 up
route add default via 198.51.100.6
route add ::/0 via 2001:db8:f3::2
EOF
n nodea sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward;
	echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
n nodea nft -f - <<-EOF
table inet nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "up0" masquerade
	}
}
EOF
r ip -batch - <<-EOF
addr add 10.98.0.2/30 dev mesh0
link set mesh0 up
EOF
lab_wg_key a_key a_pub
lab_wg_key c_key c_pub
lab_wg_conf "$A" wgm "$a_key" "$A_TUN4/24 $A_TUN6/64" "$A_PORT"
n nodea wg set wgm peer "$c_pub" allowed-ips 10.98.1.2/32,fd98:1::2/128
lab_wg_conf "$LAB_R" wgm "$c_key" "10.98.1.2/24 fd98:1::2/64"
r wg set wgm peer "$a_pub" endpoint "10.98.0.1:$A_PORT" allowed-ips 0.0.0.0/0,::/0
# C masquerades into the tunnel too, so that A's peer entry needs only
# C's tunnel addresses. WireGuard's allowed-ips check the source of what
# arrives on wgm; rp_filter there would test it against the main table,
# whose default route is wan1's (or gone with a DHCP lease).
r nft add rule inet nat postrouting oifname '"wgm"' masquerade
r sh -c 'echo 0 > /proc/sys/net/ipv4/conf/wgm/rp_filter'
r ping -q -c 1 -W 5 "$A_TUN4" > /dev/null || fail "no ping through the mesh tunnel"

m uplink add wan1 dev wan1 via "$LAB_GW1" via "$LAB_GW1_6"
m uplink add mesh dev wgm track "$A_TUN4"
m policy add backup member wan1 member mesh metric 2
m rule add pref 20 from 10.250.250.0/29 policy backup
m rule add pref 21 from fd00:250:250::/64 policy backup
for fam in -4 -6; do
	r ip "$fam" route show table "$(ujq mesh .table)" | grep -q "^default dev wgm " ||
		fail "no default route through wgm in the mesh uplink's table ($fam)"
done

# DEST WANT: 20 new flows to DEST (TCP for IPv4, UDP for IPv6), all via WANT.
all_via()
{
	local out proto=

	case $1 in *:*) proto=-u ;; esac
	out=$(flows_c "$LAB_C" -d "$1+32" -p "$LAB_PORTS" -n 20 -c 5 ${proto:+"$proto"})
	check_eq "$(lab_field ok "$out")" 20 "flows to $1 that succeeded"
	check_eq "$(lab_field "$2" "$out")" 20 "flows to $1 counted at $2"
}

both_via()
{
	all_via "$LAB_SERVER4" "$1"
	all_via "$LAB_SERVER6" "$1"
}

# TAG SPORT: a TCP stream and a UDP flow (from SPORT) per family, started
# now (over the tunnel), all still running; their pids in STREAMS, UPINGS.
start_flows()
{
	local f dst

	STREAMS=() UPINGS=()
	for dst in "$LAB_SERVER4" "$LAB_SERVER6"; do
		f=$LAB_TMP/stream-$1-${#STREAMS[@]}
		lab_bg "$f" "$LAB_C" stream -d "$dst" -p 5009 -W nodea -i 50 -s 1000
		STREAMS+=("$LAB_BG_PID")
		f=$LAB_TMP/uping-$1-${#UPINGS[@]}
		lab_bg "$f" "$LAB_C" uping -d "$dst" -p 5008 -s "$2" -i 50
		UPINGS+=("$LAB_BG_PID")
	done
	for f in "$LAB_TMP"/stream-"$1"-*; do
		wait_for -t 20 grep -q "^# streaming via nodea" "$f"
	done
	for f in "$LAB_TMP"/uping-"$1"-*; do
		lab_wait_line "$f" "# t="
		grep -q "^# t=.* via nodea$" "$f" || fail "$f did not start on the tunnel: $(cat "$f")"
	done
}

# TAG: stop them; each ran on the tunnel only, without a reset, a gap
# over 1 s or a lost datagram.
check_flows()
{
	local i pid rc out f

	for i in "${!STREAMS[@]}"; do
		f=$LAB_TMP/stream-$1-$i pid=${STREAMS[i]}
		kill -TERM "$pid"
		rc=0
		wait "$pid" || rc=$?
		out=$(tail -n 1 "$f")
		grep '^# ' "$f" | while read -r line; do log "$1 stream $i $line"; done
		log "$1 stream $i: $out"
		check_eq "$rc" 0 "$1 stream $i exit status"
		check_eq "$(lab_field via "$out")" nodea "$1 stream $i uplink"
		check_eq "$(lab_field resets "$out")/$(lab_field stalls "$out")" 0/0 \
			"$1 stream $i resets/stalls"
		[ "$(lab_field max_gap_ms "$out")" -le 1000 ] || fail "$1 stream $i stalled: $out"
	done
	for i in "${!UPINGS[@]}"; do
		f=$LAB_TMP/uping-$1-$i pid=${UPINGS[i]}
		kill -TERM "$pid"
		wait "$pid" || fail "$1 uping $i: $(cat "$f")"
		out=$(tail -n 1 "$f")
		log "$1 uping $i: $out"
		check_eq "$(lab_field first "$out")/$(lab_field last "$out")/$(lab_field switches "$out")" \
			nodea/nodea/0 "$1 uping $i first/last uplink, changes"
		# The last datagram may still be on its way when TERM comes.
		[ "$(lab_field lost "$out")" -le 1 ] || fail "$1 uping $i lost datagrams: $out"
	done
}

log "both uplinks up: the LAN's new flows leave through wan1"
both_via isp1

log "wan1 forced down: new flows through the tunnel, node A's address"
m uplink set wan1 state down
both_via nodea
start_flows admin 40008
sleep 1
log "wan1 back: new flows through wan1, the tunnel's flows stay"
m uplink set wan1 state auto
both_via isp1
sleep 1.5
check_flows admin

log "mwan-healthd judges both uplinks"
healthd_start
wait_for -t 10 health_is wan1 up
wait_for -t 10 health_is mesh up
both_via isp1
log "wan1 cut at its carrier"
lab_cut wan1
wait_for -t 10 state_is wan1 down
check_eq "$(ujq mesh .state)" up "the mesh uplink's state"
both_via nodea
start_flows cut 40009
sleep 1
log "wan1's carrier answers again"
lab_restore wan1
wait_for -t 20 state_is wan1 up
both_via isp1
sleep 1.5
check_flows cut
exit 0
