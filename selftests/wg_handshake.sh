#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "track handshake N" judges a WireGuard uplink by the age of its device's
# newest peer handshake: a device that never had one is down N s after
# mwan-healthd began tracking it (not before); a handshake brings it up
# within the poll period (1 s); when the peer stops answering it goes down
# once the handshake is N s old (not before); when the peer answers again,
# WireGuard's own retry makes a new handshake and the uplink comes back.
# mwan-healthd --status shows the age. N is 4 s, far below WireGuard's
# 120 s rekey, so that a handshake ages out within the test; a ping through
# the tunnel makes WireGuard retry a handshake once 15 s have passed without
# an answer, then every 5 s.
#
#  router wg0 10.99.0.1 --- wan1 --- isp1 (cut here) --- server wg0 10.99.0.2
#  mwanctl uplink add wgs dev wg0 track handshake 4      (192.0.2.2:51820)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/lab/flow.sh"
. "$(dirname "$0")/lab/healthd.sh"

require_cmd wg tc jq mwanctl mwan-healthd
require_module wireguard sch_ingress cls_matchall act_gact

N=4

lab_up -S
rkey=$(wg genkey)
skey=$(wg genkey)
RPUB=$(wg pubkey <<< "$rkey")
SPUB=$(wg pubkey <<< "$skey")
echo "$rkey" > "$LAB_TMP/r.key"
echo "$skey" > "$LAB_TMP/s.key"
r ip link add wg0 type wireguard
r wg set wg0 private-key "$LAB_TMP/r.key" peer "$SPUB" endpoint 192.0.2.2:51820 \
	allowed-ips 10.99.0.2/32
r ip -batch - <<< $'addr add 10.99.0.1/24 dev wg0\nlink set wg0 up'
s ip link add wg0 type wireguard
s wg set wg0 private-key "$LAB_TMP/s.key" listen-port 51820 peer "$RPUB" allowed-ips 10.99.0.1/32
s ip -batch - <<< $'addr add 10.99.0.2/24 dev wg0\nlink set wg0 up'

handshake() { r wg show wg0 latest-handshakes | cut -f2; }
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
# GOT LO HI WHAT: LO <= GOT <= HI (decimals)
within() { awk -v g="$1" -v l="$2" -v h="$3" 'BEGIN { exit !(g >= l && g <= h) }' ||
	fail "$4: $1 s, want $2..$3 s"; }

m uplink add wgs dev wg0 track handshake "$N"
healthd_watch "$LAB_TMP/events"
cutter_start wan1
started=$EPOCHREALTIME
healthd_start
# Never a handshake: down N s after tracking began.
wait_for -t $((N + 5)) health_is wgs down
t=$(changed_at "$LAB_TMP/events" wgs down "$started")
within "$(since "$t" "$started")" $((N - 1)).8 $((N + 3)) "never handshaken: down after"
check_eq "$(handshake)" 0 "handshakes before any traffic"

# A ping through the tunnel makes a handshake: up within the poll period.
ip netns exec "$LAB_R" ping -n -i 0.2 10.99.0.2 > /dev/null 2>&1 &
LAB_PIDS+=("$!")
pinged=$EPOCHREALTIME
wait_for -t 5 health_is wgs up
t=$(changed_at "$LAB_TMP/events" wgs up "$pinged")
h1=$(handshake)
[ "$h1" -gt 0 ] || fail "up without a handshake"
# The poll period (1 s), plus up to 1 s because "wg show" gives whole seconds.
within "$(since "$t" "$h1")" 0 3 "handshake at $h1 to up"
status=$(mwan-healthd -n "$LAB_R" --status)
log "$status"
[[ $(head -n 1 <<< "$status") == *HANDSHAKE ]] || fail "no HANDSHAKE column: $status"
grep -Eq "^wgs +up +auto +up .* [0-9.]+s/${N}s$" <<< "$status" ||
	fail "--status does not show the handshake's age: $status"

# The peer stops answering: down once the handshake is N s old, not before.
cut=$EPOCHREALTIME
cut_now
wait_for -t $((N + 5)) health_is wgs down
t=$(changed_at "$LAB_TMP/events" wgs down "$pinged")
within "$(since "$t" "$h1")" $((N - 1)).9 $((N + 2)).5 "handshake at $h1 to down"
grep -q "uplink wgs: up -> down (.*handshake [0-9.]* s ago)" "$HEALTHD_LOG" ||
	fail "the handshake's age is not logged: $(cat "$HEALTHD_LOG")"

# WireGuard keeps the session while its keys are valid, so an answer
# after a short cut needs no handshake. Only after 15 s without one does
# it retry a handshake (then every 5 s): keep the cut that long, so that it
# handshakes again when the peer is back.
sleep "$(awk -v c="$cut" -v n="$EPOCHREALTIME" 'BEGIN { s = c + 16 - n; print (s > 0 ? s : 0) }')"
restored=$EPOCHREALTIME
restore_now
wait_for -t 30 health_is wgs up
t=$(changed_at "$LAB_TMP/events" wgs up "$restored")
h2=$(handshake)
[ "$h2" -gt "$h1" ] || fail "up again without a new handshake ($h1, $h2)"
within "$(since "$t" "$h2")" 0 3 "new handshake at $h2 to up"
log "down $N s after the handshake, up again $(since "$t" "$restored") s after the peer returned"
exit 0
