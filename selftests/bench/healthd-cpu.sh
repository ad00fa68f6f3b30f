#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CPU cost of mwan-healthd, for `make bench BENCH=healthd-cpu`: 64 uplinks
# with 2 track addresses each, at the default settings (a probe per target
# every 100 ms: 1280 echo requests and replies a second), measured as the
# daemon's user + system CPU time over SECS seconds (from /proc/PID/stat),
# in percent of one CPU. Under QEMU/TCG every instruction costs many times
# what it costs on hardware: with -H, the host's time for the workload of
# scripts/cpuref.sh (make bench passes it), the guest times the same
# workload and the figure is also given scaled by that slowdown, as an
# estimate for the host (the daemon's work is mostly system calls, the
# workload's is not: an estimate, not a measurement).
#
#  router (mwan, mwan-healthd) h0..h63 --- r0..r63  resp
#    uplink uN: dev hN via 10.99.N.2 track 10.99.N.2,10.99.N.3
#
# usage: healthd-cpu.sh [ -t SECS ] [ -u UPLINKS ] [ -H HOST_MS ]
#   -t  seconds measured (60)        -u  uplinks (64)
#   -H  scripts/cpuref.sh's result on the host
# output: bench healthd uplinks=N targets=N secs=S cpu_pct=P probes_per_s=R
#         [ slowdown=X host_cpu_pct_est=P ]
. "$(dirname "$0")/../lib.sh"

secs=60
N=64
host_ms=
while getopts t:u:H:h opt; do
	case $opt in
	t) secs=$OPTARG ;;
	u) N=$OPTARG ;;
	H) host_ms=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/^output:/p' "$0"; exit 2 ;;
	esac
done
[ "$N" -ge 1 ] && [ "$N" -le 126 ] || fail "-u: 1 to 126 uplinks"

require_cmd jq mwanctl mwan-healthd
require_module veth

ns_add router resp
R=$(ns router)
tmp=$(mktemp -d)
defer rm -rf "$tmp"

for ((i = 0; i < N; i++)); do
	echo "link add h$i netns $R type veth peer name r$i netns $(ns resp)"
done | ip -batch -
for ((i = 0; i < N; i++)); do
	echo "addr add 10.99.$i.1/29 dev h$i"
	echo "link set h$i up"
done | ip -n "$R" -batch -
for ((i = 0; i < N; i++)); do
	echo "addr add 10.99.$i.2/29 dev r$i"
	echo "addr add 10.99.$i.3/29 dev r$i"
	echo "link set r$i up"
done | ip -n "$(ns resp)" -batch -
for ((i = 0; i < N; i++)); do
	echo "uplink add u$i dev h$i via 10.99.$i.2 track 10.99.$i.2,10.99.$i.3"
done | mwanctl -n "$R" -batch -

mwan-healthd -n "$R" -f > "$tmp/log" 2>&1 &
hd=$!
defer kill "$hd"
all_up()
{
	[ "$(mwanctl -n "$R" -j uplink show |
	     jq '[.[] | select(.health == "up")] | length')" = "$N" ]
}
wait_for -t 30 all_up

# CLK_TCK ticks of CPU (user + system): fields 14 and 15 of /proc/PID/stat.
cpu() { local a; read -ra a < "/proc/$hd/stat"; echo $((a[13] + a[14])); }
rx() { ip netns exec "$(ns resp)" awk '/^Icmp:/ && $2 ~ /^[0-9]+$/ { print $2 }' /proc/net/snmp; }
c0=$(cpu)
p0=$(rx)
t0=$EPOCHREALTIME
sleep "$secs"
c1=$(cpu)
p1=$(rx)
t1=$EPOCHREALTIME
all_up || fail "not every uplink stayed up: $(mwanctl -n "$R" uplink show)"
pct=$(awk -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v a="$t0" -v b="$t1" \
	'BEGIN { printf "%.2f", 100 * c / hz / (b - a) }')
line="bench healthd uplinks=$N targets=$((2 * N)) $(awk -v a="$t0" -v b="$t1" \
	-v p="$((p1 - p0))" 'BEGIN { printf "secs=%.1f", b - a }') cpu_pct=$pct"
line+=" probes_per_s=$(awk -v a="$t0" -v b="$t1" -v p="$((p1 - p0))" 'BEGIN { printf "%.0f", p / (b - a) }')"
if [ -n "$host_ms" ]; then
	kill "$hd"
	vm_ms=$("$(dirname "$0")/../../scripts/cpuref.sh")
	line+=" $(awk -v v="$vm_ms" -v h="$host_ms" -v p="$pct" 'BEGIN {
		printf "slowdown=%.1f host_cpu_pct_est=%.3f", v / h, p * h / v }')"
fi
echo "$line"
