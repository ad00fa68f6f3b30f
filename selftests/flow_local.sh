#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Local and inbound traffic, IPv4 and IPv6, with a catch-all rule:
# - the router's own new flows (LOCAL_OUT) are balanced 3:1 and rerouted:
#   counted at the server, 400 per family inside the 99% binomial interval;
#   those from a socket that set an uplink's mark (SO_MARK, as mwan-healthd's
#   probes do) all leave through that uplink, and mwan counts no flow;
# - LAN-to-LAN (client -> client2), LAN-to-router and router-to-LAN flows
#   are never balanced (they arrive, unNATed, and mwan counts no flow),
#   unless a rule names the destination with "to" (then they go to wan1);
# - a connection arriving on wan2, port-forwarded (DNAT) to the client or
#   to a service on the router itself, is answered over wan2 although the
#   policy of every rule is only-wan1 and the main table's default route
#   is wan1: isp1 drops what comes from its customer with a source not its
#   own (BCP 38) and drops nothing.
#
#  client  ---lan0 router(mwan) wan1 --- isp1 (BCP 38) --- server
#  client2 ---lan1  :6000       wan2 --- isp2 ----------- (connects to wan2:8080 -> client:6000,
#   :6000                       wan2:8080 DNAT             wan2:6000 -> router:6000)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl
# The port forward's dnat: a module, and one the VM cannot autoload.
modprobe -q nft_nat 2> /dev/null || true

N=400
lab_up
lan2_up
flow_uplinks 3 1
m policy add bal member wan1 member wan2
m policy add only-wan1 member wan1
m rule add pref 1000 policy bal
# The services inside: on client, client2 and the router, port 6000.
lab_bg "$LAB_TMP/srv_c" "$LAB_C" server -p 6000
lab_bg "$LAB_TMP/srv_c2" "$LAB_C2" server -p 6000
lab_bg "$LAB_TMP/srv_r" "$LAB_R" server -p 6000
for f in srv_c srv_c2 srv_r; do
	lab_wait_line "$LAB_TMP/$f" "# listening"
done

flows_total()
{
	echo $(($(uplink_stat wan1 flows) + $(uplink_stat wan2 flows)))
}

log "the router's own flows"
for dest in "$LAB_SERVER4+32" "$LAB_SERVER6+32"; do
	split_check "$LAB_R" "$N" 0.75 "router's flows to $dest" \
		-d "$dest" -p "$LAB_PORTS" -c 20
done

log "the router's own flows from a socket with SO_MARK: never balanced"
mark2=$(m -j uplink show wan2 | jq -r '.[0].mark')
before=$(flows_total)
for dest in "$LAB_SERVER4+32" "$LAB_SERVER6+32"; do
	out=$(flows_c "$LAB_R" -d "$dest" -p "$LAB_PORTS" -n 40 -c 20 -m "$mark2")
	check_eq "$(lab_field isp2 "$out")" 40 "router's flows to $dest marked for wan2, through isp2"
done
check_eq "$(flows_total)" "$before" "flows mwan gave an uplink"

log "LAN to LAN, LAN to router, router to LAN: not balanced"
before=$(flows_total)
for fam in 4 6; do
	if [ "$fam" = 4 ]; then
		c1=$LAB_CLIENT4 c2=$LAB_CLIENT2_4 r1=10.250.250.1 r2=$LAB_LAN2_4.1
	else
		c1=$LAB_CLIENT6 c2=$LAB_CLIENT2_6 r1=fd00:250:250::1 r2=$LAB_LAN2_6:1
	fi
	for proto in "" -u; do
		out=$(flows_c "$LAB_C" -d "$c2" -p 6000 -n 20 -c 5 -w 2000 -b "$c1" $proto)
		check_eq "$(lab_field "$c1" "$out")" 20 "client -> client2 $proto, seen from $c1"
		out=$(flows_c "$LAB_C2" -d "$c1" -p 6000 -n 20 -c 5 -w 2000 $proto)
		check_eq "$(lab_field "$c2" "$out")" 20 "client2 -> client $proto, seen from $c2"
		out=$(flows_c "$LAB_C" -d "$r1" -p 6000 -n 20 -c 5 -w 2000 -b "$c1" $proto)
		check_eq "$(lab_field "$c1" "$out")" 20 "client -> router $proto, seen from $c1"
		out=$(flows_c "$LAB_R" -d "$c2" -p 6000 -n 20 -c 5 -w 2000 $proto)
		check_eq "$(lab_field "$r2" "$out")" 20 "router -> client2 $proto, seen from $r2"
	done
done
check_eq "$(flows_total)" "$before" "flows mwan gave an uplink"

log "unless a rule names the destination"
bcp38 wan1
r nft -f - <<-EOF
table inet count {
	chain postrouting {
		type filter hook postrouting priority filter; policy accept;
		oifname "wan1" ip daddr $LAB_CLIENT2_4 counter
		oifname "wan1" ip6 daddr $LAB_CLIENT2_6 counter
	}
}
EOF
m rule add pref 10 to "$LAB_CLIENT2_4/32" proto tcp dport 6001 policy only-wan1
m rule add pref 11 to "$LAB_CLIENT2_6/128" proto tcp dport 6001 policy only-wan1
for dest in "$LAB_CLIENT2_4" "$LAB_CLIENT2_6"; do
	out=$(flows_c "$LAB_C" -d "$dest" -p 6001 -n 3 -c 3 -w 500)
	check_eq "$(lab_field ok "$out")" 0 "flows to $dest:6001 that reached client2"
done
lan2=$(nft_packets "$LAB_R" inet count postrouting)
[ "$lan2" -ge 6 ] || fail "$lan2 packets to client2 left by wan1, want at least 6"
m rule del pref 10
m rule del pref 11

log "inbound on wan2 while every rule picks wan1"
m rule del pref 1000
m rule add pref 1000 policy only-wan1
r nft -f - <<-EOF
table inet portfwd {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "wan2" meta nfproto ipv4 tcp dport 8080 dnat ip to $LAB_CLIENT4:6000
		iifname "wan2" meta nfproto ipv6 tcp dport 8080 dnat ip6 to [$LAB_CLIENT6]:6000
	}
}
EOF
drops=$(bcp38_drops wan1)
for fam in 4 6; do
	if [ "$fam" = 4 ]; then
		wan2=100.64.2.2 seen=198.51.100.2
	else
		wan2=2001:db8:2::2 seen=2001:db8:f2::2
	fi
	out=$(flows_c "$LAB_S" -d "$wan2" -p 8080 -n 20 -c 5 -w 2000)
	check_eq "$(lab_field "$seen" "$out")" 20 "port-forwarded flows to the client"
	out=$(flows_c "$LAB_S" -d "$wan2" -p 6000 -n 20 -c 5 -w 2000)
	check_eq "$(lab_field "$seen" "$out")" 20 "flows to the router's own service"
	out=$(flows_c "$LAB_S" -d "$wan2" -p 6000 -n 20 -c 5 -w 2000 -u)
	check_eq "$(lab_field "$seen" "$out")" 20 "UDP flows to the router's own service"
done
check_eq "$(bcp38_drops wan1)" "$drops" "packets isp1 dropped for a source not its customer's"
# Without wan2's table the replies take the main table's wan1 route,
# and isp1 drops them: the check above can fail. The routing comes back
# with "uplink set".
read -r mark mask table < <(m -j uplink show wan2 | jq -r '.[0] | "\(.mark) \(.mark_mask) \(.table)"')
r ip rule del fwmark "$mark/$mask" lookup "$table"
out=$(flows_c "$LAB_S" -d 100.64.2.2 -p 6000 -n 1 -w 1000)
check_eq "$(lab_field ok "$out")" 0 "flows answered with wan2's ip rule gone"
[ "$(bcp38_drops wan1)" -gt "$drops" ] || fail "isp1 dropped no reply from 100.64.2.2"
m uplink set wan2
out=$(flows_c "$LAB_S" -d 100.64.2.2 -p 6000 -n 1 -w 1000)
check_eq "$(lab_field ok "$out")" 1 "flows answered after uplink set wan2"
exit 0
