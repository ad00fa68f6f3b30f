#!/bin/bash
# A WireGuard peer's encapsulated packets leave through the uplink its
# endpoint is bound to, whatever the main table says: with the router's
# default route on wan1 and the endpoint 198.51.100.2:51820 bound to wan2,
# the tunnel's UDP is counted on isp2's customer port only, pings through
# the tunnel work, and the server sees the router at isp2's address; with
# the set deleted the same traffic goes to isp1 (so the counts do tell);
# the same with a WireGuard fwmark, whose bits other than mwan's survive.
# The active endpoint and the "wg" events of "mwanctl monitor" follow
# "uplink set wan1|wan2 state down|auto". Last, the same steering for an
# IPv6 endpoint.
#
#  router                                              server
#  wg0 10.99.0.1 --- wan1 -- isp1 (counts udp 51820) -- isp1 192.0.2.2
#   endpoint set:    wan2 -- isp2 (counts udp 51820) -- isp2 198.51.100.2
#   198.51.100.2:51820 via wan2                         wgs 10.99.0.2, :51820
#   192.0.2.2:51820 via wan1
#  (main table: default via wan1 metric 10, via wan2 metric 20)
. "$(dirname "$0")/lab.sh"

require_module wireguard
require_cmd wg nft python3
lab_up -S

m()
{
	mwanctl -n "$LAB_R" "$@"
}
m uplink add wan1 dev wan1 via "$LAB_GW1" via "$LAB_GW1_6"
m uplink add wan2 dev wan2 via "$LAB_GW2" via "$LAB_GW2_6"

skey=$(wg genkey)
rkey=$(wg genkey)
spub=$(wg pubkey <<< "$skey")
s ip link add wgs type wireguard
s wg set wgs private-key <(echo "$skey") listen-port 51820 \
	peer "$(wg pubkey <<< "$rkey")" allowed-ips 10.99.0.1/32
s ip addr add 10.99.0.2/24 dev wgs
s ip link set wgs up
r ip link add wg0 type wireguard
r wg set wg0 private-key <(echo "$rkey") \
	peer "$spub" allowed-ips 10.99.0.2/32 endpoint 198.51.100.2:51820
r ip addr add 10.99.0.1/24 dev wg0
r ip link set wg0 up

# The tunnel's UDP as each carrier receives it from the router, and on
# the router, leaving wan2 with the fwmark's bits intact.
for isp in i1 i2; do
	$isp nft -f - <<-END
	table inet wgcount {
		counter wg { }
		chain in {
			type filter hook prerouting priority -400; policy accept;
			iifname "cust0" udp dport 51820 counter name wg
		}
	}
	END
done
r nft -f - <<-END
table inet wgcount {
	counter fw { }
	chain out {
		type filter hook postrouting priority 400; policy accept;
		oifname "wan2" udp dport 51820 meta mark and 0xff00ffff == 0x5 counter name fw
	}
}
END
count()
{
	"$1" nft list counter inet wgcount "$2" | awk '/packets/ { print $2 }'
}
server_sees()
{
	local ep

	ep=$(s wg show wgs endpoints | cut -f2)
	echo "${ep%:*}"
}
# Pings through the tunnel; the carriers' counts must grow on $1 only.
tunnel_via()
{
	local want=$1 other=$2 w0 o0 w1 o1

	w0=$(count "$want" wg)
	o0=$(count "$other" wg)
	wait_for -t 10 r ping -c 1 -W 1 10.99.0.2
	r ping -c 5 -i 0.2 -W 2 -q 10.99.0.2 > /dev/null || fail "pings lost through the tunnel"
	w1=$(count "$want" wg)
	o1=$(count "$other" wg)
	[ "$w1" -gt "$w0" ] || fail "no encapsulated packets at $want ($w0 -> $w1)"
	[ "$o1" = "$o0" ] || fail "encapsulated packets at $other ($o0 -> $o1)"
}

dir=$(mktemp -d)
defer rm -rf "$dir"
m -j monitor > "$dir/mon" 2> "$dir/mon.err" &
defer kill $!
i=0
until grep -q '"object":"uplink"' "$dir/mon"; do
	i=$((i + 1))
	[ "$i" -le 50 ] || fail "monitor shows nothing"
	m uplink set wan1 weight 1
	sleep 0.2
done

m wg add dev wg0 peer "$spub" endpoint 198.51.100.2:51820 via wan2 endpoint 192.0.2.2:51820 via wan1
tunnel_via i2 i1
check_eq "$(server_sees)" 198.51.100.1 "the server sees the router through isp2"
packets=$(m -j -s wg show | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["packets"])')
[ "$packets" -gt 0 ] || fail "no steered packets counted"

# Without the set, the main table sends the same traffic through isp1.
m wg del dev wg0 peer "$spub"
tunnel_via i1 i2
check_eq "$(server_sees)" 192.0.2.1 "without the set, the server sees isp1"

# With a fwmark: mwan's bits are added under its mask, WireGuard's stay.
r wg set wg0 fwmark 0x5
m wg add dev wg0 peer "$spub" endpoint 198.51.100.2:51820 via wan2 endpoint 192.0.2.2:51820 via wan1
fw0=$(count r fw)
tunnel_via i2 i1
check_eq "$(server_sees)" 198.51.100.1 "with fwmark 0x5, the server sees isp2"
[ "$(count r fw)" -gt "$fw0" ] || fail "fwmark bits 0x5 lost on wan2"
r wg set wg0 fwmark 0

# The active endpoint and the events follow the uplinks' states.
active()
{
	m -j wg show | python3 -c 'import json, sys
s = json.load(sys.stdin)[0]
print(s["active"], *[e["usable"] for e in s["endpoints"]])'
}
check_eq "$(active)" "198.51.100.2:51820 True True" "active endpoint, both usable"
skip=$(wc -l < "$dir/mon")
m uplink set wan1 state down
check_eq "$(active)" "198.51.100.2:51820 True False" "wan1 down: the second endpoint is not usable"
m uplink set wan1 state auto
m uplink set wan2 state down
check_eq "$(active)" "192.0.2.2:51820 False True" "wan2 down: the second endpoint is active"
m uplink set wan1 state down
check_eq "$(active)" "None False False" "both down: no active endpoint"
m uplink set wan1 state auto
m uplink set wan2 state auto
check_eq "$(active)" "198.51.100.2:51820 True True" "both back: the first endpoint again"
events()
{
	tail -n +$((skip + 1)) "$dir/mon" | python3 -c 'import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e["object"] == "wg":
        print(e["event"], e["active"], *[x["usable"] for x in e["endpoints"]])'
}
want="set 198.51.100.2:51820 True False
set 198.51.100.2:51820 True True
set 192.0.2.2:51820 False True
set None False False
set 192.0.2.2:51820 False True
set 198.51.100.2:51820 True True"
all_events()
{
	[ "$(events | wc -l)" -ge 6 ]
}
wait_for -t 5 all_events
check_eq "$(events)" "$want" "one wg event per change, in order"
if [ -s "$dir/mon.err" ]; then
	fail "monitor: $(cat "$dir/mon.err")"
fi

# IPv6 endpoints are steered the same way (main table: ::/0 via wan1).
m wg replace dev wg0 peer "$spub" endpoint '[2001:db8:f2::2]:51820' via wan2
r wg set wg0 peer "$spub" endpoint '[2001:db8:f2::2]:51820'
tunnel_via i2 i1
check_eq "$(server_sees)" "[2001:db8:f2::1]" "over IPv6, the server sees the router through isp2"
exit 0
