#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Statistics, IPv4 and IPv6: "mwanctl -s -j uplink show" counts per uplink
# exactly the new flows the server saw through it, and packets and bytes
# that grow with them (at least the client's packets of those flows); the
# "packets" of "mwanctl -s -j rule show" count the flows each rule
# classified; /sys/kernel/debug/mwan/<netns>/uplinks shows the same numbers.
#
#  client ---lan0 router(mwan) wan1 --- isp1 --- server
#                              wan2 --- isp2 ---
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl

lab_up
flow_uplinks
m policy add bal member wan1 member wan2
m rule add pref 100 from 10.250.250.0/29 policy bal
m rule add pref 101 from fd00:250:250::/64 policy bal
m rule add pref 200 to 203.0.113.0/24 policy bal

# NAME: "packets bytes flows" of an uplink.
stats()
{
	m -s -j uplink show "$1" | jq -r '.[0].stats | "\(.packets) \(.bytes) \(.flows)"'
}

rule_packets()
{
	m -s -j rule show | jq -r --argjson p "$1" '.[] | select(.pref == $p) | .packets'
}

for up in wan1 wan2; do
	check_eq "$(stats $up)" "0 0 0" "$up's statistics before any traffic"
done
for pref in 100 101 200; do
	check_eq "$(rule_packets $pref)" 0 "rule $pref's packets before any traffic"
done

# The flows: 200 TCP + 100 UDP over IPv4, 100 TCP + 100 UDP over IPv6.
isp1=0 isp2=0 tcp=0 v4=0 v6=0
for run in "$LAB_SERVER4+32 - 200" "$LAB_SERVER4+32 -u 100" \
	   "$LAB_SERVER6+32 - 100" "$LAB_SERVER6+32 -u 100"; do
	read -r dest proto count <<< "$run"
	[ "$proto" = - ] && proto=
	out=$(flows_c "$LAB_C" -d "$dest" -p "$LAB_PORTS" -n "$count" -c 10 $proto)
	check_eq "$(lab_field ok "$out")" "$count" "flows to $dest $proto that succeeded"
	isp1=$((isp1 + $(lab_field isp1 "$out")))
	isp2=$((isp2 + $(lab_field isp2 "$out")))
	[ -z "$proto" ] && tcp=$((tcp + count))
	case $dest in
	*:*) v6=$((v6 + count)) ;;
	*) v4=$((v4 + count)) ;;
	esac
done
log "the server saw isp1=$isp1 isp2=$isp2"

# Each TCP flow brings at least SYN, ACK and FIN from the client (the
# last ones perhaps still on their way), each UDP flow its datagram; an
# IPv4 packet is at least 28 bytes.
all_packets()
{
	[ "$(m -s -j uplink show | jq '[.[].stats.packets] | add')" -ge "$1" ]
}
wait_for -t 5 all_packets $((3 * tcp + v4 + v6 - tcp))
for up in wan1 wan2; do
	want=$isp1
	[ $up = wan2 ] && want=$isp2
	read -r packets bytes flows < <(stats $up)
	log "$up: packets=$packets bytes=$bytes flows=$flows"
	check_eq "$flows" "$want" "$up's flows, against the server's count"
	[ "$packets" -ge "$want" ] || fail "$up: $packets packets for $want flows"
	[ "$bytes" -ge $((packets * 28)) ] || fail "$up: $bytes bytes in $packets packets"
done
check_eq "$(rule_packets 100)" "$v4" "rule 100's packets (flows from the IPv4 LAN)"
check_eq "$(rule_packets 101)" "$v6" "rule 101's packets (flows from the IPv6 LAN)"
check_eq "$(rule_packets 200)" 0 "rule 200's packets (matched only after rule 100)"

# Packets and bytes grow with the traffic of flows already counted.
read -r p0 b0 f0 < <(stats wan2)
out=$(lab_py "$LAB_C" stream -d "$LAB_SERVER4" -p 5003 -W isp2 -t 2 -i 10) || fail "stream: $out"
log "$out"
read -r p1 b1 f1 < <(stats wan2)
sent=$(lab_field sent "$out")
# Every connection the stream tried (-W) is a new flow.
[ "$f1" -gt "$f0" ] || fail "wan2's flows did not grow with the stream: $f0 -> $f1"
[ "$p1" -gt "$p0" ] || fail "wan2's packets did not grow with the stream"
# Headers of at least 40 bytes in each packet, the payload once at least.
[ $((b1 - b0)) -ge $((sent + (p1 - p0) * 40)) ] ||
	fail "wan2's bytes grew by $((b1 - b0)) for $sent bytes of payload in $((p1 - p0)) packets"

# debugfs: the uplinks file has the same numbers, in its last three columns.
dir=/sys/kernel/debug/mwan/$(stat -L -c %i "/run/netns/$LAB_R")
if [ -d /sys/kernel/debug/mwan ]; then
	for up in wan1 wan2; do
		check_eq "$(awk -v u=$up '$1 == u { print $(NF - 2), $(NF - 1), $NF }' "$dir/uplinks")" \
			"$(stats $up)" "$up's statistics in $dir/uplinks"
	done
else
	log "no debugfs: /sys/kernel/debug/mwan not checked"
fi
exit 0
