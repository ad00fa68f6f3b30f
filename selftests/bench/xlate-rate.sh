#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Forwarding rate through the lab's router with stateless translation, for
# `make bench BENCH=xlate`, mode against mode, interleaved in one run:
#   none6, none4  plain routing (conntrack and masquerade, no translation)
#   ip6t      ip6t_NPT: SNPT on wan1 for the LAN's /64 (the kernel's)
#   npt       mwan's npt: the same mapping on uplink wan1
#   npt10k    the same among 10,000 NPT mappings on wan1
#   nat       mwan's nat: the client's address 1:1 on wan1
#   nat10k    the same among 10,000 NAT mappings on wan1
#
# pktgen in the client sends 64-byte (IPv4) or 84-byte (IPv6) UDP frames of
# FLOWS flows at full speed towards the server; isp1 counts and drops them
# at its ingress, so the rate is what the router forwarded (and
# translated: each carrier counts only packets from the expected source,
# so an untranslated packet does not count). pktgen runs on CPU 1, RPS
# hands the router's LAN input to CPU 0, which forwards and nothing else.
# With one CPU (selftests/vm/run -c 1 -i SHIFT, counting instructions, as
# make bench runs it), all of it runs on CPU 0, ns/pkt is the whole time
# per packet (all of it busy) and the ratios cost the whole path, pktgen
# included: the same in every mode, so they understate a difference.
# The IPv6 modes (none6, ip6t, npt, npt10k) and the IPv4 ones (none4, nat,
# nat10k) send their family. Each round runs every mode once, the order
# rotated by one each round; ratios are taken within a round, then the
# median over rounds with its spread (min, max).
#
# usage: xlate-rate.sh [ -t SECS ] [ -w WARM ] [ -f FLOWS ] [ -r ROUNDS ] [ MODE... ]
#   -t  seconds counted per run (2)    -w  warm-up seconds (1)
#   -f  flows (256)                    -r  rounds (10; 3 with one CPU)
#   MODE  none6, ip6t, npt, npt10k, none4, nat, nat10k (default: all)
# output: "# ..." progress lines, then
#   bench mode=X pps=MEDIAN min=N max=N ns_pkt=MEDIAN runs=N
#   bench ratio=A/B median=R min=R max=R rounds=N
#   for npt/ip6t (goal >= 1), npt10k/npt and nat10k/nat (goal >= 0.9),
#   npt/none6 and nat/none4 (the cost of translating).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lab.sh"

secs=2
warm=1
flows=256
rounds=
while getopts t:w:f:r:h opt; do
	case $opt in
	t) secs=$OPTARG ;;
	w) warm=$OPTARG ;;
	f) flows=$OPTARG ;;
	r) rounds=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/the cost of translating).$/p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
modes=("$@")
[ $# -gt 0 ] || modes=(none6 ip6t npt npt10k none4 nat nat10k)
N=10000
INSIDE6=fd00:250:250::/64
OUTSIDE6=2001:db8:a1::/64
SRC6=fd00:250:250::2
OUT6=$(python3 "$(dirname "$0")/../lab/xlate.py" npt -m "$INSIDE6=$OUTSIDE6" "$SRC6")
OUT4=100.64.11.2

require_cmd nft conntrack taskset ip6tables
require_module pktgen
# pktgen's CPU: 1, with RPS handing the router's LAN input to CPU 0; with
# a single CPU, the same one. Counting instructions (one CPU), three
# rounds show the spread, which is a few tenths of a percent.
pgcpu=1
[ "$(nproc)" -ge 2 ] || pgcpu=0
[ -n "$rounds" ] || rounds=$((pgcpu ? 10 : 3))
[ -d /sys/module/mwan ] || skip "mwan.ko not loaded"
mwanctl npt help > /dev/null 2>&1 || skip "mwanctl has no npt"

lab_up -S -N
sysctl -qw net.netfilter.nf_conntrack_max=262144
mwanctl -n "$LAB_R" uplink add wan1 dev wan1 via "$LAB_GW1" via "$LAB_GW1_6"

# isp1 counts the benchmark's packets by their source as they arrive, and
# drops them: what is counted was forwarded and translated as the mode says.
i1 nft -f - <<EOF
table netdev bench {
	counter plain4 { }
	counter xlat4 { }
	counter plain6 { }
	counter xlat6 { }
	chain in {
		type filter hook ingress device "cust0" priority -500; policy accept;
		ip saddr 100.64.1.2 udp dport 9 counter name plain4 drop
		ip saddr $OUT4 udp dport 9 counter name xlat4 drop
		ip6 saddr 2001:db8:1::2 udp dport 9 counter name plain6 drop
		ip6 saddr $OUT6 udp dport 9 counter name xlat6 drop
		udp dport 9 drop
	}
}
EOF
if [ "$pgcpu" = 1 ]; then
	r sh -c 'echo 1 > /sys/class/net/lan0/queues/rx-0/rps_cpus'
	taskset -pc 1 $$ > /dev/null
fi
lan_mac=$(r cat /sys/class/net/lan0/address)

# The filler mappings: none of them matches the benchmark's packets.
fillers()
{
	python3 - "$1" "$2" <<'EOF'
import sys
kind, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    if kind == "npt":
        print("npt add uplink wan1 inside fd01:%x:%x::/64 outside 2001:db9:%x:%x::/64" %
              (i >> 8, i & 255, i >> 8, i & 255))
    else:
        print("nat add uplink wan1 inside 10.100.%d.%d outside 100.100.%d.%d" %
              (i >> 8, i & 255, i >> 8, i & 255))
EOF
}
fillers npt $((N - 1)) > "$LAB_TMP/npt-fill"
fillers nat $((N - 1)) > "$LAB_TMP/nat-fill"
sed 's/ outside .*//; s/ add / del /' "$LAB_TMP/npt-fill" > "$LAB_TMP/npt-unfill"
sed 's/ outside .*//; s/ add / del /' "$LAB_TMP/nat-fill" > "$LAB_TMP/nat-unfill"

mw() { mwanctl -n "$LAB_R" "$@"; }
mode_none6() { :; }
unmode_none6() { :; }
mode_none4() { :; }
unmode_none4() { :; }
# ip6t_NPT runs in mangle, before NAT: the masquerade must skip what it
# translated (mwan makes that exemption itself).
mode_ip6t()
{
	r ip6tables -t mangle -A POSTROUTING -o wan1 -s $INSIDE6 -j SNPT --src-pfx $INSIDE6 --dst-pfx $OUTSIDE6
	r nft insert rule inet nat postrouting ip6 saddr $OUTSIDE6 return
}
unmode_ip6t()
{
	r ip6tables -t mangle -F POSTROUTING
	r nft flush chain inet nat postrouting
	r nft add rule inet nat postrouting oifname '{ "wan1", "wan2" }' masquerade
}
mode_npt() { mw npt add uplink wan1 inside $INSIDE6 outside $OUTSIDE6; }
unmode_npt() { mw npt del uplink wan1 inside $INSIDE6; }
mode_npt10k() { mw -batch "$LAB_TMP/npt-fill"; mode_npt; }
unmode_npt10k() { unmode_npt; mw -batch "$LAB_TMP/npt-unfill"; }
mode_nat() { mw nat add uplink wan1 inside "$LAB_CLIENT4" outside $OUT4; }
unmode_nat() { mw nat del uplink wan1 inside "$LAB_CLIENT4"; }
mode_nat10k() { mw -batch "$LAB_TMP/nat-fill"; mode_nat; }
unmode_nat10k() { unmode_nat; mw -batch "$LAB_TMP/nat-unfill"; }

ip netns exec "$LAB_I1" sleep infinity &
park=$!
defer kill "$park"

# "CPU0_BUSY RX": CPU 0's busy ticks and the packets isp1's cust0 received,
# in one read (an nft call takes too long under TCG to time a window).
snap()
{
	awk 'FILENAME == "/proc/stat" && $1 == "cpu0" { busy = $2 + $3 + $4 + $7 + $8 }
	     FILENAME != "/proc/stat" && /cust0:/ { sub(/.*:/, ""); rx = $2 }
	     END { print busy, rx }' /proc/stat "/proc/$park/net/dev"
}

count()
{
	i1 nft list counter netdev bench "$1" | awk '/packets/ { print $2 }'
}

# One run of mode $1. Sets res="PPS NS_PER_PKT".
run_once()
{
	local mode=$1 pg=/proc/net/pktgen counter c0 c1 a b t0 t1 us fwd ns pgjob n0 n1 r0 r1
	local cfg=('count 0' 'clone_skb 0' 'delay 0' "dst_mac $lan_mac"
		'udp_dst_min 9' 'udp_dst_max 9' 'udp_src_min 1024'
		"udp_src_max $((1024 + flows - 1))" 'flag UDPSRC_RND')

	case $mode in
	none6|ip6t|npt*)
		cfg+=('pkt_size 80' "src6 $SRC6" "dst6 $LAB_SERVER6")
		counter=xlat6
		[ "$mode" = none6 ] && counter=plain6 ;;
	*)
		cfg+=('pkt_size 60' "src_min $LAB_CLIENT4" "src_max $LAB_CLIENT4" "dst $LAB_SERVER4")
		counter=xlat4
		[ "$mode" = none4 ] && counter=plain4 ;;
	esac
	# shellcheck disable=SC2016
	c bash -c '
	pg=$1 cpu=$2; shift 2
	for t in $pg/kpktgend_*; do
		echo rem_device_all > $t
	done
	# The threads let go of the device in their own time (busy till then).
	for i in $(seq 50); do
		echo add_device eth0 2> /dev/null > $pg/kpktgend_$cpu && break
		sleep 0.1
	done
	for cmd; do
		echo "$cmd" > $pg/eth0
	done' - "$pg" "$pgcpu" "${cfg[@]}"
	n0=$(count $counter)
	read -r _ r0 <<< "$(snap)"
	c sh -c "echo start > $pg/pgctrl" &
	pgjob=$!
	sleep "$warm"
	t0=$EPOCHREALTIME
	read -r c0 a <<< "$(snap)"
	sleep "$secs"
	t1=$EPOCHREALTIME
	read -r c1 b <<< "$(snap)"
	c sh -c "echo stop > $pg/pgctrl"
	wait "$pgjob"
	sleep 0.2
	read -r _ r1 <<< "$(snap)"
	n1=$(count $counter)
	us=$((${t1/./} - ${t0/./}))
	fwd=$((b - a))
	[ "$fwd" -gt 0 ] || fail "nothing forwarded ($mode)"
	# Everything isp1 received in the run had the mode's source address.
	[ $((n1 - n0)) -ge $(((r1 - r0) * 99 / 100)) ] ||
		fail "$mode: only $((n1 - n0)) of $((r1 - r0)) packets had the expected source ($counter)"
	# ticks are 1/100 s; with one CPU, busy all along, the whole time.
	if [ "$pgcpu" = 0 ]; then
		ns=$((us * 1000 / fwd))
	else
		ns=$(((c1 - c0) * 10000000 / fwd))
	fi
	res="$((fwd * 1000000 / us)) $ns"
	r conntrack -F 2> /dev/null || true
}

for mode in "${modes[@]}"; do
	declare -F "mode_$mode" > /dev/null || fail "no mode '$mode'"
done
pairs=()
has() { [[ " ${modes[*]} " == *" $1 "* ]]; }
for p in npt/ip6t npt10k/npt nat10k/nat npt/none6 nat/none4 ip6t/none6; do
	has "${p%/*}" && has "${p#*/}" && pairs+=("$p")
done
log "modes: ${modes[*]}; rounds $rounds, $secs s per run (+$warm s warm-up), $flows flows"

declare -A results pps_of
nm=${#modes[@]}
for ((round = 1; round <= rounds; round++)); do
	for ((k = 0; k < nm; k++)); do
		mode=${modes[$(((k + round - 1) % nm))]}
		"mode_$mode"
		# Let deferred work of the setup (hash table resizes) finish.
		sleep 1
		run_once "$mode"
		read -r pps nspp <<< "$res"
		pps_of[$round/$mode]=$pps
		results[$mode]+="$pps $nspp"$'\n'
		log "round $round $mode: pps $pps ns/pkt $nspp"
		"unmode_$mode"
	done
	line=
	for p in "${pairs[@]}"; do
		ratio=$(awk -v a="${pps_of[$round/${p%/*}]}" -v b="${pps_of[$round/${p#*/}]}" 'BEGIN { printf "%.3f", a / b }')
		results[ratio/$p]+="$ratio"$'\n'
		line+=" $p=$ratio"
	done
	[ -z "$line" ] || log "round $round ratios:$line"
done

for mode in "${modes[@]}"; do
	read -r med lo hi <<< "$(bench_stats 1 <<< "${results[$mode]%$'\n'}")"
	read -r ns _ <<< "$(bench_stats 2 <<< "${results[$mode]%$'\n'}")"
	echo "bench mode=$mode pps=$med min=$lo max=$hi ns_pkt=$ns runs=$rounds"
done
for p in "${pairs[@]}"; do
	read -r med lo hi <<< "$(bench_stats 1 <<< "${results[ratio/$p]%$'\n'}")"
	echo "bench ratio=$p median=$med min=$lo max=$hi rounds=$rounds"
done
