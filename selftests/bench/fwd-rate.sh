#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Small-packet forwarding rate through the lab's router, for `make bench`:
# "none" (plain routing and masquerade), "nft" (mwan3-style balancing in
# nftables, nft-mwan3.sh) and "mwan" (mwan.ko configured with mwanctl).
#
# pktgen in the client sends 64-byte UDP frames over FLOWS flows (source
# ports) at full speed for SECS seconds; each carrier counts and drops
# them at its ingress, so the rate is what the router forwarded, packets/s
# at the receiver with the sender saturating. Under TCG the router's
# namespace cannot be charged CPU apart from the rest, so the receiver's
# rate is the measure. Modes alternate over ROUNDS rounds; each run uses
# new source ports, so no flow inherits a conntrack mark from another mode.
#
# usage: fwd-rate.sh [ -t SECS ] [ -f FLOWS ] [ -r ROUNDS ] [ MODE... ]
# output: "# ..." progress lines, then per mode one line
#   bench mode=MODE pps=MEDIAN min=N max=N wan1=PKTS wan2=PKTS rounds=N secs=N flows=N
#   (wan1/wan2: packets of the median run counted at isp1/isp2)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lab.sh"

secs=3
flows=1024
rounds=3
while getopts t:f:r:h opt; do
	case $opt in
	t) secs=$OPTARG ;;
	f) flows=$OPTARG ;;
	r) rounds=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/isp2)$/p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
modes=("$@")
[ $# -gt 0 ] || modes=(none nft mwan)

require_cmd nft
require_module pktgen nft_numgen nft_fib_inet
lab_up -S

# The carriers count and drop the benchmark's packets as they arrive.
for isp in isp1 isp2; do
	n "$isp" nft -f - <<-EOF
	table netdev bench {
		chain in {
			type filter hook ingress device "cust0" priority -500; policy accept;
			udp dport 9 counter drop
		}
	}
	EOF
done

lan_mac=$(r cat /sys/class/net/lan0/address)
port=1024

mode_none()  { :; }
unmode_none() { :; }

mode_nft()
{
	lab_route_baseline
	"$(dirname "$0")/nft-mwan3.sh" wan1=1:1 wan2=2:1 | r nft -f -
}

unmode_nft()
{
	r nft delete table inet mwan3
	lab_route_flush
}

# The same balancing from mwan.ko, per ARCHITECTURE.md's grammar.
mode_mwan()
{
	mwanctl -n "$LAB_R" -batch - <<-EOF
	uplink add wan1 dev wan1 via $LAB_GW1 via $LAB_GW1_6
	uplink add wan2 dev wan2 via $LAB_GW2 via $LAB_GW2_6
	policy add balanced member wan1 weight 1 member wan2 weight 1
	rule add pref 100 from 10.250.250.0/29 policy balanced
	EOF
}

unmode_mwan()
{
	mwanctl -n "$LAB_R" -batch - <<-EOF
	rule del pref 100
	policy del balanced
	uplink del wan1
	uplink del wan2
	EOF
}

mwan_ready()
{
	[ -d /sys/module/mwan ] || { echo "mwan.ko not loaded"; return 1; }
	command -v mwanctl > /dev/null || { echo "no mwanctl"; return 1; }
	mwanctl policy help > /dev/null 2>&1 || { echo "mwanctl has no policies yet"; return 1; }
}

counted()
{
	n "$1" nft list chain netdev bench in | sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

# One run: pktgen from the client for $secs seconds over new source ports.
# Prints "PPS WAN1 WAN2".
run_once()
{
	local a1 a2 b1 b2 pg=/proc/net/pktgen

	a1=$(counted isp1)
	a2=$(counted isp2)
	c bash -c "
	echo rem_device_all > $pg/kpktgend_0
	echo add_device eth0 > $pg/kpktgend_0
	for cmd in 'count 0' 'clone_skb 0' 'pkt_size 60' 'delay 0' \
		'dst $LAB_SERVER4' 'dst_mac $lan_mac' \
		'src_min $LAB_CLIENT4' 'src_max $LAB_CLIENT4' \
		'udp_dst_min 9' 'udp_dst_max 9' \
		'udp_src_min $port' 'udp_src_max $((port + flows - 1))' 'flag UDPSRC_RND'; do
		echo \"\$cmd\" > $pg/eth0
	done
	echo start > $pg/pgctrl &
	sleep $secs
	echo stop > $pg/pgctrl
	wait"
	port=$((port + flows))
	b1=$(counted isp1)
	b2=$(counted isp2)
	echo $(((b1 - a1 + b2 - a2) / secs)) $((b1 - a1)) $((b2 - a2))
}

declare -A results
run=()
for mode in "${modes[@]}"; do
	case $mode in
	none|nft) run+=("$mode") ;;
	mwan) if why=$(mwan_ready); then run+=(mwan); else log "mode mwan skipped: $why"; fi ;;
	*) fail "no mode '$mode' (none, nft, mwan)" ;;
	esac
done
[ ${#run[@]} -gt 0 ] || skip "nothing to measure"
if [ $((port + rounds * ${#run[@]} * flows)) -gt 65536 ]; then
	fail "out of source ports: fewer rounds or flows"
fi
for ((round = 1; round <= rounds; round++)); do
	for mode in "${run[@]}"; do
		"mode_$mode"
		res=$(run_once)
		"unmode_$mode"
		log "round $round mode $mode: pps wan1 wan2 = $res"
		results[$mode]+="$res"$'\n'
	done
done
for mode in "${run[@]}"; do
	sorted=$(sort -n <<< "${results[$mode]%$'\n'}")
	read -r min _ <<< "$(head -n 1 <<< "$sorted")"
	read -r max _ <<< "$(tail -n 1 <<< "$sorted")"
	read -r pps w1 w2 <<< "$(sed -n "$(((rounds + 1) / 2))p" <<< "$sorted")"
	echo "bench mode=$mode pps=$pps min=$min max=$max wan1=$w1 wan2=$w2 rounds=$rounds secs=$secs flows=$flows"
done
