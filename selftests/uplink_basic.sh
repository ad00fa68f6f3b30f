#!/bin/bash
# "mwanctl uplink" add, show, set and del round trips: the JSON of "show"
# has the documented keys with exactly the values given or their defaults,
# the text form says the same, objects and commands abbreviate as in ip,
# and a deleted uplink is gone and frees its mark.
#
#   netns a:  eth1, eth2 (dummy, up)
. "$(dirname "$0")/lib.sh"

require_module dummy
ns_add a
for dev in eth1 eth2; do
	n a ip link add "$dev" type dummy
	n a ip link set "$dev" up
done
mw()
{
	mwanctl -n "$(ns a)" "$@"
}

# "show" JSON without since_ms, which is a clock, not configuration.
config()
{
	mw -j "$@" | python3 -c 'import json, sys; j = json.load(sys.stdin); [u.pop("since_ms", None) for u in j]; print(json.dumps(j))'
}

# Prints the Python expression $2 evaluated with j = the JSON text $1.
jq_py()
{
	python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

mask=$(cat /sys/module/mwan/parameters/mark_mask)
shift_bits=$(python3 -c "m = $mask; print((m & -m).bit_length() - 1)")
mark1=$((1 << shift_bits))
mark2=$((2 << shift_bits))

check_eq "$(mw -j uplink show)" "[]" "show with no uplinks"
check_eq "$(mw uplink show)" "" "text show with no uplinks"

mw uplink add wan1 dev eth1 via 192.0.2.1 weight 3
json=$(mw -j uplink show)
check_eq "$(jq_py "$json" 'type(j).__name__ + str(len(j))')" "list1" "show is an array of one"
check_eq "$(jq_py "$json" 'sorted(k for k in ("name", "dev", "state", "admin", "weight", "metric", "table", "mark") if k not in j[0])')" \
	"[]" "missing keys"
check_eq "$(jq_py "$json" 'j[0]["name"], j[0]["dev"], j[0]["weight"], j[0]["metric"]')" \
	"('wan1', 'eth1', 3, 1)" "name, dev, weight, metric"
check_eq "$(jq_py "$json" 'j[0]["state"], j[0]["admin"], j[0]["table"], j[0]["mark"]')" \
	"('up', 'auto', 1001, $mark1)" "state, admin, table, mark"
check_eq "$(jq_py "$json" 'j[0]["gateway4"], "gateway6" in j[0], "reason" in j[0]')" \
	"('192.0.2.1', False, False)" "gateways, no reason while up"
check_eq "$(jq_py "$json" 'j[0]["interval_ms"], j[0]["timeout_ms"], j[0]["down"], j[0]["up"], j[0]["reliability"], j[0]["track"]')" \
	"(100, 250, 5, 10, 1, [])" "probe defaults"

mw uplink add wan2 dev eth2 via 2001:db8::1 table 252 metric 2 track 198.51.100.1,2001:db8:1::1 reliability 2
check_eq "$(jq_py "$(mw -j uplink show wan2)" 'j[0]["mark"], j[0]["table"], j[0]["metric"], j[0]["gateway6"], j[0]["track"], j[0]["reliability"]')" \
	"($mark2, 252, 2, '2001:db8::1', ['198.51.100.1', '2001:db8:1::1'], 2)" "second uplink"
check_eq "$(jq_py "$(mw -j uplink show)" '[u["name"] for u in j]')" "['wan1', 'wan2']" "show lists both in order"

mw uplink set wan1 weight 5 metric 2 state down
json=$(mw -j uplink show wan1)
check_eq "$(jq_py "$json" 'j[0]["weight"], j[0]["metric"], j[0]["admin"], j[0]["state"], j[0]["reason"]')" \
	"(5, 2, 'down', 'down', 'admin')" "after set state down"
check_eq "$(jq_py "$json" 'j[0]["dev"], j[0]["gateway4"], j[0]["table"], j[0]["mark"]')" \
	"('eth1', '192.0.2.1', 1001, $mark1)" "set keeps what it was not given"
mw uplink set wan1 state auto
check_eq "$(jq_py "$(mw -j uplink show wan1)" 'j[0]["admin"], j[0]["state"]')" "('auto', 'up')" "after set state auto"

check_eq "$(mw uplink show wan1 | head -n 1)" \
	"wan1: dev eth1 via 192.0.2.1 table 1001 mark $(printf 0x%x "$mark1") weight 5 metric 2 state up admin auto" \
	"text show, first line"
check_eq "$(mw uplink show | grep -c '^wan[12]: dev ')" 2 "text show names both uplinks"

check_eq "$(mw u s | sed 's/ since .*//')" "$(mw uplink show | sed 's/ since .*//')" "mwanctl u s"
check_eq "$(config upl sh wan2)" "$(config uplink show wan2)" "mwanctl -j upl sh wan2"
check_eq "$(config u list)" "$(config uplink show)" "mwanctl u list (ip's alias of show)"
expect_fail mwanctl -n "$(ns a)" u frobnicate

mw uplink del wan1
check_eq "$(jq_py "$(mw -j uplink show)" '[u["name"] for u in j]')" "['wan2']" "after del wan1"
mw u a wan3 dev eth1
check_eq "$(jq_py "$(mw -j uplink show wan3)" 'j[0]["mark"], j[0]["table"]')" "($mark1, 1001)" \
	"the freed mark is reused"
mw uplink del wan2
mw uplink del wan3
check_eq "$(mw -j uplink show)" "[]" "show after deleting all"
