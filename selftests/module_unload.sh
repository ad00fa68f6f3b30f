#!/bin/bash
# rmmod mwan succeeds while uplinks exist in several network namespaces and
# a "mwanctl monitor" is subscribed to events: the family, the debugfs tree
# and the module go, the monitor is not left hanging on a dead family, and
# insmod brings back an empty, working module (left loaded for the tests
# that follow).
#
#   netns a, b, c:  eth1 (dummy), 3 uplinks each
. "$(dirname "$0")/lib.sh"

require_module dummy
[ -n "${MWAN_KO-}" ] && [ -f "$MWAN_KO" ] || skip "MWAN_KO not set"
mask=$(cat /sys/module/mwan/parameters/mark_mask)
# Whatever happens, the module is loaded again for the other tests.
defer sh -c "[ -d /sys/module/mwan ] || insmod '$MWAN_KO' mark_mask=$mask"
dmesg_before=$(dmesg | wc -l)

ns_add a b c
for x in a b c; do
	n "$x" ip link add eth1 type dummy
	n "$x" ip link set eth1 up
	for i in 1 2 3; do
		mwanctl -n "$(ns "$x")" uplink add "$x$i" dev eth1
	done
done
out=$(mktemp)
defer rm -f "$out"
mwanctl -n "$(ns a)" monitor > "$out" 2>&1 &
mon=$!
defer kill "$mon"
wait_for -t 5 sh -c "mwanctl -n $(ns a) uplink set a1 weight 2 && grep -q a1 $out"

rmmod mwan || fail "rmmod with uplinks and a listener"
[ ! -d /sys/module/mwan ] || fail "/sys/module/mwan still there"
[ ! -e /sys/kernel/debug/mwan ] || fail "/sys/kernel/debug/mwan still there"
expect_fail mwanctl -n "$(ns a)" uplink show

insmod "$MWAN_KO" mark_mask="$mask"
check_eq "$(cat /sys/module/mwan/parameters/mark_mask)" "$mask" "mark_mask after insmod"
for x in a b c; do
	check_eq "$(mwanctl -n "$(ns "$x")" -j uplink show)" "[]" "netns $x after reload"
done
mwanctl -n "$(ns b)" uplink add again dev eth1
check_eq "$(mwanctl -n "$(ns b)" -j uplink show | python3 -c 'import json, sys; print([u["name"] for u in json.load(sys.stdin)])')" \
	"['again']" "the reloaded module works"
if [ -d /sys/kernel/debug ] && [ -d /sys/kernel/debug/mwan ]; then
	ib=$(stat -L -c %i "/run/netns/$(ns b)")
	check_eq "$(cut -d ' ' -f 1 "/sys/kernel/debug/mwan/$ib/uplinks")" again "debugfs after reload"
fi
if dmesg | tail -n +"$((dmesg_before + 1))" | grep -E 'WARNING|BUG|Oops'; then
	fail "kernel warnings during unload"
fi
