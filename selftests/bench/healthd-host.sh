#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CPU cost of mwan-healthd's probing on this machine's own CPU, not an
# emulated one, for `make bench BENCH=healthd-host`: runs on the host, as
# root, with no VM and no mwan module. healthd-probe-bench is mwan-healthd's
# probing (the same uplinks.c, probe.c and verdict.c) with the uplinks given
# on stdin and the writes to the kernel counted instead of sent (see
# tools/healthd/probe_bench.c). The setup is healthd-cpu.sh's, 64 uplinks
# with 2 track addresses each at the default settings, with what mwanctl
# and mwan.ko would add on the router made by hand:
#   - per uplink, mwan's mark (index << 16 under 0x00ff0000), the table of
#     its default route and the "ip rule fwmark" that leads to it;
#   - conntrack on (mwan.ko takes it for the namespace), through an nft
#     table with a ct rule on the router's input and output hooks.
# What is missing is mwan.ko's own hook on the probes and replies: about
# 200 instructions a packet by fwd-rate's count, some 0.5 million a second
# for the 2,560 packets a second here.
#
# The harness runs on CPU 0; this script and the responders on CPU 1, with
# RPS as in healthd-cpu.sh: the requests are received and answered on CPU
# 1, the replies received on CPU 0. Two figures per round, in percent of
# one CPU:
#   run_pct   the harness's time on a CPU as the scheduler measured it
#             (/proc/PID/schedstat): its sends and the replies' receive
#             when it ran in the harness's context (most of it: the
#             softirq runs as the harness's system calls end);
#   tick_pct  CPU 0's busy time (/proc/stat) with the harness, less over
#             SECS before it: sampled at ticks, so a wake-up that ends
#             between two ticks is missed; on a tickless guest it reads
#             from 0 to double run_pct, and says little.
#
#  router h0..h63 --- r0..r63 resp
#    uplink uN: dev hN via 10.99.N.2 track 10.99.N.2,10.99.N.3
#
# usage: healthd-host.sh [ -t SECS ] [ -r ROUNDS ] [ -u UPLINKS ]
#   -t  seconds per measurement (20)   -r  rounds (5)   -u  uplinks (64)
# output: "# round ..." lines, then
#   bench healthd-host uplinks=N targets=N secs=S rounds=R probes_per_s=P
#         run_pct=MEDIAN min=P max=P tick_pct=MEDIAN kernel=UNAME
. "$(dirname "$0")/../lib.sh"

secs=20
rounds=5
N=64
while getopts t:r:u:h opt; do
	case $opt in
	t) secs=$OPTARG ;;
	r) rounds=$OPTARG ;;
	u) N=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/^output:/p' "$0"; exit 2 ;;
	esac
done
[ "$N" -ge 1 ] && [ "$N" -le 126 ] || fail "-u: 1 to 126 uplinks"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
top=$(cd "$(dirname "$0")/../.." && pwd -P)
bench=${PROBE_BENCH:-$top/build/bin/healthd-probe-bench}
[ -x "$bench" ] || fail "$bench missing (make tools)"
require_cmd ip nft taskset
[ "$(nproc)" -ge 2 ] || skip "needs two CPUs (the harness on one, the responders on the other)"
taskset -cp 1 $$ > /dev/null

ns_add router resp
R=$(ns router)
S=$(ns resp)
tmp=$(mktemp -d)
defer rm -rf "$tmp"

uplink_fan "$N" "$R" "$S"
# What mwanctl uplink add would: a table with the default route, and the rule.
for ((i = 0; i < N; i++)); do
	t=$((1001 + i))
	echo "route add default via 10.99.$i.2 dev h$i table $t"
	echo "rule add pref $t fwmark $(((i + 1) << 16))/0xff0000 lookup $t"
done | ip -n "$R" -batch -
ip netns exec "$R" nft -f - <<-EOF
table inet conntrack {
	chain in  { type filter hook input priority 0; ct state invalid counter; }
	chain out { type filter hook output priority 0; ct state invalid counter; }
}
EOF
ip netns exec "$S" sh -c "for q in /sys/class/net/r*/queues/rx-0; do echo 2 > \$q/rps_cpus; done"
ip netns exec "$R" sh -c "for q in /sys/class/net/h*/queues/rx-0; do echo 1 > \$q/rps_cpus; done"
for ((i = 0; i < N; i++)); do
	echo "u$i h$i $(((i + 1) << 16)) 10.99.$i.2,10.99.$i.3"
done > "$tmp/uplinks"

# Ticks CPU 0 was busy: user nice system irq softirq steal in /proc/stat.
busy0() { awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
echos() { ip netns exec "$S" awk '/^Icmp:/ && $2 ~ /^[0-9]+$/ { print $2 }' /proc/net/snmp; }
hz=$(getconf CLK_TCK)
# "PCT SECS" of CPU 0 busy over SECS seconds from now.
busy_over()
{
	local b0 t0 b1 t1

	b0=$(busy0) t0=$EPOCHREALTIME
	sleep "$secs"
	b1=$(busy0) t1=$EPOCHREALTIME
	awk -v d="$((b1 - b0))" -v hz="$hz" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.3f %.3f", 100 * d / hz / (b - a), b - a }'
}

results=
for ((r = 1; r <= rounds; r++)); do
	read -r idle _ <<< "$(busy_over)"
	taskset -c 0 ip netns exec "$R" "$bench" < "$tmp/uplinks" > "$tmp/out" 2> "$tmp/log" &
	pid=$!
	up() { grep -q '^all ' "$tmp/out"; }
	wait_for -t 30 up || { kill "$pid"; cat "$tmp/log"; fail "not every uplink came up"; }
	read -ra a < "/proc/$pid/schedstat"
	e0=$(echos)
	read -r busy s <<< "$(busy_over)"
	e1=$(echos)
	read -ra b < "/proc/$pid/schedstat"
	kill "$pid"
	wait "$pid" || fail "the harness failed: $(cat "$tmp/log")"
	read -r _ nup wr _ <<< "$(tail -n 1 "$tmp/out" | tr '=' ' ' | awk '{ print $2, $4, $6, $8 }')"
	[ "$nup" = "$N" ] || fail "round $r: $nup of $N uplinks up at the end"
	read -r pct run pps <<< "$(awk -v b="$busy" -v i="$idle" -v s="$s" -v n="$((b[0] - a[0]))" \
		-v e="$((e1 - e0))" 'BEGIN { d = b - i; printf "%.3f %.3f %.0f", (d > 0 ? d : 0), n / 1e7 / s, e / s }')"
	log "round $r: run_pct $run; CPU 0 busy $busy%, idle before $idle%: tick_pct $pct; $pps echo requests/s, $wr writes owed to the kernel in all"
	results+="$run $pct $pps"$'\n'
done
read -r med lo hi <<< "$(bench_stats 1 <<< "${results%$'\n'}")"
read -r tick _ <<< "$(bench_stats 2 <<< "${results%$'\n'}")"
read -r pps _ <<< "$(bench_stats 3 <<< "${results%$'\n'}")"
echo "bench healthd-host uplinks=$N targets=$((2 * N)) secs=$secs rounds=$rounds probes_per_s=$pps" \
     "run_pct=$med min=$lo max=$hi tick_pct=$tick kernel=$(uname -r)"
