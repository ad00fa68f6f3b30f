#!/bin/bash
# NPTv6 differential test: 1,000+ packets (TCP, UDP, ICMPv6 echo and
# errors with embedded packets; /32, /48, /56, /60 and /64 mappings; linear,
# behind a Destination Options header, and non-linear skbs; addresses that
# hit RFC 6296's 0xFFFF rules) go through a router once with ip6t_NPT
# (SNPT/DNPT) and once with mwan's npt for the same mappings, captured raw
# on both sides. mwan's output must be the RFC's for every packet and
# byte-identical to ip6t_NPT's wherever ip6t_NPT is right; the cases where
# ip6t_NPT is not are named. The per-mapping counters must count them.
#
#   a (inside hosts) eth0 --- rta  rt  rtb --- eth0 b (the world)
. "$(dirname "$0")/lib.sh"

require_cmd ip6tables python3
ns_add a rt b
LAB_PY=${LAB_PY:-$(command -v /usr/bin/python3 || command -v python3)}
TOOL=$(dirname "$0")/lab/npt_diff.py
TMP=$(mktemp -d)
defer rm -rf "$TMP"

MAPS=(
	fd32:1::/32=2001:db9::/32
	fdff:ffff::/32=2001:dba::/32
	fd01:203:405::/48=2001:db8:1::/48
	fd00:ffff:ffff::/48=2001:db8:ffff::/48
	fd56:1:2:300::/56=2001:db8:2:4400::/56
	fd00:0:0:ff00::/56=2001:db8:5:100::/56
	fd60:1:2:3450::/60=2001:db8:3:ff0::/60
	fdaa:bbbb:cccc:dd0::/60=2001:db8:6:10::/60
	fd64:1:2:3::/64=2001:db8:4:ffff::/64
	fd00::/64=2001:db8:7::/64
)
COUNT=1000

ip link add eth0 netns "$(ns a)" mtu 9000 type veth peer name rta netns "$(ns rt)" mtu 9000
ip link add eth0 netns "$(ns b)" mtu 9000 type veth peer name rtb netns "$(ns rt)" mtu 9000
for x in a b; do
	n $x sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	n $x ip link set eth0 up
done
mac_a=$(n a cat /sys/class/net/eth0/address)
mac_b=$(n b cat /sys/class/net/eth0/address)
n rt sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.icmp.ratelimit=0
{
	echo "link set rta up"
	echo "link set rtb up"
	echo "addr add fd99::1/64 dev rta nodad"
	echo "addr add 2001:db8:99::1/64 dev rtb nodad"
	echo "neigh add fe80::a lladdr $mac_a dev rta nud permanent"
	echo "neigh add fe80::b lladdr $mac_b dev rtb nud permanent"
	echo "route add ::/0 via fe80::b dev rtb"
	for m in "${MAPS[@]}"; do
		echo "route add ${m%=*} via fe80::a dev rta"
	done
} | ip -n "$(ns rt)" -6 -batch -
mac_rta=$(n rt cat /sys/class/net/rta/address)
mac_rtb=$(n rt cat /sys/class/net/rtb/address)

maps=()
for m in "${MAPS[@]}"; do
	maps+=(-m "$m")
done
run()
{
	"$LAB_PY" -BS "$TOOL" send -a "$(ns a):eth0:$mac_rta" -b "$(ns b):eth0:$mac_rtb" \
		"${maps[@]}" -n $COUNT -w "$TMP/$1.json"
}

# ip6t_NPT: SNPT as packets leave through rtb, DNPT as they arrive from it.
for m in "${MAPS[@]}"; do
	n rt ip6tables -t mangle -A POSTROUTING -o rtb -s "${m%=*}" \
		-j SNPT --src-pfx "${m%=*}" --dst-pfx "${m#*=}"
	n rt ip6tables -t mangle -A PREROUTING -i rtb -d "${m#*=}" \
		-j DNPT --src-pfx "${m#*=}" --dst-pfx "${m%=*}"
done
log "ip6t_NPT: $(run ip6t)"
n rt ip6tables -t mangle -F

# mwan: the same mappings on the uplink through rtb.
mwanctl -n "$(ns rt)" uplink add isp dev rtb
for m in "${MAPS[@]}"; do
	echo "npt add uplink isp inside ${m%=*} outside ${m#*=}"
done | mwanctl -n "$(ns rt)" -batch -
check_eq "$(mwanctl -n "$(ns rt)" npt show | wc -l)" "${#MAPS[@]}" "mappings shown"
log "mwan: $(run mwan)"

out=$("$LAB_PY" -BS "$TOOL" compare "${maps[@]}" -n $COUNT "$TMP/ip6t.json" "$TMP/mwan.json") ||
	{ echo "$out" | head -40; fail "mwan's NPTv6 output is not the RFC's"; }
echo "$out" | grep '^# ip6t_NPT differs' || true
summary=$(echo "$out" | tail -1)
log "$summary"
total=$(echo "$summary" | sed -n 's/.*total=\([0-9]*\).*/\1/p')
same=$(echo "$summary" | sed -n 's/.*same=\([0-9]*\).*/\1/p')
[ "$total" -ge 1000 ] || fail "only $total packets"
# Most packets are ones ip6t_NPT gets right: byte-identical there.
[ "$same" -ge $((total / 2)) ] || fail "only $same of $total identical to ip6t_NPT"

# Every translated packet was counted by its mapping (both directions).
packets=$(mwanctl -n "$(ns rt)" -s -j npt show |
	python3 -c 'import json, sys; print(sum(m["packets"] for m in json.load(sys.stdin)))')
[ "$packets" -ge $((same)) ] || fail "npt counters say $packets packets, fewer than $same translated"
log "npt counters: $packets packets"
