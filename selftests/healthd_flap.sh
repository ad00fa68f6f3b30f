#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mwan-healthd's judgement, all in one 60 s window: 10% random loss
# (netem, carrier to router) on wan1 causes no transition for 60 s, and
# 60% loss then takes it down; meanwhile, on uplinks sharing wan2's
# device, two targets of which one is dead make an uplink with
# reliability 2 go down and leave one with reliability 1 up, a forced
# "state down" stays down though its probes succeed, and a forced
# "state up" stays up though its probes fail, and one whose RTT is over
# its rtt-max is degraded.
#
#  router(mwan, mwan-healthd) wan1 --- isp1 (netem on cust0) --- server
#                             wan2 --- isp2 ------------------- (203.0.113.10 answers,
#                                                               .250 does not exist)
#  uplinks: wan1, wan2 (gateways); on wan2's device q1, q2 (track .10,.250,
#  reliability 1 and 2), fdown (gateway, state down), fup (track .250, state up),
#  slow (gateway, rtt-max 1 ms; wan2's requests are delayed 5 ms)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"
. "$(dirname "$0")/lab/healthd.sh"

require_cmd nft jq python3 tc mwanctl mwan-healthd
require_module sch_netem

WINDOW=${HEALTHD_FLAP_SECONDS:-60}
DEAD=203.0.113.250

lab_up -S
flow_uplinks
m uplink add q1 dev wan2 via "$LAB_GW2" track "$LAB_SERVER4,$DEAD" reliability 1
m uplink add q2 dev wan2 via "$LAB_GW2" track "$LAB_SERVER4,$DEAD" reliability 2
m uplink add fdown dev wan2 via "$LAB_GW2"
m uplink set fdown state down
m uplink add fup dev wan2 via "$LAB_GW2" track "$DEAD"
m uplink set fup state up
m uplink add slow dev wan2 via "$LAB_GW2" rtt-max 1
# Well over slow's rtt-max whatever the emulated machine's own RTT (no
# other uplink on wan2 has an RTT limit, and 5 ms is far below timeouts).
ip netns exec "$LAB_R" tc qdisc add dev wan2 root netem delay 5ms
healthd_watch "$LAB_TMP/events"
healthd_start
wait_for -t 10 health_is wan1 up
wait_for -t 10 health_is wan2 up

ip netns exec "$LAB_I1" tc qdisc add dev cust0 root netem loss 10%
start=$EPOCHREALTIME
since0=$(ujq wan1 .since_ms)
log "10% loss on wan1 (isp1 -> router) for $WINDOW s; the other checks meanwhile"

# Quorum and forced states, while the window runs.
wait_for -t 10 health_is q2 down
check_eq "$(ujq q2 .state)/$(ujq q2 .reason)" down/health "q2 (reliability 2, a dead target)"
wait_for -t 10 health_is q1 up
wait_for -t 10 health_is fdown up
wait_for -t 10 health_is fup down
wait_for -t 10 health_is slow degraded
# Every 2 s for 20 s, one look at all of them (each process start is dear).
for ((i = 0; i < 10; i++)); do
	check_eq "$(m -j uplink show | jq -r 'map({(.name): "\(.state)/\(.reason // "-")/\(.health)"}) | add |
		"\(.q1) \(.q2) \(.fdown) \(.fup) \(.slow)"')" \
		"up/-/up down/health/down down/admin/up up/-/down up/-/degraded" \
		"q1 q2 fdown fup slow (state/reason/health)"
	sleep 2
done
# Back to auto, the daemon's verdict applies at once.
m uplink set fup state auto
wait_for -t 3 state_is fup down
check_eq "$(ujq fup .reason)" health "fup's reason once in state auto"

t=$(awk -v s="$start" -v w="$WINDOW" -v now="$EPOCHREALTIME" 'BEGIN { r = s + w - now; print (r > 0) ? r : 0 }')
sleep "$t"
loss=$(ujq wan1 .loss_pct)
log "wan1 after $WINDOW s of 10% loss: $(m uplink show wan1 | tr -s ' \n' ' ')"
check_eq "$(ujq wan1 .state)/$(ujq wan1 .health)" up/up "wan1 state/health under 10% loss"
since1=$(ujq wan1 .since_ms)
[ "$since1" -gt "$since0" ] || fail "wan1's state changed during the window (since $since0 -> $since1 ms)"
! event_seen "$LAB_TMP/events" wan1 down "$start" || fail "wan1 went down under 10% loss"
! grep -q "uplink wan1: up -> down" "$HEALTHD_LOG" || fail "wan1 flapped: $(cat "$HEALTHD_LOG")"
# The probes saw the loss (netem on, measured): a window of 64 probes per target.
[ "$loss" -ge 1 ] && [ "$loss" -le 30 ] || fail "wan1's measured loss $loss% under 10% netem loss"

# 60% loss, one target (one direction, as above): down within a few seconds.
m uplink set wan1 track "$LAB_GW1"
ip netns exec "$LAB_I1" tc qdisc change dev cust0 root netem loss 60%
t60=$EPOCHREALTIME
wait_for -t 20 health_is wan1 down
log "wan1 down $(awk -v a="$t60" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s into 60% loss"
check_eq "$(ujq wan1 .state)/$(ujq wan1 .reason)" down/health "wan1 under 60% loss"
! event_seen "$LAB_TMP/events" wan2 down "$start" || fail "wan2 changed state"
exit 0
