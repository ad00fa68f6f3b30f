#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the mwan3 way of balancing flows, written in nftables: the "nft"
# baseline that `make bench` compares with mwan.ko. Per flow, the same
# behaviour mwan.ko provides: the first packet of a flow from the LAN gets
# an uplink's mark, drawn at random by weight (numgen), saved in the
# conntrack mark; later packets restore it; local and directly connected
# destinations are left alone. `ip rule fwmark MARK/MASK lookup TABLE`, one
# table per uplink, does the rest (lab_route_baseline in selftests/lab.sh,
# or by hand as in FLOW-DESIGN.md "Routing").
#
# With -r, only flows that match one of the rules are balanced, as mwan3
# does it: a chain of the rules in order, walked one by one, the first
# match going to the balancing; a flow that matches none is left to the
# main table (and gets no mark, so it is looked at again on every packet,
# as in mwan3).
#
# usage: nft-mwan3.sh [ -i LANIF ] [ -m MASK ] [ -c PREFIX,... ] [ -r FILE ] UPLINK=INDEX[:WEIGHT]...
#   -i  interface the LAN's flows arrive on (lan0)
#   -m  mark mask, contiguous (0x00ff0000, mwan.ko's default mark_mask)
#   -c  directly connected prefixes, never balanced (the lab's LAN)
#   -r  rules, one nft match per line ("ip saddr 10.0.0.0/24 udp dport 53");
#       "-" reads them from stdin. Without -r every flow from LANIF is balanced
#   UPLINK=INDEX:WEIGHT  mark = INDEX << shift of MASK; weight 1 if left out
# example: nft-mwan3.sh wan1=1:1 wan2=2:3 | ip netns exec ROUTER nft -f -
set -eu

lan=lan0
mask=0x00ff0000
connected=10.250.250.0/29,fd00:250:250::/64
rules=

usage()
{
	sed -n 's/^# \{0,1\}//; /^usage:/,/^example:/p' "$0"
	exit "$1"
}

while getopts i:m:c:r:h opt; do
	case $opt in
	i) lan=$OPTARG ;;
	m) mask=$OPTARG ;;
	c) connected=$OPTARG ;;
	r) rules=$OPTARG ;;
	h) usage 0 ;;
	*) usage 2 >&2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage 2 >&2

shift_=0
while [ $(((mask >> shift_) & 1)) = 0 ]; do
	shift_=$((shift_ + 1))
	[ $shift_ -lt 32 ] || { echo "Error: mark mask \"$mask\" is zero" >&2; exit 1; }
done

# numgen draws 0..total-1; each uplink owns a run of WEIGHT values.
map=
total=0
for up; do
	name=${up%%=*}
	spec=${up#*=}
	index=${spec%%:*}
	weight=1
	[ "$spec" != "$index" ] && weight=${spec#*:}
	case $name/$index/$weight in
	*[!a-zA-Z0-9_./-]*|/*|*//*|*/0|*/) echo "Error: uplink \"$up\" is not NAME=INDEX[:WEIGHT]" >&2; exit 1 ;;
	esac
	mark=$(printf '0x%08x' $((index << shift_)))
	if [ $(((index << shift_) & ~mask)) != 0 ]; then
		echo "Error: index $index of $name does not fit in mask $mask" >&2
		exit 1
	fi
	last=$((total + weight - 1))
	range=$total
	[ $last -gt $total ] && range=$total-$last
	map="$map${map:+, }$range : $mark"
	total=$((total + weight))
done

v4=
v6=
for p in ${connected//,/ }; do
	case $p in
	*:*) v6="$v6${v6:+, }$p" ;;
	*) v4="$v4${v4:+, }$p" ;;
	esac
done

balance="goto balance"
[ -z "$rules" ] || balance="jump rules"

cat <<EOF
table inet mwan3 {
	set connected4 {
		type ipv4_addr; flags interval;${v4:+
		elements = { $v4 \}}
	}
	set connected6 {
		type ipv6_addr; flags interval;${v6:+
		elements = { $v6 \}}
	}
	chain prerouting {
		type filter hook prerouting priority mangle; policy accept;
		iifname != "$lan" return
		ct direction != original return
		ct mark and $mask != 0 meta mark set ct mark and $mask return
		fib daddr type local return
		ip daddr @connected4 return
		ip6 daddr @connected6 return
		$balance
	}
	chain balance {
		meta mark set numgen random mod $total map { $map }
		ct mark set meta mark
	}
EOF
if [ -n "$rules" ]; then
	echo "	chain rules {"
	[ "$rules" = - ] && rules=/dev/stdin
	grep -v '^[[:space:]]*$' "$rules" | sed 's/^/		/; s/$/ goto balance/'
	echo "	}"
fi
echo "}"
