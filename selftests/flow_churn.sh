#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Config churn: 1,000 "policy replace" (weights, metrics and last resort
# changing, both members always up) while traffic flows, in IPv4 and IPv6:
# a UDP flow every 10 ms loses no datagram, TCP streams see no reset and
# no gap over 1 s, and every new flow started meanwhile succeeds (a policy
# seen half-replaced would send one to its last resort). The harness fails
# the run on an oops or warning.
#
#  client ---lan0 router(mwan) wan1 --- isp1 --- server
#                              wan2 --- isp2 ---
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"

require_cmd nft jq python3 mwanctl

N=1000
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

# Alone first: how long N replaces take, so that the traffic outlasts them.
t0=$EPOCHREALTIME
m -batch "$batch"
t1=$EPOCHREALTIME
ms=$(((${t1/./} - ${t0/./}) / 1000))
log "$N policy replace in $ms ms"
secs=$((ms * 2 / 1000 + 4))

lab_bg "$LAB_TMP/uping4" "$LAB_C" uping -d "$LAB_SERVER4" -p 5001 -i 10 -c $((secs * 100))
uping4=$LAB_BG_PID
lab_bg "$LAB_TMP/uping6" "$LAB_C" uping -d "$LAB_SERVER6" -p 5001 -i 10 -c $((secs * 100))
uping6=$LAB_BG_PID
lab_bg "$LAB_TMP/stream4" "$LAB_C" stream -d "$LAB_SERVER4" -p 5002 -t "$secs" -s 1000
stream4=$LAB_BG_PID
lab_bg "$LAB_TMP/stream6" "$LAB_C" stream -d "$LAB_SERVER6" -p 5002 -t "$secs" -s 1000
stream6=$LAB_BG_PID
for f in uping4 uping6; do
	lab_wait_line "$LAB_TMP/$f" "# t="
done
for f in stream4 stream6; do
	wait_for -t 20 grep -q "^# streaming" "$LAB_TMP/$f"
done
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
flows_loop flows4 -d "$LAB_SERVER4+32" &
flows4=$!
defer kill "$flows4"
flows_loop flows6 -d "$LAB_SERVER6+32" -u &
flows6=$!
defer kill "$flows6"

m -batch "$batch"
log "$N policy replace done under traffic"
for pid in "$uping4" "$uping6" "$stream4" "$stream6" "$flows4" "$flows6"; do
	kill -0 "$pid" 2> /dev/null || fail "traffic ended before the churn did"
done
touch "$LAB_TMP/stop"
for f in uping4 uping6 stream4 stream6; do
	wait "${!f}" || true
	out=$(tail -n 1 "$LAB_TMP/$f")
	log "$f: $out"
	case $f in
	uping*)
		check_eq "$(lab_field lost "$out")" 0 "$f datagrams lost"
		[ "$(lab_field recv "$out")" -gt 0 ] || fail "$f: nothing came back"
		;;
	stream*)
		check_eq "$(lab_field resets "$out")/$(lab_field stalls "$out")" 0/0 "$f resets/stalls"
		;;
	esac
done
for f in flows4 flows6; do
	wait "${!f}" || true
done
for f in flows4 flows6; do
	ok=0
	while read -r out; do
		check_eq "$(lab_field fail "$out")" 0 "new flows that failed ($out)"
		ok=$((ok + $(lab_field ok "$out")))
	done < "$LAB_TMP/$f"
	log "$f: $ok new flows during the churn, none failed"
	[ "$ok" -gt 0 ] || fail "no new flow $f during the churn"
done
exit 0
