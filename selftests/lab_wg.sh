# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0
# WireGuard on top of the per-flow lab (selftests/lab.sh), sourced after
# it: a "VPS" in the server namespace that the router reaches through
# either carrier, as the CGNAT site of seed 003 reaches its relay.
#
#      router wg0 10.99.0.2/24 fd99::2/64      server wg0 10.99.0.1/24 fd99::1/64
#      (no listen port fixed)                  listen 51820 on every address:
#            wan1 --- isp1 ---  192.0.2.2:51820     (LAB_WG_EP1, via isp1)
#            wan2 --- isp2 ---  198.51.100.2:51820  (LAB_WG_EP2, via isp2)
#                               [2001:db8:f1::2]:51820, [2001:db8:f2::2]:51820
#
# The router's peer is the server (allowed-ips 10.99.0.0/24, fd99::/64,
# first endpoint LAB_WG_EP1 unless -e says otherwise); the server's peer is
# the router (allowed-ips its tunnel addresses, no endpoint: it learns the
# router's from the first handshake, as a VPS does). The carriers
# masquerade, so the endpoint the server sees for the router names the
# uplink the encapsulated packets came through: 192.0.2.1:PORT (isp1) or
# 198.51.100.1:PORT (isp2). No routes beyond the tunnel subnets are added
# (wg-quick's Table = off).
#
#   lab_wg_up [ -k KEEPALIVE ] [ -e ADDR:PORT ] [ -n ]
#        both wg0s up, keys in LAB_WG_{SERVER,ROUTER}_{KEY,PUB}; then one
#        ping through the tunnel (a handshake) unless -n
#   lab_wg_key PRIVVAR PUBVAR          a fresh key pair into two variables
#   lab_wg_conf NS DEV PRIVKEY ADDRS [ LISTEN_PORT ]
#        make WireGuard device DEV in NS (any netns name, e.g. $LAB_R)
#        with addresses ADDRS ("A/L A6/L"), up; add peers with wg set
#   lab_wg_ping [ -6 ] [ SECONDS ]     one ping router -> server through
#        the tunnel, waiting SECONDS (1) for the answer
#   lab_wg_endpoint [ server ]         the peer's endpoint as "wg show wg0
#        endpoints" prints it: the router's view (the server's address it
#        sends to), or with "server" the server's view (the router's
#        address as it arrives, i.e. the carrier's)
#   lab_wg_handshake [ server ]        the peer's latest handshake, seconds
#        since the epoch (0: none yet), from the router's (server's) side
#   lab_wg_down                        delete both wg0s (lab_down and the
#        namespaces' deletion do it too)

LAB_WG_PORT=51820
LAB_WG_EP1=192.0.2.2:$LAB_WG_PORT
LAB_WG_EP2=198.51.100.2:$LAB_WG_PORT
LAB_WG_EP1_6=[2001:db8:f1::2]:$LAB_WG_PORT
LAB_WG_EP2_6=[2001:db8:f2::2]:$LAB_WG_PORT
LAB_WG_SERVER4=10.99.0.1
LAB_WG_SERVER6=fd99::1
LAB_WG_ROUTER4=10.99.0.2
LAB_WG_ROUTER6=fd99::2
LAB_WG_SERVER_KEY=
LAB_WG_SERVER_PUB=
LAB_WG_ROUTER_KEY=
LAB_WG_ROUTER_PUB=

lab_wg_key()
{
	local key pub

	key=$(wg genkey)
	pub=$(wg pubkey <<< "$key")
	printf -v "$1" '%s' "$key"
	printf -v "$2" '%s' "$pub"
}

# wg reads private keys from files only: one in LAB_TMP, gone at lab_down.
_lab_wg_keyfile()
{
	local f

	f=$(mktemp "$LAB_TMP/wgkey.XXXXXX")
	printf '%s\n' "$1" > "$f"
	echo "$f"
}

lab_wg_conf()
{
	local ns=$1 dev=$2 key=$3 addrs=$4 port=${5-} a batch

	batch="link add $dev type wireguard"
	for a in $addrs; do
		case $a in
		*:*) batch+=$'\n'"addr add $a dev $dev nodad" ;;
		*) batch+=$'\n'"addr add $a dev $dev" ;;
		esac
	done
	ip -n "$ns" -batch - <<< "$batch" || return 1
	ip netns exec "$ns" wg set "$dev" private-key "$(_lab_wg_keyfile "$key")" \
		${port:+listen-port "$port"} || return 1
	ip -n "$ns" link set "$dev" up
}

lab_wg_up()
{
	local opt keepalive= ep=$LAB_WG_EP1 ping=1 OPTIND=1

	while getopts k:e:n opt; do
		case $opt in
		k) keepalive=$OPTARG ;;
		e) ep=$OPTARG ;;
		n) ping= ;;
		*) echo "lab_wg_up: unknown option" >&2; return 1 ;;
		esac
	done
	_lab_modules wireguard
	command -v wg > /dev/null || skip "wg (wireguard-tools) not installed"
	[ -n "$LAB_TMP" ] || { echo "lab_wg_up: lab_up first" >&2; return 1; }
	lab_wg_key LAB_WG_SERVER_KEY LAB_WG_SERVER_PUB
	lab_wg_key LAB_WG_ROUTER_KEY LAB_WG_ROUTER_PUB
	lab_wg_conf "$LAB_S" wg0 "$LAB_WG_SERVER_KEY" \
		"$LAB_WG_SERVER4/24 $LAB_WG_SERVER6/64" "$LAB_WG_PORT" || return 1
	s wg set wg0 peer "$LAB_WG_ROUTER_PUB" \
		allowed-ips "$LAB_WG_ROUTER4/32,$LAB_WG_ROUTER6/128" || return 1
	lab_wg_conf "$LAB_R" wg0 "$LAB_WG_ROUTER_KEY" \
		"$LAB_WG_ROUTER4/24 $LAB_WG_ROUTER6/64" || return 1
	r wg set wg0 peer "$LAB_WG_SERVER_PUB" endpoint "$ep" \
		allowed-ips 10.99.0.0/24,fd99::/64 \
		${keepalive:+persistent-keepalive "$keepalive"} || return 1
	[ -z "$ping" ] && return 0
	lab_wg_ping 5 || { echo "lab_wg_up: no ping through the tunnel" >&2; return 1; }
}

lab_wg_ping()
{
	local dst=$LAB_WG_SERVER4

	if [ "${1-}" = -6 ]; then
		dst=$LAB_WG_SERVER6
		shift
	fi
	r ping -q -c 1 -W "${1:-1}" "$dst" > /dev/null 2>&1
}

# The one peer's value of "wg show wg0 KEY" in NS.
_lab_wg_show()
{
	local ns=$LAB_R out

	[ "$2" = server ] && ns=$LAB_S
	out=$(ip netns exec "$ns" wg show wg0 "$1") || return 1
	echo "${out##*$'\t'}"
}

lab_wg_endpoint()
{
	_lab_wg_show endpoints "${1-}"
}

lab_wg_handshake()
{
	_lab_wg_show latest-handshakes "${1-}"
}

lab_wg_down()
{
	r ip link del wg0 2> /dev/null || true
	s ip link del wg0 2> /dev/null || true
}
