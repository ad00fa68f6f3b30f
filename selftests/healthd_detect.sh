#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mwan-healthd with the default settings: an uplink whose far side silently
# drops everything (carrier up) is marked down, and a new flow from the LAN
# succeeds over the other uplink, within 1 s of the cut, in each of 10
# trials (min/median/max printed); once the far side answers again the
# uplink comes back no sooner than the up hysteresis (10 rounds of 100 ms)
# and new flows are spread by the weights again.
#
#  client --- router(mwan, mwan-healthd) wan1 --- isp1 (cut here) --- server
#                                        wan2 --- isp2 ------------
#  policy bal = wan1 + wan2 (weights 1:1), for the LAN's new flows;
#  probes go to each uplink's gateway (no track list: the defaults).
#
# check: two CPUs (it measures detection against 1 s).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"
. "$(dirname "$0")/lab/healthd.sh"

require_cmd nft tc jq python3 mwanctl mwan-healthd
require_module sch_ingress cls_matchall act_gact

TRIALS=10

lab_up
flow_uplinks
m policy add bal member wan1 member wan2
m rule add pref 20 from 10.250.250.0/29 policy bal
healthd_watch "$LAB_TMP/events"
cutter_start wan1
healthd_start
wait_for -t 10 health_is wan1 up
wait_for -t 10 health_is wan2 up
# Both gateways of each (IPv4 and IPv6) answer: a lost family would show as loss.
for u in wan1 wan2; do
	wait_for -t 10 uplink_has $u '.loss_pct == 0 and .rtt_us > 0'
done

# One probe process for all trials (process start-up is dear under TCG):
# after each SIGUSR1 it opens a new flow every 20 ms until 10 in a row
# succeed, which can only happen over wan2 once wan1 is out.
f=$LAB_TMP/probe
lab_bg "$f" "$LAB_C" probe -d "$LAB_SERVER4+32" -p "$LAB_PORTS" -i 20 -w 250 -k 10 -t 5 \
	-r $((TRIALS + 1))
probe=$LAB_BG_PID
# N FILE PREFIX: FILE has N lines starting with PREFIX
lines_ge() { [ "$(grep -c "^$3" "$2")" -ge "$1" ]; }
# Warm-up, not measured: the probe's first flows and tc's first filter
# (its classifier and action code) cost more than any later ones.
printf '%s\n' "qdisc add dev up0 clsact" "filter add dev up0 egress pref 1 matchall action pass" \
	"filter del dev up0 egress pref 1" "qdisc del dev up0 clsact" >&"$CUT_FD"
wait_for -t 10 lines_ge 1 "$f" "# armed"
kill -USR1 "$probe"
wait_for -t 10 lines_ge 1 "$f" "probe "
times=()
for ((trial = 1; trial <= TRIALS; trial++)); do
	[ "$trial" = 1 ] || wait_for -t 10 event_seen "$LAB_TMP/events" wan1 up "$restored"
	wait_for -t 10 lines_ge $((trial + 1)) "$f" "# armed"
	cut=$EPOCHREALTIME
	cut_now
	kill -USR1 "$probe"
	sig=$EPOCHREALTIME
	wait_for -t 10 lines_ge $((trial + 1)) "$f" "probe "
	out=$(grep "^probe " "$f" | sed -n "$((trial + 1))p")
	check_eq "$(lab_field ok "$out")" 1 "trial $trial: a new flow succeeded ($out)"
	wait_for -t 3 event_seen "$LAB_TMP/events" wan1 down "$cut"
	ev=$(awk -v t="$cut" '$1 >= t && index($0, "\"name\":\"wan1\"") &&
		index($0, "\"state\":\"down\"") { print; exit }' "$LAB_TMP/events")
	[[ $ev == *'"reason":"health"'* ]] || fail "trial $trial: wan1 down, but not by health: $ev"
	# The probe counts from its signal, a little after the cut.
	read -r down flow t < <(awk -v c="$cut" -v d="${ev%% *}" -v s="$sig" \
		-v f="$(lab_field secs "$out")" 'BEGIN { d -= c; f += s - c
		printf "%.3f %.3f %.3f\n", d, f, (d > f) ? d : f }')
	log "trial $trial: down after $down s, new flows over wan2 after $flow s ($out)"
	times+=("$t")
	restored=$EPOCHREALTIME
	restore_now
done
wait "$probe" || fail "the probe failed: $(cat "$f")"
read -r min med max < <(printf '%s\n' "${times[@]}" | sort -n |
	awk '{ v[NR] = $1 } END { print v[1], (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2, v[NR] }')
echo "# detection (down and a new flow over wan2), $TRIALS trials: min ${min} s, median ${med} s, max ${max} s"
awk -v m="$max" 'BEGIN { exit !(m != "" && m < 1.0) }' || fail "a detection took ${max} s, want < 1 s"

# Recovery: not before 10 good rounds (1 s), then traffic by the weights.
wait_for -t 10 health_is wan1 up
state_is wan1 up
wait_for -t 3 event_seen "$LAB_TMP/events" wan1 up "$restored"
back=$(changed_at "$LAB_TMP/events" wan1 up "$restored")
split_check "$LAB_C" 60 0.5 "new flows after recovery (weights 1:1)" \
	-d "$LAB_SERVER4+32" -p "$LAB_PORTS" -c 10

up_s=$(awk -v r="$restored" -v b="$back" 'BEGIN { printf "%.3f", b - r }')
log "wan1 back up $up_s s after its far side answered again"
awk -v s="$up_s" 'BEGIN { exit !(s >= 0.8 && s < 3) }' ||
	fail "wan1 came back after $up_s s, want the up hysteresis (10 x 100 ms) and not much more"
grep -q 'uplink wan1: down -> up' "$HEALTHD_LOG" || fail "no recovery logged: $(cat "$HEALTHD_LOG")"
healthd_stop TERM
grep -q 'exiting' "$HEALTHD_LOG" || fail "no clean exit on SIGTERM: $(cat "$HEALTHD_LOG")"
exit 0
