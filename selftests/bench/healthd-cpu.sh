#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CPU cost of mwan-healthd, for `make bench BENCH=healthd-cpu`: 64 uplinks
# with 2 track addresses each, at the default settings (a probe per target
# every 100 ms: 1280 echo requests and replies a second).
#
# The router's side only: the daemon runs on CPU 0, this script and the
# responders on CPU 1. The veths' receive is steered with RPS: the echo
# requests arriving at the responders (rN) are handled on CPU 1, the replies
# arriving at the router (hN) on CPU 0, as on a real router whose targets
# are other machines. Without that, the responder's kernel work (receive the
# request, build and send the reply) runs in the softirq of the daemon's own
# send and is charged to it. Two figures, in percent of one CPU:
#   cpu_pct   CPU 0's busy time (/proc/stat: user, system, irq, softirq)
#             during the run, less its busy time over as long a time
#             before the daemon started: the daemon and the receive of its
#             replies;
#   task_pct  the daemon's own user + system time (/proc/PID/stat).
#   run_pct   the daemon's time on a CPU as the scheduler measured it
#             (/proc/PID/schedstat), not sampled at ticks as the others.
# Under QEMU/TCG every instruction costs many times what it costs on
# hardware. make bench times two fixed workloads on the host and passes
# their times; the guest times them too, and cpu_pct is also given scaled
# by each slowdown, as estimates for the host:
#   -H  scripts/cpuref.sh, SHA-256 in user space (slowdown, host_cpu_pct_est);
#   -N  scripts/netref.sh, ICMP echo round trips over veth, the kind of work
#       the daemon's time goes to (net_slowdown, host_cpu_pct_net_est).
#
#  router (mwan, mwan-healthd) h0..h63 --- r0..r63  resp
#    uplink uN: dev hN via 10.99.N.2 track 10.99.N.2,10.99.N.3
#
# With -A, two builds side by side instead: ROUNDS rounds, each running
# the mwan-healthd on PATH and then OTHER (another build of it, say the
# previous commit's, under this checkout so that the guest sees it) for
# SECS each, the order swapped every round; the ratio of their run_pct is
# taken within each round.
#
# usage: healthd-cpu.sh [ -t SECS ] [ -u UPLINKS ] [ -H HOST_MS ] [ -N HOST_MS ] [ -A OTHER [ -r ROUNDS ] ]
#   -t  seconds measured (60; with -A, per daemon and round)
#   -u  uplinks (64)
#   -H  scripts/cpuref.sh's result on the host
#   -N  scripts/netref.sh's result on the host
#   -A  another mwan-healthd binary to compare with
#   -r  rounds of the comparison (10)
# output: bench healthd uplinks=N targets=N secs=S probes_per_s=R cpu_pct=P
#         task_pct=P idle_cpu0_pct=P run_pct=P [ slowdown=X host_cpu_pct_est=P ]
#         [ net_slowdown=X host_cpu_pct_net_est=P ]
#   with -A: "# round ..." lines, then
#         bench healthd-ab uplinks=N secs=S this_run_pct=MEDIAN other_run_pct=MEDIAN
#               ratio=other/this median=R min=R max=R rounds=N
#         (ratio above 1: the daemon on PATH is the cheaper)
. "$(dirname "$0")/../lib.sh"

secs=60
N=64
host_ms=
host_net_ms=
other=
rounds=10
while getopts t:u:H:N:A:r:h opt; do
	case $opt in
	t) secs=$OPTARG ;;
	u) N=$OPTARG ;;
	H) host_ms=$OPTARG ;;
	N) host_net_ms=$OPTARG ;;
	A) other=$OPTARG ;;
	r) rounds=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/^output:/p' "$0"; exit 2 ;;
	esac
done
[ "$N" -ge 1 ] && [ "$N" -le 126 ] || fail "-u: 1 to 126 uplinks"
[ -z "$other" ] || [ -x "$other" ] || fail "-A: \"$other\" is not an executable"

require_cmd jq mwanctl mwan-healthd taskset
require_module veth
[ "$(nproc)" -ge 2 ] || fail "needs two CPUs (selftests/vm/run -c 2)"
# This script, and what it starts but the daemon, on CPU 1.
taskset -cp 1 $$ > /dev/null

ns_add router resp
R=$(ns router)
tmp=$(mktemp -d)
defer rm -rf "$tmp"

uplink_fan "$N" "$R" "$(ns resp)"
for ((i = 0; i < N; i++)); do
	echo "uplink add u$i dev h$i via 10.99.$i.2 track 10.99.$i.2,10.99.$i.3"
done | mwanctl -n "$R" -batch -
# Requests are received (and answered) on CPU 1, replies on CPU 0.
ip netns exec "$(ns resp)" sh -c "for q in /sys/class/net/r*/queues/rx-0; do echo 2 > \$q/rps_cpus; done"
ip netns exec "$R" sh -c "for q in /sys/class/net/h*/queues/rx-0; do echo 1 > \$q/rps_cpus; done"

all_up()
{
	[ "$(mwanctl -n "$R" -j uplink show |
	     jq '[.[] | select(.health == "up")] | length')" = "$N" ]
}

# BINARY: its run_pct over secs in $pct, once every uplink is up (then stopped).
run_pct_of()
{
	local bin=$1 pid a b t0 t1

	taskset -c 0 "$bin" -n "$R" -f > "$tmp/log" 2>&1 &
	pid=$!
	wait_for -t 30 all_up || { kill "$pid"; fail "$bin: not every uplink came up"; }
	read -ra a < "/proc/$pid/schedstat"
	t0=$EPOCHREALTIME
	sleep "$secs"
	read -ra b < "/proc/$pid/schedstat"
	t1=$EPOCHREALTIME
	kill "$pid"
	wait "$pid" 2> /dev/null
	all_up || fail "$bin: not every uplink stayed up"
	# The next daemon starts from the state this one left: all up, no transition.
	pct=$(awk -v n="$((b[0] - a[0]))" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", n / 1e7 / (b - a) }')
}

if [ -n "$other" ]; then
	this=$(command -v mwan-healthd)
	ratios=() these=() others=()
	for ((r = 0; r < rounds; r++)); do
		if ((r % 2)); then
			run_pct_of "$other"; o=$pct
			run_pct_of "$this"; t=$pct
		else
			run_pct_of "$this"; t=$pct
			run_pct_of "$other"; o=$pct
		fi
		ratio=$(awk -v o="$o" -v t="$t" 'BEGIN { printf "%.3f", o / t }')
		echo "# round $((r + 1)): this run_pct=$t other run_pct=$o other/this=$ratio"
		these+=("$t") others+=("$o") ratios+=("$ratio")
	done
	read -r t_med _ <<< "$(printf '%s\n' "${these[@]}" | bench_stats 1)"
	read -r o_med _ <<< "$(printf '%s\n' "${others[@]}" | bench_stats 1)"
	read -r med lo hi <<< "$(printf '%s\n' "${ratios[@]}" | bench_stats 1)"
	echo "bench healthd-ab uplinks=$N secs=$secs this_run_pct=$t_med other_run_pct=$o_med" \
	     "ratio=other/this median=$med min=$lo max=$hi rounds=$rounds"
	exit 0
fi

# Ticks CPU 0 was busy: user nice system irq softirq steal in /proc/stat.
busy0() { awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
b0=$(busy0)
t0=$EPOCHREALTIME
sleep "$secs"
idle_ticks=$(($(busy0) - b0))
idle_secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')

taskset -c 0 mwan-healthd -n "$R" -f > "$tmp/log" 2>&1 &
hd=$!
defer kill "$hd"
wait_for -t 30 all_up

# CLK_TCK ticks of CPU (user + system): fields 14 and 15 of /proc/PID/stat.
cpu() { local a; read -ra a < "/proc/$hd/stat"; echo $((a[13] + a[14])); }
# Nanoseconds on a CPU, measured by the scheduler rather than sampled at
# ticks: the first field of /proc/PID/schedstat.
run_ns() { local a; read -ra a < "/proc/$hd/schedstat"; echo "${a[0]}"; }
rx() { ip netns exec "$(ns resp)" awk '/^Icmp:/ && $2 ~ /^[0-9]+$/ { print $2 }' /proc/net/snmp; }
c0=$(cpu)
n0=$(run_ns)
p0=$(rx)
b0=$(busy0)
t0=$EPOCHREALTIME
sleep "$secs"
c1=$(cpu)
n1=$(run_ns)
p1=$(rx)
b1=$(busy0)
t1=$EPOCHREALTIME
all_up || fail "not every uplink stayed up: $(mwanctl -n "$R" uplink show)"
hz=$(getconf CLK_TCK)
pct() { awk -v t="$1" -v s="$2" -v hz="$hz" 'BEGIN { printf "%.2f", 100 * t / hz / s }'; }
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
idle_pct=$(pct "$idle_ticks" "$idle_secs")
busy_pct=$(pct "$((b1 - b0))" "$secs")
cpu_pct=$(awk -v b="$busy_pct" -v i="$idle_pct" 'BEGIN { d = b - i; printf "%.2f", (d > 0 ? d : 0) }')
line="bench healthd uplinks=$N targets=$((2 * N)) $(awk -v s="$secs" 'BEGIN { printf "secs=%.1f", s }')"
line+=" probes_per_s=$(awk -v s="$secs" -v p="$((p1 - p0))" 'BEGIN { printf "%.0f", p / s }')"
line+=" cpu_pct=$cpu_pct task_pct=$(pct "$((c1 - c0))" "$secs") idle_cpu0_pct=$idle_pct"
line+=" run_pct=$(awk -v n="$((n1 - n0))" -v s="$secs" 'BEGIN { printf "%.2f", n / 1e7 / s }')"
[ -n "$host_ms$host_net_ms" ] && kill "$hd"
if [ -n "$host_ms" ]; then
	vm_ms=$("$(dirname "$0")/../../scripts/cpuref.sh")
	line+=" $(awk -v v="$vm_ms" -v h="$host_ms" -v p="$cpu_pct" 'BEGIN {
		printf "slowdown=%.1f host_cpu_pct_est=%.3f", v / h, p * h / v }')"
fi
if [ -n "$host_net_ms" ]; then
	vm_ms=$("$(dirname "$0")/../../scripts/netref.sh")
	line+=" $(awk -v v="$vm_ms" -v h="$host_net_ms" -v p="$cpu_pct" 'BEGIN {
		printf "net_slowdown=%.1f host_cpu_pct_net_est=%.3f", v / h, p * h / v }')"
fi
echo "$line"
