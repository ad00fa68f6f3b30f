#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Config churn: "policy replace" (weights, metrics and last resort
# changing, both members always up), in batches of 1,000, over and over
# while traffic flows in IPv4 and IPv6, at least one whole batch inside
# the traffic (which lasts 15 s, more if TCG is slow): a UDP flow
# every 10 ms loses no datagram, TCP streams see no reset and no gap over
# 1 s, and every new flow started meanwhile succeeds (a policy seen
# half-replaced would send one to its last resort). The harness fails the
# run on an oops or warning.
#
#  client ---lan0 router(mwan) wan1 --- isp1 --- server
#                              wan2 --- isp2 ---
#
# check: two CPUs (it loads the CPU with churn and counts every datagram).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl

N=1000
TRAFFIC_S=15
lab_up
flow_uplinks
m policy add bal member wan1 member wan2 last-resort unreachable
m rule add pref 100 from 10.250.250.0/29 policy bal
m rule add pref 101 from fd00:250:250::/64 policy bal

batch=$LAB_TMP/churn
for ((i = 0; i < N; i++)); do
	case $((i % 4)) in
	0) echo "policy replace bal member wan1 weight 3 member wan2 last-resort blackhole" ;;
	1) echo "policy replace bal member wan2 weight 2 member wan1 metric 1 last-resort unreachable" ;;
	2) echo "policy replace bal member wan1 metric 2 member wan2 metric 2 weight 1000" ;;
	3) echo "policy replace bal member wan2 member wan1 weight 1 last-resort blackhole" ;;
	esac
done > "$batch"

declare -A pid
lab_bg "$LAB_TMP/uping4" "$LAB_C" uping -d "$LAB_SERVER4" -p 5001 -i 10 -c $((TRAFFIC_S * 100))
pid[uping4]=$LAB_BG_PID
lab_bg "$LAB_TMP/uping6" "$LAB_C" uping -d "$LAB_SERVER6" -p 5001 -i 10 -c $((TRAFFIC_S * 100))
pid[uping6]=$LAB_BG_PID
lab_bg "$LAB_TMP/stream4" "$LAB_C" stream -d "$LAB_SERVER4" -p 5002 -t "$TRAFFIC_S" -s 1000
pid[stream4]=$LAB_BG_PID
lab_bg "$LAB_TMP/stream6" "$LAB_C" stream -d "$LAB_SERVER6" -p 5002 -t "$TRAFFIC_S" -s 1000
pid[stream6]=$LAB_BG_PID

# NAME ARGS...: new flows, 40 at a time, until told to stop or one fails;
# the summaries in NAME.
flows_loop()
{
	local log=$LAB_TMP/$1

	shift
	while [ ! -e "$LAB_TMP/stop" ] &&
		lab_py "$LAB_C" flows -p "$LAB_PORTS" -n 40 -c 4 "$@" >> "$log"; do
		:
	done
}
stop_pid()
{
	kill "$1" 2> /dev/null || true
}
flows_loop flows4 -d "$LAB_SERVER4+32" &
pid[flows4]=$!
defer stop_pid "${pid[flows4]}"
flows_loop flows6 -d "$LAB_SERVER6+32" -u &
pid[flows6]=$!
defer stop_pid "${pid[flows6]}"

# Everything under way before the churn starts.
for f in uping4 uping6; do
	lab_wait_line "$LAB_TMP/$f" "# t="
done
for f in stream4 stream6; do
	wait_for -t 20 grep -q "^# streaming" "$LAB_TMP/$f"
done
for f in flows4 flows6; do
	wait_for -t 20 grep -q "^flows " "$LAB_TMP/$f"
done

# The churn, in the background until told to stop; each batch done
# writes the time it ended.
churn()
{
	while [ ! -e "$LAB_TMP/stop" ] && m -batch "$batch"; do
		echo "$EPOCHREALTIME" >> "$LAB_TMP/batches"
	done
}
churn &
churn=$!
defer stop_pid "$churn"
# The UDP flows end first; they stop sending 1 s before that at most.
wait "${pid[uping4]}" || true
t=$EPOCHREALTIME
touch "$LAB_TMP/stop"
wait "$churn" || true
inside=0
while read -r end; do
	if [ $((${end/./} / 1000)) -le $((${t/./} / 1000 - 1000)) ]; then
		inside=$((inside + 1))
	fi
done < <(cat "$LAB_TMP/batches" 2> /dev/null)
log "$inside batches of $N policy replace ended while the traffic flowed"
[ "$inside" -ge 1 ] || fail "no batch of $N policy replace ended while the traffic flowed"
for f in uping4 uping6 stream4 stream6; do
	wait "${pid[$f]}" || true
	out=$(tail -n 1 "$LAB_TMP/$f")
	log "$f: $out"
	case $f in
	uping*)
		check_eq "$(lab_field lost "$out")" 0 "$f datagrams lost"
		check_eq "$(lab_field recv "$out")" $((TRAFFIC_S * 100)) "$f datagrams answered"
		;;
	stream*)
		check_eq "$(lab_field resets "$out")/$(lab_field stalls "$out")" 0/0 "$f resets/stalls"
		;;
	esac
done
for f in flows4 flows6; do
	wait "${pid[$f]}" || true
	ok=0
	while read -r out; do
		check_eq "$(lab_field fail "$out")" 0 "new flows that failed ($out)"
		ok=$((ok + $(lab_field ok "$out")))
	done < "$LAB_TMP/$f"
	log "$f: $ok new flows, none failed"
done
exit 0
