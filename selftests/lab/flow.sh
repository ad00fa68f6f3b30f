# shellcheck shell=bash disable=SC2034,SC2154
# SPDX-License-Identifier: GPL-2.0
# What the per-flow selftests (selftests/flow_*.sh) share, sourced after
# lab.sh: mwan configured on the lab's router, counting helpers, and the
# lab additions those tests need (a second LAN, carrier ingress filters).
#
#   m ARGS...                     mwanctl in the router's namespace
#   flow_uplinks [ W1 W2 ]        uplinks wan1 and wan2 (weights, default 1 1),
#                                 each via its carrier in both families
#   flows_c NS ARGS...            flows.py in NS, summary logged and printed;
#                                 never fails (check ok= and the counts)
#   binom_interval N P            "LO HI": the 99% two-sided interval of a
#                                 binomial(N, P) count (each tail at most 0.5%)
#   check_range GOT LO HI WHAT    fail unless LO <= GOT <= HI
#   uplink_stat NAME KEY          a key of "mwanctl -s -j uplink show NAME"
#                                 (stats.KEY for packets, bytes, flows)
#   lan2_up                       netns client2 behind router port lan1:
#                                 10.250.251.0/29, fd00:250:251::/64, client2 .2
#   bcp38 UPLINK                  the carrier drops, and counts, what arrives
#                                 from its customer with a source not the
#                                 customer's (ingress filtering, BCP 38)
#   bcp38_drops UPLINK            packets that filter dropped
#   nft_packets NS FAMILY TABLE CHAIN
#                                 packets counted by the rules of CHAIN
#   no_icmp_ratelimit NS          the namespace sends every ICMP error it must

LAB_LAN2_4=10.250.251
LAB_LAN2_6=fd00:250:251:
LAB_CLIENT2_4=10.250.251.2
LAB_CLIENT2_6=fd00:250:251::2
LAB_C2=$(ns client2)

m()
{
	mwanctl -n "$LAB_R" "$@"
}

flow_uplinks()
{
	m uplink add wan1 dev wan1 via "$LAB_GW1" via "$LAB_GW1_6" weight "${1:-1}"
	m uplink add wan2 dev wan2 via "$LAB_GW2" via "$LAB_GW2_6" weight "${2:-1}"
}

flows_c()
{
	local ns=$1 out

	shift
	out=$(lab_py "$ns" flows "$@") || true
	log "flows $*: $out" >&2
	echo "$out"
}

binom_interval()
{
	awk -v n="$1" -v p="$2" 'BEGIN {
		for (k = 0; k <= n; k++) {
			pm[k] = k ? pm[k - 1] * (n - k + 1) / k * p / (1 - p) : (1 - p) ^ n
		}
		for (lo = 0; c + pm[lo] <= 0.005; lo++)
			c += pm[lo]
		c = 0
		for (hi = n; c + pm[hi] <= 0.005; hi--)
			c += pm[hi]
		print lo, hi
	}'
}

# split_check NS N P DESC FLOWS_ARGS...: N new flows from NS (flows.py
# FLOWS_ARGS) all succeed, and isp1's count (at the server) is inside the
# 99% binomial interval for P. Every such check misses 1 time in 100 by
# chance alone, and make check has a dozen of them on two kernels (one run
# in ten would fail; CI saw it): a miss draws a second, fresh sample, and
# the check fails only if that one misses too (1 in 10,000). A split that
# ignores P misses both: for N = 400 and P = 3/4 the interval is 277..322,
# a round split is 200.
split_check()
{
	local ns=$1 n=$2 p=$3 desc=$4 lo hi out isp1 isp2 try first=

	shift 4
	read -r lo hi < <(binom_interval "$n" "$p")
	for try in 1 2; do
		out=$(flows_c "$ns" -n "$n" "$@")
		check_eq "$(lab_field ok "$out")" "$n" "$desc: flows that succeeded"
		isp1=$(lab_field isp1 "$out")
		isp1=${isp1:-0}
		isp2=$(lab_field isp2 "$out")
		check_eq $((isp1 + ${isp2:-0})) "$n" "$desc: flows counted at isp1 and isp2"
		if [ "$isp1" -ge "$lo" ] && [ "$isp1" -le "$hi" ]; then
			log "$desc: $isp1 of $n through isp1, inside $lo..$hi (p=$p, sample $try)"
			return 0
		fi
		log "$desc: $isp1 of $n through isp1, outside $lo..$hi (p=$p, sample $try)"
		first=${first:-$isp1}
	done
	fail "$desc: $first and then $isp1 of $n through isp1 in two samples, want $lo..$hi (p=$p)"
}

uplink_stat()
{
	local key=$2

	case $key in
	packets|bytes|flows) key=stats.$key ;;
	esac
	m -s -j uplink show "$1" | jq -r ".[0].$key"
}

lan2_up()
{
	ns_add client2
	ip -n "$LAB_R" link add lan1 type veth peer name eth0 netns "$LAB_C2"
	ip -n "$LAB_R" -batch - <<-EOF
	addr add $LAB_LAN2_4.1/29 dev lan1
	addr add $LAB_LAN2_6:1/64 dev lan1 nodad
	link set lan1 up
	EOF
	r sh -c 'echo 1 > /proc/sys/net/ipv4/conf/lan1/rp_filter'
	ip -n "$LAB_C2" -batch - <<-EOF
	addr add $LAB_CLIENT2_4/29 dev eth0
	addr add $LAB_CLIENT2_6/64 dev eth0 nodad
	link set eth0 up
	route add default via $LAB_LAN2_4.1
	route add ::/0 via $LAB_LAN2_6:1
	EOF
	ip netns exec "$LAB_C2" ping -q -c 1 -w 5 "$LAB_LAN2_4.1" > /dev/null
}

bcp38()
{
	_lab_isp "$1" || return 1
	ip netns exec "$_lab_ns" nft -f - <<-EOF
	table inet bcp38 {
		chain forward {
			type filter hook forward priority filter; policy accept;
			iifname "cust0" ip saddr != 100.64.$_lab_idx.0/30 counter drop
			iifname "cust0" ip6 saddr != 2001:db8:$_lab_idx::/64 counter drop
		}
	}
	EOF
}

bcp38_drops()
{
	_lab_isp "$1" || return 1
	nft_packets "$_lab_ns" inet bcp38 forward
}

# NS FAMILY TABLE CHAIN: the packets the counters of CHAIN's rules counted
# (anonymous counters: named ones need nft_objref, a module in some
# kernels and not in others).
nft_packets()
{
	ip netns exec "$1" nft -j list chain "$2" "$3" "$4" |
		jq '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) |
		     .counter.packets] | add // 0'
}

no_icmp_ratelimit()
{
	ip netns exec "$1" sh -c 'echo 0 > /proc/sys/net/ipv4/icmp_ratelimit;
		echo 0 > /proc/sys/net/ipv6/icmp/ratelimit'
}
