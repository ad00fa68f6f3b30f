# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0
# The per-flow lab, sourced by the selftests (after lib.sh, which it
# sources itself when needed), scripts/demo.sh and selftests/bench/: five
# network namespaces (lib.sh's ns_add: client, router, isp1, isp2, server)
# modelled on a dual-WAN Debian router (the AT&T/Webpass seed): the
# router's LAN, two uplinks through two carriers that masquerade, and an
# "internet" server.
#
#   lan 10.250.250.0/29        wan1 100.64.1.0/30              192.0.2.0/30
#       fd00:250:250::/64           2001:db8:1::/64               2001:db8:f1::/64
#  +--------+               +--------+           +------+                 +--------+
#  | client |eth0  ---  lan0| router |wan1 - cust0| isp1 |up0  ----   isp1| server |
#  |  .2    |           .1  |  mwan  |.2       .1 +------+ .1           .2|        |
#  | (.3-.6)|               |        |wan2 - cust0| isp2 |up0  ----   isp2|        |
#  +--------+               +--------+.2       .1 +------+ .1           .2+--------+
#                                  wan2 100.64.2.0/30       198.51.100.0/30   lo: 203.0.113.10..
#                                       2001:db8:2::/64     2001:db8:f2::/64      2001:db8:ff::10..
#
# The router masquerades on both uplinks and so does each carrier (NAT44
# and NAT66), so the server sees one source address per uplink:
# 192.0.2.1 / 2001:db8:f1::1 through isp1, 198.51.100.1 / 2001:db8:f2::1
# through isp2. Tests count "at the WAN side" from what the server saw
# (the tools in selftests/lab/ name those addresses via LAB_SRC_NAMES),
# never from mwan's own counters. The router's main table has a default
# route through each uplink (metric 10 via isp1, 20 via isp2), as two DHCP
# clients would leave it.
#
#   lab_up [ -N ] [ -S ] [ -p PORTS ] [ -a COUNT ]   build, start the server, wait until reachable
#        -N  carriers route instead of masquerading (server sees 100.64.x.2)
#        -S  no server;  -p server ports (5000-5009);  -a server addresses per family (32)
#   lab_down                           kill lab processes, delete the namespaces
#   c|r|i1|i2|s CMD...                 run CMD in client/router/isp1/isp2/server
#   lab_py NS TOOL ARGS...             run selftests/lab/TOOL.py in namespace NS ($LAB_C...)
#   lab_bg LOG NS TOOL ARGS...         the same in the background ($LAB_BG_PID; lab_down kills it)
#   lab_field KEY TEXT                 the value of KEY=value in a tool's summary (0 if absent)
#   lab_cut UPLINK | lab_restore UPLINK        far side drops everything, carrier up
#   lab_linkdown UPLINK | lab_linkup UPLINK    carrier off/on (peer down/up)
#   lab_route_uplink UPLINK INDEX      what mwanctl does per uplink (FLOW-DESIGN.md "Routing")
#   lab_route_baseline | lab_route_flush       both uplinks / undo
#   lab_steer UPLINK | lab_steer off   mark every new LAN flow for UPLINK (baselines only)
# UPLINK is wan1 or wan2 (isp1 and isp2 are accepted too).

LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LAB_TOOLS=$LAB_TOP/selftests/lab
# shellcheck source=selftests/lib.sh
declare -F ns_add > /dev/null || . "$LAB_TOP/selftests/lib.sh"
# Not a pyenv shim: that costs a third of a second per start, more under TCG.
LAB_PY=${LAB_PY:-$(command -v /usr/bin/python3 || command -v python3)}

LAB_C=$(ns client)
LAB_R=$(ns router)
LAB_I1=$(ns isp1)
LAB_I2=$(ns isp2)
LAB_S=$(ns server)

LAB_CLIENT4=10.250.250.2
LAB_CLIENT6=fd00:250:250::2
LAB_SERVER4=203.0.113.10
LAB_SERVER6=2001:db8:ff::10
LAB_GW1=100.64.1.1
LAB_GW1_6=2001:db8:1::1
LAB_GW2=100.64.2.1
LAB_GW2_6=2001:db8:2::1
LAB_PORTS=5000-5009
LAB_MARK_MASK=0x00ff0000
export LAB_SRC_NAMES="192.0.2.1=isp1 2001:db8:f1::1=isp1 100.64.1.2=isp1 2001:db8:1::2=isp1
198.51.100.1=isp2 2001:db8:f2::1=isp2 100.64.2.2=isp2 2001:db8:2::2=isp2"

# What an administrator writes on the router: masquerade on every uplink.
LAB_ROUTER_NAT='table inet nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname { "wan1", "wan2" } masquerade
	}
}'

LAB_PIDS=()
LAB_TMP=

c()  { n client "$@"; }
r()  { n router "$@"; }
i1() { n isp1 "$@"; }
i2() { n isp2 "$@"; }
s()  { n server "$@"; }

lab_py()
{
	local ns=$1 tool=$2

	shift 2
	ip netns exec "$ns" "$LAB_PY" -BS "$LAB_TOOLS/$tool.py" "$@"
}

lab_field()
{
	local word

	for word in $2; do
		if [ "${word%%=*}" = "$1" ] && [ "$word" != "$1" ]; then
			echo "${word#*=}"
			return 0
		fi
	done
	echo 0
}

# Map an uplink name to its carrier's namespace and numbers.
_lab_isp()
{
	case $1 in
	wan1|isp1) _lab_ns=$LAB_I1 _lab_wan=wan1 _lab_idx=1 _lab_gw=$LAB_GW1 _lab_gw6=$LAB_GW1_6 ;;
	wan2|isp2) _lab_ns=$LAB_I2 _lab_wan=wan2 _lab_idx=2 _lab_gw=$LAB_GW2 _lab_gw6=$LAB_GW2_6 ;;
	*) echo "lab: no uplink '$1' (wan1, wan2)" >&2; return 1 ;;
	esac
}

# Every process start is dear under TCG (a third of a second and more on
# the test machines), so each namespace is set up by one shell using
# builtins for its sysctls, one `ip -batch` and at most one `nft -f`, and
# the five run in parallel once the links exist.

# NS SCRIPT: run the bash SCRIPT in NS.
_lab_in()
{
	ip netns exec "$1" bash -c "$2"
}

# The sysctl writes (as bash builtins) for a namespace that forwards.
_lab_forwarding()
{
	echo 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	echo 'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
}

_lab_links()
{
	ip -batch - <<-EOF
	link add lan0 netns $LAB_R type veth peer name eth0 netns $LAB_C
	link add wan1 netns $LAB_R type veth peer name cust0 netns $LAB_I1
	link add wan2 netns $LAB_R type veth peer name cust0 netns $LAB_I2
	link add up0 netns $LAB_I1 type veth peer name isp1 netns $LAB_S
	link add up0 netns $LAB_I2 type veth peer name isp2 netns $LAB_S
	EOF
}

_lab_router()
{
	_lab_in "$LAB_R" "
	$(_lab_forwarding)
	# Strict on the LAN, loose on the uplinks: replies come back on
	# whichever uplink a flow left by, not the main table's default.
	echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter
	echo 1 > /proc/sys/net/ipv4/conf/lan0/rp_filter
	echo 2 > /proc/sys/net/ipv4/conf/wan1/rp_filter
	echo 2 > /proc/sys/net/ipv4/conf/wan2/rp_filter
	ip -batch - <<-EOF || exit 1
	addr add 10.250.250.1/29 dev lan0
	addr add fd00:250:250::1/64 dev lan0 nodad
	addr add 100.64.1.2/30 dev wan1
	addr add 2001:db8:1::2/64 dev wan1 nodad
	addr add 100.64.2.2/30 dev wan2
	addr add 2001:db8:2::2/64 dev wan2 nodad
	link set lan0 up
	link set wan1 up
	link set wan2 up
	route add default via $LAB_GW1 dev wan1 metric 10
	route add default via $LAB_GW2 dev wan2 metric 20
	route add ::/0 via $LAB_GW1_6 dev wan1 metric 10
	route add ::/0 via $LAB_GW2_6 dev wan2 metric 20
	EOF
	nft -f - <<-EOF
	$LAB_ROUTER_NAT
	EOF"
}

# N NAT: carrier N; NAT empty = route, do not masquerade.
_lab_carrier()
{
	local i=$1 nat='' ns=$LAB_I1 up4=192.0.2 up6=2001:db8:f1

	[ "$i" = 2 ] && ns=$LAB_I2 up4=198.51.100 up6=2001:db8:f2
	[ -n "$2" ] && nat='nft -f - <<-EOF
	table inet carrier {
		chain postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "up0" masquerade
		}
	}
	EOF'
	_lab_in "$ns" "
	$(_lab_forwarding)
	ip -batch - <<-EOF || exit 1
	addr add 100.64.$i.1/30 dev cust0
	addr add 2001:db8:$i::1/64 dev cust0 nodad
	addr add $up4.1/30 dev up0
	addr add $up6::1/64 dev up0 nodad
	link set cust0 up
	link set up0 up
	route add default via $up4.2
	route add ::/0 via $up6::2
	EOF
	$nat"
}

_lab_client()
{
	local i

	{
		echo "link set eth0 up"
		for i in 2 3 4 5 6; do
			echo "addr add 10.250.250.$i/29 dev eth0"
			echo "addr add fd00:250:250::$i/64 dev eth0 nodad"
		done
		echo "route add default via 10.250.250.1"
		echo "route add ::/0 via fd00:250:250::1"
	} | ip -n "$LAB_C" -batch -
}

_lab_server()
{
	local i naddr=$1

	{
		echo "link set isp1 up"
		echo "link set isp2 up"
		echo "addr add 192.0.2.2/30 dev isp1"
		echo "addr add 2001:db8:f1::2/64 dev isp1 nodad"
		echo "addr add 198.51.100.2/30 dev isp2"
		echo "addr add 2001:db8:f2::2/64 dev isp2 nodad"
		echo "route add 100.64.1.0/30 via 192.0.2.1"
		echo "route add 100.64.2.0/30 via 198.51.100.1"
		echo "route add 2001:db8:1::/64 via 2001:db8:f1::1"
		echo "route add 2001:db8:2::/64 via 2001:db8:f2::1"
		for ((i = 0; i < naddr; i++)); do
			printf 'addr add 203.0.113.%d/32 dev lo\n' $((10 + i))
			printf 'addr add 2001:db8:ff::%x/128 dev lo\n' $((0x10 + i))
		done
	} | ip -n "$LAB_S" -batch -
}

# Wait for every pid given; fail if any failed.
_lab_wait_all()
{
	local pid rc=0

	for pid; do
		wait "$pid" || rc=1
	done
	return $rc
}

_lab_topology()
{
	local nat=$1 naddr=$2 pids=()

	ns_add client router isp1 isp2 server
	_lab_links || return 1
	_lab_router & pids+=($!)
	_lab_carrier 1 "$nat" & pids+=($!)
	_lab_carrier 2 "$nat" & pids+=($!)
	_lab_client & pids+=($!)
	_lab_server "$naddr" & pids+=($!)
	_lab_wait_all "${pids[@]}"
}

# Run a lab tool in the background in namespace NS, output to LOG; its pid
# (the tool's own: ip netns exec execs it) is LAB_BG_PID, killed by lab_down.
lab_bg()
{
	local log=$1 ns=$2 tool=$3

	shift 3
	ip netns exec "$ns" "$LAB_PY" -BS "$LAB_TOOLS/$tool.py" "$@" > "$log" 2>&1 &
	LAB_BG_PID=$!
	LAB_PIDS+=("$LAB_BG_PID")
}

# FILE PREFIX: wait (10 s at most) for a line starting with PREFIX in FILE.
lab_wait_line()
{
	local file=$1 prefix=$2 i line

	for ((i = 0; i < 200; i++)); do
		if [ -e "$file" ]; then
			while IFS= read -r line; do
				[[ $line == "$prefix"* ]] && return 0
			done < "$file"
		fi
		sleep 0.05
	done
	echo "lab: no '$prefix' line in $file:" >&2
	cat "$file" >&2
	return 1
}

# The client reaches the router, and the router the server through each
# carrier, in both families; the pings run in parallel. A ping gives up
# before its deadline once neighbour discovery has failed three times,
# which a link just brought up can make it do (seen in a guest counting
# instructions): up to three tries.
_lab_wait_reachable()
{
	local try

	for try in 1 2 3; do
		_lab_in "$LAB_R" "
		ping -q -c1 -w5 -I wan1 $LAB_SERVER4 & a=\$!
		ping -q -c1 -w5 -I wan2 $LAB_SERVER4 & b=\$!
		ping -q -6 -c1 -w5 -I wan1 $LAB_SERVER6 & c=\$!
		ping -q -6 -c1 -w5 -I wan2 $LAB_SERVER6 & d=\$!
		ip netns exec $LAB_C ping -q -c1 -w5 10.250.250.1 & e=\$!
		wait \$a && wait \$b && wait \$c && wait \$d && wait \$e" > /dev/null 2>&1 && return 0
	done
	echo "lab: the server is not reachable through both uplinks" >&2
	return 1
}

# Named, not left to autoloading (the test VM cannot autoload); one
# modprobe for all. A kernel without a module tree has them built in.
_lab_modules()
{
	local kver

	read -r kver < /proc/sys/kernel/osrelease
	[ -d "/lib/modules/$kver" ] || return 0
	modprobe -qa "$@" 2> /dev/null || require_module "$@"
}

lab_up()
{
	local opt nat=1 server=1 naddr=32 t0=$EPOCHREALTIME t OPTIND=1

	while getopts NSp:a: opt; do
		case $opt in
		N) nat= ;;
		S) server= ;;
		p) LAB_PORTS=$OPTARG ;;
		a) naddr=$OPTARG ;;
		*) echo "lab_up: unknown option" >&2; return 1 ;;
		esac
	done
	_lab_modules veth nf_tables nf_conntrack nf_nat nft_chain_nat nft_masq nft_ct
	defer _lab_stop
	LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lab.XXXXXX")
	_lab_topology "$nat" "$naddr" || return 1
	if [ -n "$server" ]; then
		lab_bg "$LAB_TMP/server.out" "$LAB_S" server -p "$LAB_PORTS" -l "$LAB_TMP/server.log"
	fi
	_lab_wait_reachable || return 1
	if [ -n "$server" ]; then
		lab_wait_line "$LAB_TMP/server.out" "# listening" || return 1
	fi
	t=$EPOCHREALTIME
	LAB_UP_MS=$(((${t/./} - ${t0/./}) / 1000))
	echo "# lab up in $LAB_UP_MS ms"
}

# Stop the lab's processes (run at exit: lib.sh deletes the namespaces).
_lab_stop()
{
	local pid

	for pid in "${LAB_PIDS[@]}"; do
		kill "$pid" 2> /dev/null || true
	done
	for pid in "${LAB_PIDS[@]}"; do
		wait "$pid" 2> /dev/null || true
	done
	LAB_PIDS=()
	if [ -n "$LAB_TMP" ]; then
		rm -rf "$LAB_TMP"
		LAB_TMP=
	fi
}

lab_down()
{
	local pid

	_lab_stop
	# Anything still running in a namespace would keep it alive.
	for pid in $(printf 'netns pids %s\n' "$LAB_C" "$LAB_R" "$LAB_I1" "$LAB_I2" "$LAB_S" |
		     ip -force -batch - 2> /dev/null); do
		kill "$pid" 2> /dev/null || true
	done
	printf 'netns del %s\n' "$LAB_C" "$LAB_R" "$LAB_I1" "$LAB_I2" "$LAB_S" |
		ip -force -batch - 2> /dev/null || true
}

# The carrier's customer port silently drops everything, both ways,
# while its carrier stays up: the failure health checks must find.
lab_cut()
{
	_lab_isp "$1" || return 1
	ip netns exec "$_lab_ns" nft -f - <<-EOF
	table netdev lab_cut {
		chain in {
			type filter hook ingress device "cust0" priority -500; policy drop;
		}
		chain out {
			type filter hook egress device "cust0" priority -500; policy drop;
		}
	}
	EOF
}

lab_restore()
{
	_lab_isp "$1" || return 1
	ip netns exec "$_lab_ns" nft delete table netdev lab_cut
}

# Carrier loss on the router's port: the peer goes down.
lab_linkdown()
{
	_lab_isp "$1" || return 1
	ip -n "$_lab_ns" link set cust0 down
}

lab_linkup()
{
	_lab_isp "$1" || return 1
	ip -n "$_lab_ns" link set cust0 up
}

# Per FLOW-DESIGN.md "Routing", what `mwanctl uplink add` installs:
# mark INDEX << 16 under the default mark_mask, table and pref 1000+INDEX.
lab_route_uplink()
{
	local mark table

	_lab_isp "$1" || return 1
	mark=$(printf '0x%x' $(($2 << 16)))
	table=$((1000 + $2))
	ip -n "$LAB_R" rule add fwmark "$mark/$LAB_MARK_MASK" lookup $table pref $table &&
	ip -n "$LAB_R" -6 rule add fwmark "$mark/$LAB_MARK_MASK" lookup $table pref $table &&
	ip -n "$LAB_R" route add default via "$_lab_gw" dev "$_lab_wan" table $table &&
	ip -n "$LAB_R" route add ::/0 via "$_lab_gw6" dev "$_lab_wan" table $table
}

lab_route_baseline()
{
	lab_route_uplink wan1 1 && lab_route_uplink wan2 2
}

lab_route_flush()
{
	local t

	for t in 1001 1002; do
		ip -n "$LAB_R" rule del pref $t 2> /dev/null || true
		ip -n "$LAB_R" -6 rule del pref $t 2> /dev/null || true
		ip -n "$LAB_R" route flush table $t 2> /dev/null || true
		ip -n "$LAB_R" -6 route flush table $t 2> /dev/null || true
	done
}

# Every new flow from the LAN gets UPLINK's mark (restored from the
# conntrack mark for its later packets): a fixed choice for baselines.
lab_steer()
{
	r nft delete table inet lab_steer 2> /dev/null || true
	[ "$1" = off ] && return 0
	_lab_isp "$1" || return 1
	r nft -f - <<-EOF
	table inet lab_steer {
		chain prerouting {
			type filter hook prerouting priority mangle; policy accept;
			iifname "lan0" ct mark != 0 meta mark set ct mark return
			iifname "lan0" ct state new meta mark set $((_lab_idx << 16)) ct mark set meta mark
		}
	}
	EOF
}
