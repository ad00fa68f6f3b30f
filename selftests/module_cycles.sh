#!/bin/bash
# 20 rmmod/insmod cycles while another process adds and deletes uplinks in
# a loop (its errors while the module is out are expected) leave the kernel
# without oops, warning or new taint, and the module working.
#
#   netns a:  eth1 (dummy); the churner works there
. "$(dirname "$0")/lib.sh"

require_module dummy
[ -n "${MWAN_KO-}" ] && [ -f "$MWAN_KO" ] || skip "MWAN_KO not set"
mask=$(cat /sys/module/mwan/parameters/mark_mask)
defer sh -c "[ -d /sys/module/mwan ] || insmod '$MWAN_KO' mark_mask=$mask"
taint_before=$(cat /proc/sys/kernel/tainted)
dmesg_before=$(dmesg | wc -l)

ns_add a
n a ip link add eth1 type dummy
n a ip link set eth1 up
stop=$(mktemp)
defer rm -f "$stop"
churn()
{
	local i=0

	while [ -e "$stop" ]; do
		i=$((i + 1))
		mwanctl -n "$(ns a)" uplink add "c$((i % 4))" dev eth1 weight $((i % 1000 + 1)) ||:
		mwanctl -n "$(ns a)" -j uplink show > /dev/null ||:
		mwanctl -n "$(ns a)" uplink del "c$(((i + 2) % 4))" ||:
	done > /dev/null 2>&1
}
churn &
churner=$!
defer kill "$churner"

cycles=0
for round in $(seq 20); do
	# A request in flight holds the module: retry until it lets go.
	for try in $(seq 100); do
		rmmod mwan 2> /dev/null && break
		sleep 0.05
	done
	[ ! -d /sys/module/mwan ] || fail "round $round: rmmod kept failing"
	insmod "$MWAN_KO" mark_mask="$mask" || fail "round $round: insmod"
	cycles=$((cycles + 1))
done
rm -f "$stop"
wait "$churner" || true
log "$cycles cycles"

mwanctl -n "$(ns a)" uplink add final dev eth1
check_eq "$(mwanctl -n "$(ns a)" -j uplink show final | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["name"])')" \
	final "the module works after the cycles"
check_eq "$(cat /proc/sys/kernel/tainted)" "$taint_before" "kernel taint"
if dmesg | tail -n +"$((dmesg_before + 1))" | grep -E 'WARNING|BUG|Oops|refcount|leak'; then
	fail "kernel warnings during the cycles"
fi
