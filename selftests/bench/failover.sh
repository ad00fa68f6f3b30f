#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Failover time with mwan-healthd, for `make bench BENCH=failover`: the
# time from the moment wan1's far side starts dropping everything (carrier
# up) until wan1 is marked down and new flows from the LAN succeed again,
# ten in a row (the later of the two: with a 1:1 split, ten in a row can
# also happen by luck while wan1 still gets half of the flows), with mwan's default probe settings and, side by side in the same
# lab and the same run, with mwan3's defaults reproduced (interval 10 s,
# timeout 4 s, down 5, up 5). Trials alternate between the two settings.
#
#  client --- router(mwan, mwan-healthd) wan1 --- isp1 (cut here) --- server
#                                        wan2 --- isp2 ------------
#
# usage: failover.sh [ -n TRIALS ] [ -M TRIALS ]
#   -n  trials with mwan's defaults (20)
#   -M  trials with mwan3's defaults (20; each takes about a minute)
# output: "# ..." one line per trial, then
#   bench failover settings=S trials=N min=S median=S max=S
#   bench failover ratio=mwan3/mwan median=R
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lab.sh"
. "$(dirname "$0")/../lab/flow.sh"
. "$(dirname "$0")/../lab/healthd.sh"

n_mwan=20
n_mwan3=20
while getopts n:M:h opt; do
	case $opt in
	n) n_mwan=$OPTARG ;;
	M) n_mwan3=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; /^usage:/,/^  bench failover ratio/p' "$0"; exit 2 ;;
	esac
done

require_cmd nft jq python3 mwanctl mwan-healthd

lab_up
flow_uplinks
m policy add bal member wan1 member wan2
m rule add pref 20 from 10.250.250.0/29 policy bal
healthd_watch "$LAB_TMP/events"
cutter_start wan1
healthd_start
wait_for -t 10 health_is wan1 up
wait_for -t 10 health_is wan2 up

# SETTINGS: mwanctl's probe options for wan1 under that name.
settings()
{
	case $1 in
	mwan) echo "interval 100 timeout 250 down 5 up 10" ;;
	mwan3) echo "interval 10000 timeout 4000 down 5 up 5" ;;
	esac
}

# One probe process for every trial; -t bounds one measurement.
f=$LAB_TMP/probe
total=$((n_mwan + n_mwan3))
lab_bg "$f" "$LAB_C" probe -d "$LAB_SERVER4+32" -p "$LAB_PORTS" -i 20 -w 250 -k 10 -t 120 \
	-r "$total"
probe=$LAB_BG_PID
lines_ge() { [ "$(grep -c "^$3" "$2")" -ge "$1" ]; }

declare -A times
trial=0
done_mwan=0
done_mwan3=0
while [ $((done_mwan + done_mwan3)) -lt "$total" ]; do
	if [ "$done_mwan" -lt "$n_mwan" ] &&
	   { [ "$done_mwan" -le "$done_mwan3" ] || [ "$done_mwan3" -ge "$n_mwan3" ]; }; then
		mode=mwan
	else
		mode=mwan3
	fi
	trial=$((trial + 1))
	# shellcheck disable=SC2046
	m uplink set wan1 $(settings "$mode")
	wait_for -t 10 state_is wan1 up
	wait_for -t 10 lines_ge "$trial" "$f" "# armed"
	# A random phase against the probe schedule, as a real failure has.
	sleep "0.$((RANDOM % 1000))"
	cut=$EPOCHREALTIME
	cut_now
	kill -USR1 "$probe"
	sig=$EPOCHREALTIME
	wait_for -t 130 lines_ge "$trial" "$f" "probe "
	out=$(grep "^probe " "$f" | sed -n "${trial}p")
	[ "$(lab_field ok "$out")" = 1 ] || fail "trial $trial ($mode): no new flow succeeded: $out"
	wait_for -t 10 event_seen "$LAB_TMP/events" wan1 down "$cut"
	down=$(changed_at "$LAB_TMP/events" wan1 down "$cut")
	t=$(awk -v c="$cut" -v s="$sig" -v f="$(lab_field secs "$out")" -v d="$down" \
		'BEGIN { f += s - c; d -= c; printf "%.3f", (d > f) ? d : f }')
	log "trial $trial: $mode settings, new flows over wan2 after $t s"
	times[$mode]+="$t "
	if [ "$mode" = mwan ]; then
		done_mwan=$((done_mwan + 1))
	else
		done_mwan3=$((done_mwan3 + 1))
	fi
	# Back up quickly whatever the settings of the next trial.
	m uplink set wan1 interval 100 timeout 250 up 1
	restore_now
	wait_for -t 20 health_is wan1 up
done
wait "$probe" || fail "the probe failed: $(cat "$f")"

# TIMES...: "min median max"
stats()
{
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		printf "%.3f %.3f %.3f\n", v[1], (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2, v[NR] }'
}

declare -A median
for mode in mwan mwan3; do
	[ -n "${times[$mode]-}" ] || continue
	# shellcheck disable=SC2086
	read -r min med max < <(stats ${times[$mode]})
	median[$mode]=$med
	n=$(wc -w <<< "${times[$mode]}")
	echo "bench failover settings=$mode trials=$n min=$min median=$med max=$max"
done
if [ -n "${median[mwan]-}" ] && [ -n "${median[mwan3]-}" ]; then
	echo "bench failover ratio=mwan3/mwan median=$(awk -v a="${median[mwan3]}" \
		-v b="${median[mwan]}" 'BEGIN { printf "%.1f", a / b }')"
fi
