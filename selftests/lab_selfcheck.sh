#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lab measures what the per-flow tests rely on, without mwan: with flows
# steered by hand (nft mark + ip rule fwmark + a table per uplink), the
# server-side counts tell the uplinks apart in both families; lab_cut drops
# everything on an uplink while its carrier stays up, and lab_restore undoes
# it; the stream tool reports a stall and the probe times a recovery.
#
# check: two CPUs (it times a 1 s outage with the lab's probe).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"

require_cmd nft ping python3

lab_up
lab_route_baseline

# All flows one way, then the other: the server must see exactly that.
for up in wan1 wan2; do
	want=isp${up#wan}
	lab_steer "$up"
	for dest in "$LAB_SERVER4+32" "$LAB_SERVER6+32"; do
		for proto in "" -u; do
			out=$(lab_py "$LAB_C" flows -d "$dest" -p "$LAB_PORTS" -n 20 -c 10 ${proto:+"$proto"})
			log "$up: $out"
			check_eq "$(lab_field "$want" "$out")" 20 "flows to $dest $proto counted at $want"
			check_eq "$(lab_field ok "$out")" 20 "flows to $dest $proto that succeeded"
		done
	done
done
lab_steer off

# The cut: carrier stays up, nothing gets through, restore brings it back.
lab_steer wan1
lab_cut wan1
r ip link show wan1 | grep -q LOWER_UP || fail "wan1 lost carrier on lab_cut"
out=$(lab_py "$LAB_C" flows -d "$LAB_SERVER4" -n 5 -c 5 -w 1000) && fail "flows got through a cut: $out"
log "cut wan1: $out"
check_eq "$(lab_field err_timeout "$out")" 5 "flows timed out on the cut uplink"
out=$(lab_py "$LAB_C" uping -d "$LAB_SERVER6" -c 3 -i 50) && fail "UDP got through a cut: $out"
r ping -q -c 1 -W 1 -I wan1 "$LAB_GW1" > /dev/null && fail "the carrier's gateway answers through a cut"
lab_steer wan2
out=$(lab_py "$LAB_C" flows -d "$LAB_SERVER4" -n 10 -c 5)
check_eq "$(lab_field isp2 "$out")" 10 "flows on wan2 while wan1 is cut"
lab_restore wan1
lab_steer wan1
out=$(lab_py "$LAB_C" flows -d "$LAB_SERVER4" -n 10 -c 5)
check_eq "$(lab_field isp1 "$out")" 10 "flows on wan1 after lab_restore"

# Link down: carrier off on the router side, back on with lab_linkup.
lab_linkdown wan1
r ip link show wan1 | grep -q NO-CARRIER || fail "wan1 has carrier after lab_linkdown"
lab_linkup wan1
wait_for -t 5 sh -c "ip -n $LAB_R link show wan1 | grep -q LOWER_UP"

# The stream tool sees a 1.5 s outage on its own uplink as a stall (over
# 500 ms), and a healthy stream as none (over 1 s).
lab_steer wan2
out=$(lab_py "$LAB_C" stream -d "$LAB_SERVER4" -t 1 -s 1000)
log "healthy: $out"
check_eq "$(lab_field stalls "$out")" 0 "stalls of a healthy stream"
check_eq "$(lab_field via "$out")" isp2 "uplink of the stream"
lab_bg "$LAB_TMP/stream.out" "$LAB_C" stream -d "$LAB_SERVER4" -s 500
stream=$LAB_BG_PID
wait_for -t 20 grep -q "^# streaming" "$LAB_TMP/stream.out"
sleep 0.5
lab_cut wan2
sleep 1.5
lab_restore wan2
# TCP's retransmission backoff may stretch the gap well past the cut.
wait_for -t 20 grep -q "^# stall ended" "$LAB_TMP/stream.out"
kill -TERM "$stream"
rc=0
wait "$stream" || rc=$?
out=$(tail -n 1 "$LAB_TMP/stream.out")
log "cut for 1.5 s: $out"
grep "^# stall" "$LAB_TMP/stream.out" | while read -r line; do log "$line"; done
check_eq "$rc" 1 "stream exit status over a stall"
# At least the cut's: a starved TCG guest may add its own.
[ "$(lab_field stalls "$out")" -ge 1 ] || fail "no stall reported over the cut"
check_eq "$(lab_field resets "$out")" 0 "resets reported"
gap=$(lab_field max_gap_ms "$out")
[ "$gap" -ge 1400 ] || fail "max_gap_ms=$gap for a 1.5 s cut"

# The probe: armed, then wan2 is cut and restored 1 s after the event; the
# first new flow must succeed after the restore, and soon after it.
lab_cut wan2
lab_bg "$LAB_TMP/probe.out" "$LAB_C" probe -d "$LAB_SERVER4" -t 20
probe=$LAB_BG_PID
wait_for -t 20 grep -q "^# armed" "$LAB_TMP/probe.out"
t0=$EPOCHREALTIME
kill -USR1 "$probe"
sleep 1
lab_restore wan2
t1=$EPOCHREALTIME
wait "$probe" || fail "probe: $(cat "$LAB_TMP/probe.out")"
out=$(tail -n 1 "$LAB_TMP/probe.out")
restored=$(((${t1/./} - ${t0/./}) / 1000))
log "restored $restored ms after the event: $out"
ms=$(lab_field secs "$out" | tr -d .)
ms=$((10#$ms))
if [ "$ms" -lt 1000 ] || [ "$ms" -gt $((restored + 500)) ]; then
	fail "probe measured $ms ms, the outage lasted 1000 to $restored ms"
fi
exit 0
