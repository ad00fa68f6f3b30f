#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Small-packet forwarding rate through the lab's router, for `make bench`,
# mode against mode, interleaved in one run:
#   none       plain routing, conntrack and masquerade (no balancing)
#   rules      the same, plus the "ip rule fwmark ... lookup" and tables that
#              mwan installs (that nothing here matches): what policy
#              routing costs by itself
#              (with any rule, the kernel walks the rules for every lookup
#              and keeps its local and main tables apart)
#   nft        the mwan3 way in nftables (nft-mwan3.sh: ct mark restore,
#              numgen weighted map, fwmark rules), uplinks 1:1, and the
#              same 10 rules as mwan's, walked in order as mwan3 does
#   nft-rN     the same with mwan-rN's N rules
#   mwan       mwan.ko: 2 uplinks, 1 policy (1:1), 10 rules, the LAN's last
#   mwan-rN    the same with N rules (N-1 that do not match, then the LAN's)
#   sink       the router drops the packets as they arrive on its LAN
#              (netdev hook), counted there: the cost of everything but
#              the router's forwarding, taken off the others' CPU time
#              per packet ("router cost" below)
#
# pktgen in the client sends 64-byte UDP frames at full speed; each carrier
# counts and drops them at its ingress (netdev hook), so the rate is what
# the router forwarded. pktgen runs on CPU 1 and RPS hands the router's
# LAN input to CPU 0, so CPU 0 does the forwarding (and the carriers' drop)
# and nothing else; its busy time per forwarded packet is the second
# figure. With one CPU (selftests/vm/run -c 1 -i SHIFT, the way to count
# instructions rather than seconds), everything runs on CPU 0 and both
# figures cost the whole path, pktgen included; `sink` then gives that
# part, and "router cost" (a mode's ns/pkt less sink's) the router's
# forwarding alone. Two measures per mode:
#   steady  FLOWS flows (random source ports); counted after WARM seconds,
#           when every flow has its conntrack entry and uplink: the cost of
#           restoring the mark and routing by it
#   new     every packet a new flow (source address and port stepped over
#           5 x 64512 tuples): conntrack creation, NAT and classification,
#           i.e. the rule lookup, on every packet
# Every run has a lab of its own, built for it: no run meets another's
# flows, and none inherits what an earlier one left in the kernel (once a
# namespace has had an ip rule, its routing walks rules for good, so a
# `none` run after an `mwan` run in the same lab was not plain routing).
# Each round runs every mode once, the order rotated by one each round;
# ratios are taken within a round, then the median over rounds.
#
# usage: fwd-rate.sh [ -t SECS ] [ -w WARM ] [ -f FLOWS ] [ -r ROUNDS ] [ -R N,N... ] [ -m MEASURES ] [ MODE... ]
#   -t  seconds counted per run (2)        -w  warm-up seconds, steady (1)
#   -f  flows of the steady measure (1024) -r  rounds (10; 3 with one CPU)
#   -R  rule counts of the mwan-rN modes (1,100,10000; 10k is 10000)
#   -m  measures, comma-separated (steady,new)
#   MODE  none, rules, nft, nft-rN, mwan, mwan-rN, sink (default: none
#         rules nft mwan and -R's mwan-rN, and sink first with one CPU)
# output: "# ..." progress lines (one per run, the ratios of each round),
# then "bench ..." lines:
#   bench measure=M mode=X pps=MEDIAN min=N max=N ns_pkt=MEDIAN wan2_share=MEDIAN runs=N
#   bench measure=M ratio=A/B median=R min=R max=R rounds=N
#   bench measure=M cpu_ratio=A/B median=R min=R max=R rounds=N
#   bench measure=M router_ratio=A/B median=R min=R max=R rounds=N
#   (ns_pkt: CPU 0 busy time per forwarded packet, with one CPU the
#   whole time, all of it busy; wan2_share: the
#   fraction of the packets counted at isp2; ratio: A's pps over B's in
#   each round; cpu_ratio: B's ns_pkt over A's in each round, so that
#   above 1 means A cheaper, as for ratio; router_ratio, when sink ran:
#   the same with sink's ns_pkt taken off both, A's and B's router cost)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lab.sh"

secs=2
warm=1
flows=1024
rounds=
counts=1,100,10000
measures=steady,new
while getopts t:w:f:r:R:m:h opt; do
	case $opt in
	t) secs=$OPTARG ;;
	w) warm=$OPTARG ;;
	f) flows=$OPTARG ;;
	r) rounds=$OPTARG ;;
	R) counts=$OPTARG ;;
	m) measures=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/router cost)$/p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
counts=${counts//10k/10000}
modes=("$@")
if [ $# -eq 0 ]; then
	modes=(none rules nft mwan)
	# One CPU: the part of the path that is not the router's, to take off.
	[ "$(nproc)" -ge 2 ] || modes=(sink "${modes[@]}")
	for n in ${counts//,/ }; do
		modes+=("mwan-r$n")
	done
fi
IFS=, read -r -a meas <<< "$measures"
for m in "${meas[@]}"; do
	case $m in steady|new) ;; *) fail "no measure '$m' (steady, new)" ;; esac
done
{ [ "$flows" -ge 1 ] && [ "$flows" -le 64512 ]; } || fail "-f: 1 to 64512 flows"

require_cmd nft conntrack taskset
require_module pktgen nft_numgen nft_fib_inet
# pktgen's CPU: 1, with RPS handing the router's LAN input to CPU 0; with
# a single CPU, the same one.
pgcpu=1
[ "$(nproc)" -ge 2 ] || pgcpu=0
# Counting instructions (one CPU), a run gives the same figure to within
# a few tenths of a percent: three rounds show that much (about 2.5
# minutes a round of all modes under the emulator).
[ -n "$rounds" ] || rounds=$((pgcpu ? 10 : 3))

# Room for the new-flow runs' entries.
sysctl -qw net.netfilter.nf_conntrack_max=1048576
echo 262144 > /sys/module/nf_conntrack/parameters/hashsize
# pktgen and this script (and all it starts) run on CPU 1.
[ "$pgcpu" = 0 ] || taskset -pc 1 $$ > /dev/null
run_no=0
park0= park1= park2=

# A new lab for the next run, the last one's gone.
bench_lab()
{
	unpark
	[ "$run_no" = 0 ] || lab_down
	lab_up -S > /dev/null
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
	# The router's LAN input is processed on CPU 0.
	[ "$pgcpu" = 0 ] || r sh -c 'echo 1 > /sys/class/net/lan0/queues/rx-0/rps_cpus'
	lan_mac=$(r cat /sys/class/net/lan0/address)
	# Processes parked in the carriers' namespaces (and the router's, for
	# sink), so that one read of their /proc/PID/net/dev gives the counts
	# at one instant (an nft or ip call per carrier takes long under TCG,
	# and skewed the windows apart).
	ip netns exec "$LAB_R" sleep infinity &
	park0=$!
	ip netns exec "$LAB_I1" sleep infinity &
	park1=$!
	ip netns exec "$LAB_I2" sleep infinity &
	park2=$!
}
unpark()
{
	[ -z "$park1" ] || kill "$park0" "$park1" "$park2" 2> /dev/null || true
	[ -z "$park1" ] || wait "$park0" "$park1" "$park2" 2> /dev/null || true
	park0= park1= park2=
}
defer unpark

# Rules for mwan-rN: N-1 that never match the benchmark's packets (sources
# and destinations elsewhere, and two on the LAN's prefix for other
# protocols), then the LAN's, last.
rules()
{
	local n=$1 i fill=$(($1 - 3))

	[ "$n" -ge 3 ] || fill=0
	for ((i = 0; i < fill; i++)); do
		case $((i % 3)) in
		0) echo "rule add pref $((10 + i)) from 10.$((i >> 16)).$((i >> 8 & 255)).$((i & 255)) policy balanced" ;;
		1) echo "rule add pref $((10 + i)) to 192.168.$((i >> 8 & 255)).$((i & 255)) policy balanced" ;;
		2) echo "rule add pref $((10 + i)) from $((11 + (i >> 16))).$((i >> 8 & 255)).$((i & 255)).0/24 proto udp dport 9 policy balanced" ;;
		esac
	done
	if [ "$n" -ge 3 ]; then
		echo "rule add pref 1000001 from 10.250.250.0/29 proto tcp dport 443 policy balanced"
		echo "rule add pref 1000002 from 10.250.250.0/29 proto icmp policy balanced"
	elif [ "$n" -eq 2 ]; then
		echo "rule add pref 1000001 from 10.250.250.0/29 proto tcp dport 443 policy balanced"
	fi
	echo "rule add pref 1000010 from 10.250.250.0/29 policy balanced"
}

unrules()
{
	rules "$1" | awk '{ print "rule del pref " $4 }'
}

mode_none()  { :; }
unmode_none() { :; }

# The router drops the benchmark's packets as they arrive on its LAN, as
# the carriers do: all the work of the others but the router's forwarding.
mode_sink()
{
	r nft -f - <<-EOF
	table netdev sink {
		chain in {
			type filter hook ingress device "lan0" priority -500; policy accept;
			udp dport 9 counter drop
		}
	}
	EOF
}
unmode_sink() { r nft delete table netdev sink; }

# The rules and tables mwanctl installs for wan1 and wan2 (lab.sh); no
# packet here carries a mark, so none takes them.
mode_rules()   { lab_route_baseline; }
unmode_rules() { lab_route_flush; }

# rules N as nft matches, for nft-mwan3.sh -r.
nft_rules()
{
	rules "$1" | awk '{
		m = ""
		for (i = 5; i < NF - 1; i++) {
			if ($i == "from") m = m " ip saddr " $(++i)
			else if ($i == "to") m = m " ip daddr " $(++i)
			else if ($i == "proto") p = $(++i)
			else if ($i == "dport") m = m " " p " dport " $(++i)
		}
		if (p != "" && m !~ / dport /) m = m " meta l4proto " p
		p = ""
		print substr(m, 2)
	}'
}

mode_nft_n()
{
	local t0=$EPOCHREALTIME t

	lab_route_baseline
	nft_rules "$1" | "$(dirname "$0")/nft-mwan3.sh" -r - wan1=1:1 wan2=2:1 | r nft -f -
	t=$EPOCHREALTIME
	setup_ms=$(((${t/./} - ${t0/./}) / 1000))
}

unmode_nft_n()
{
	local t0=$EPOCHREALTIME t

	r nft delete table inet mwan3
	lab_route_flush
	t=$EPOCHREALTIME
	teardown_ms=$(((${t/./} - ${t0/./}) / 1000))
}

# The same balancing from mwan.ko, per mwanctl(8).
mode_mwan_n()
{
	local t0=$EPOCHREALTIME t

	{
		echo "uplink add wan1 dev wan1 via $LAB_GW1 via $LAB_GW1_6"
		echo "uplink add wan2 dev wan2 via $LAB_GW2 via $LAB_GW2_6"
		echo "policy add balanced member wan1 weight 1 member wan2 weight 1"
		rules "$1"
	} | mwanctl -n "$LAB_R" -batch -
	t=$EPOCHREALTIME
	setup_ms=$(((${t/./} - ${t0/./}) / 1000))
}

unmode_mwan_n()
{
	local t0=$EPOCHREALTIME t

	{
		unrules "$1"
		echo "policy del balanced"
		echo "uplink del wan1"
		echo "uplink del wan2"
	} | mwanctl -n "$LAB_R" -batch -
	t=$EPOCHREALTIME
	teardown_ms=$(((${t/./} - ${t0/./}) / 1000))
}

mwan_ready()
{
	[ -d /sys/module/mwan ] || { echo "mwan.ko not loaded"; return 1; }
	command -v mwanctl > /dev/null || { echo "no mwanctl"; return 1; }
	mwanctl policy help > /dev/null 2>&1 || { echo "mwanctl has no policies yet"; return 1; }
}

# "CPU0_BUSY ISP1 ISP2 LAN": CPU 0's busy time in USER_HZ ticks, the
# packets each carrier's cust0 received (counted, then dropped), and those
# the router's lan0 received.
snap()
{
	awk 'FILENAME == "/proc/stat" && $1 == "cpu0" { busy = $2 + $3 + $4 + $7 + $8 }
	     FILENAME != "/proc/stat" && /cust0:/ { sub(/.*:/, ""); cnt[++i] = $2 }
	     FILENAME != "/proc/stat" && /lan0:/ { sub(/.*:/, ""); lan = $2 }
	     END { print busy, cnt[1], cnt[2], lan }' \
		/proc/stat "/proc/$park1/net/dev" "/proc/$park2/net/dev" "/proc/$park0/net/dev"
}

# One run of measure $1 in mode $2. Sets res="PPS NS_PER_PKT WAN1 WAN2":
# the packets the carriers received, or in sink mode those the router did
# (as WAN1).
run_once()
{
	local measure=$1 mode=$2 pg=/proc/net/pktgen dst a1 a2 a0 b1 b2 b0 c0 c1 t0 t1 us fwd ns pgjob
	local cfg=()

	run_no=$((run_no + 1))
	dst=198.$((18 + (run_no >> 16 & 1))).$((run_no >> 8 & 255)).$((run_no & 255))
	cfg=('count 0' 'clone_skb 0' 'pkt_size 60' 'delay 0'
		"dst $dst" "dst_mac $lan_mac" 'udp_dst_min 9' 'udp_dst_max 9')
	if [ "$measure" = steady ]; then
		cfg+=("src_min $LAB_CLIENT4" "src_max $LAB_CLIENT4"
			'udp_src_min 1024' "udp_src_max $((1024 + flows - 1))"
			'flag UDPSRC_RND')
	else
		# Sequential: (address, port) repeats after 5 * 64512 packets.
		cfg+=('src_min 10.250.250.2' 'src_max 10.250.250.6'
			'udp_src_min 1024' 'udp_src_max 65535')
	fi
	c bash -c '
	pg=$1 cpu=$2; shift 2
	for t in $pg/kpktgend_*; do
		echo rem_device_all > $t
	done
	echo add_device eth0 > $pg/kpktgend_$cpu
	for cmd; do
		echo "$cmd" > $pg/eth0
	done' - "$pg" "$pgcpu" "${cfg[@]}"
	c sh -c "echo start > $pg/pgctrl" &
	pgjob=$!
	if [ "$measure" = steady ]; then
		sleep "$warm"
	else
		sleep 0.3
	fi
	t0=$EPOCHREALTIME
	read -r c0 a1 a2 a0 <<< "$(snap)"
	sleep "$secs"
	t1=$EPOCHREALTIME
	read -r c1 b1 b2 b0 <<< "$(snap)"
	if [ "$mode" = sink ]; then
		a1=$a0 b1=$b0 a2=0 b2=0
	fi
	c sh -c "echo stop > $pg/pgctrl"
	wait "$pgjob"
	us=$((${t1/./} - ${t0/./}))
	fwd=$((b1 - a1 + b2 - a2))
	[ "$fwd" -gt 0 ] || fail "nothing forwarded ($measure)"
	# ticks are 1/100 s: ns = ticks * 10^7. With one CPU, busy all along
	# (pktgen never waits), the whole time rather than its ticks: as
	# true and finer.
	if [ "$pgcpu" = 0 ]; then
		ns=$((us * 1000 / fwd))
	else
		ns=$(((c1 - c0) * 10000000 / fwd))
	fi
	res="$((fwd * 1000000 / us)) $ns $((b1 - a1)) $((b2 - a2))"
	# Now, not in the namespace's deferred teardown during the next run.
	r conntrack -F 2> /dev/null || true
}

declare -A results
run=()
for mode in "${modes[@]}"; do
	case $mode in
	none|rules|nft|sink) run+=("$mode") ;;
	nft-r[1-9]*)
		[[ ${mode#nft-r} =~ ^[0-9]+$ ]] || fail "no mode '$mode'"
		run+=("$mode") ;;
	mwan|mwan-r[1-9]*)
		[ "$mode" = mwan ] || [[ ${mode#mwan-r} =~ ^[0-9]+$ ]] || fail "no mode '$mode'"
		if why=$(mwan_ready); then run+=("$mode"); else log "mode $mode skipped: $why"; fi ;;
	*) fail "no mode '$mode' (none, rules, nft, nft-rN, mwan, mwan-rN, sink)" ;;
	esac
done
[ ${#run[@]} -gt 0 ] || skip "nothing to measure"
log "modes: ${run[*]}; measures: ${meas[*]}; rounds $rounds, $secs s per run (+$warm s warm-up), $flows steady flows"

# The ratios reported: A/B for each pair whose modes both ran.
pairs=()
has() { [[ " ${run[*]} " == *" $1 "* ]]; }
for p in mwan/none mwan/nft nft/none rules/none mwan/rules; do
	has "${p%/*}" && has "${p#*/}" && pairs+=("$p")
done
# mwan-rN against nft-rN: the same N rules both ways.
for mode in "${run[@]}"; do
	[[ $mode == mwan-r* ]] && has "nft-r${mode#mwan-r}" && pairs+=("$mode/nft-r${mode#mwan-r}")
done
rmodes=()
for mode in "${run[@]}"; do
	[[ $mode == mwan-r* ]] && rmodes+=("$mode")
done
if [ ${#rmodes[@]} -gt 1 ]; then
	base=$(printf '%s\n' "${rmodes[@]}" | sort -t r -k 2 -n | head -n 1)
	for mode in $(printf '%s\n' "${rmodes[@]}" | sort -t r -k 2 -nr); do
		[ "$mode" = "$base" ] || pairs+=("$mode/$base")
	done
fi

nm=${#run[@]}
declare -A pps_of ns_of
for ((round = 1; round <= rounds; round++)); do
	for ((k = 0; k < nm; k++)); do
		mode=${run[$(((k + round - 1) % nm))]}
		setup_ms=0 teardown_ms=0
		bench_lab
		case $mode in
		mwan) mode_mwan_n 10 ;;
		mwan-r*) mode_mwan_n "${mode#mwan-r}" ;;
		nft) mode_nft_n 10 ;;
		nft-r*) mode_nft_n "${mode#nft-r}" ;;
		*) "mode_$mode" ;;
		esac
		for m in "${meas[@]}"; do
			run_once "$m" "$mode"
			read -r pps nspp w1 w2 <<< "$res"
			pps_of[$round/$m/$mode]=$pps
			ns_of[$round/$m/$mode]=$nspp
			results[$m/$mode]+="$pps $nspp $(awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.3f", b / (a + b) }')"$'\n'
			log "round $round $m $mode: pps $pps ns/pkt $nspp isp1 $w1 isp2 $w2"
			# 1:1 by flows: within 3 sigma of 1/2 for 1024 flows or more.
			if [ "$mode" != none ] && [ "$mode" != rules ] && [ "$mode" != sink ] && awk -v a="$w1" -v b="$w2" 'BEGIN { s = b / (a + b); exit !(s < 0.45 || s > 0.55) }'; then
				log "round $round $m $mode: split off 1:1: isp2 has $w2 of $((w1 + w2))"
			fi
		done
		case $mode in
		mwan) unmode_mwan_n 10 ;;
		mwan-r*) unmode_mwan_n "${mode#mwan-r}" ;;
		nft) unmode_nft_n 10 ;;
		nft-r*) unmode_nft_n "${mode#nft-r}" ;;
		*) "unmode_$mode" ;;
		esac
		[ "$setup_ms" = 0 ] || log "round $round $mode: setup $setup_ms ms, teardown $teardown_ms ms"
	done
	for m in "${meas[@]}"; do
		line=
		for p in "${pairs[@]}"; do
			a=${pps_of[$round/$m/${p%/*}]} b=${pps_of[$round/$m/${p#*/}]}
			ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')
			results[ratio/$m/$p]+="$ratio"$'\n'
			line+=" $p=$ratio"
			# The same pair by CPU 0's time per packet: B's over A's.
			a=${ns_of[$round/$m/${p%/*}]} b=${ns_of[$round/$m/${p#*/}]}
			ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }')
			results[cpu/$m/$p]+="$ratio"$'\n'
			line+=" cpu:$p=$ratio"
			# ... and by the router's own part of it: sink's taken off both.
			has sink || continue
			s=${ns_of[$round/$m/sink]}
			ratio=$(awk -v a="$a" -v b="$b" -v s="$s" 'BEGIN { printf "%.3f", (a > s ? (b - s) / (a - s) : 0) }')
			results[router/$m/$p]+="$ratio"$'\n'
			line+=" router:$p=$ratio"
		done
		[ -z "$line" ] || log "round $round $m ratios:$line"
	done
done

for m in "${meas[@]}"; do
	for mode in "${run[@]}"; do
		data=${results[$m/$mode]%$'\n'}
		read -r med lo hi <<< "$(bench_stats 1 <<< "$data")"
		read -r ns _ <<< "$(bench_stats 2 <<< "$data")"
		read -r share _ <<< "$(bench_stats 3 <<< "$data")"
		echo "bench measure=$m mode=$mode pps=$med min=$lo max=$hi ns_pkt=$ns wan2_share=$share runs=$rounds"
	done
	for p in "${pairs[@]}"; do
		read -r med lo hi <<< "$(bench_stats 1 <<< "${results[ratio/$m/$p]%$'\n'}")"
		echo "bench measure=$m ratio=$p median=$med min=$lo max=$hi rounds=$rounds"
		read -r med lo hi <<< "$(bench_stats 1 <<< "${results[cpu/$m/$p]%$'\n'}")"
		echo "bench measure=$m cpu_ratio=$p median=$med min=$lo max=$hi rounds=$rounds"
		has sink || continue
		read -r med lo hi <<< "$(bench_stats 1 <<< "${results[router/$m/$p]%$'\n'}")"
		echo "bench measure=$m router_ratio=$p median=$med min=$lo max=$hi rounds=$rounds"
	done
done
