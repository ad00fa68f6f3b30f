#!/bin/bash
# Bad "mwanctl uplink" command lines each fail with exit 1 and exactly one
# "Error: ..." line naming the problem (mwanctl's own or the kernel's
# extack text), and leave the configuration exactly as it was.
#
#   netns a:  eth1 (dummy, up)
. "$(dirname "$0")/lib.sh"

require_module dummy
ns_add a
n a ip link add eth1 type dummy
n a ip link set eth1 up
mw()
{
	mwanctl -n "$(ns a)" "$@"
}

# The configuration as JSON, without since_ms (a clock, not configuration).
config()
{
	mw -j -s uplink show |
		python3 -c 'import json, sys; j = json.load(sys.stdin); [u.pop("since_ms", None) for u in j]; print(json.dumps(j, sort_keys=True))'
}

mw uplink add wan1 dev eth1 via 192.0.2.1 weight 3 track 198.51.100.1
before=$(config)

expect_fail -m "no such device" mw uplink add wan2 dev nosuch0
expect_fail -m "uplink name already exists" mw uplink add wan1 dev eth1
expect_fail -m "abcdefghijklmnop" mw uplink add abcdefghijklmnop dev eth1
expect_fail -m '"0"' mw uplink add wan2 dev eth1 weight 0
expect_fail -m '"1001"' mw uplink add wan2 dev eth1 weight 1001
expect_fail -m '"256"' mw uplink add wan2 dev eth1 metric 256
expect_fail -m '"192.0.2.300"' mw uplink add wan2 dev eth1 via 192.0.2.300
expect_fail -m '"garbage"' mw uplink add wan2 dev eth1 via garbage
expect_fail -m 'unknown keyword "bogus"' mw uplink add wan2 dev eth1 bogus 1
expect_fail -m '"weight"' mw uplink add wan2 dev eth1 weight
expect_fail -m '"dev"' mw uplink add wan2
expect_fail -m "uplink name required" mw uplink add
expect_fail -m '"254"' mw uplink add wan2 dev eth1 table 254
expect_fail -m '"0"' mw uplink add wan2 dev eth1 table 0
expect_fail -m "reliability" mw uplink add wan2 dev eth1 track 192.0.2.9,192.0.2.10 reliability 3
expect_fail -m '"9"' mw uplink add wan2 dev eth1 interval 9
expect_fail -m '"101"' mw uplink add wan2 dev eth1 down 101
expect_fail -m '"dev"' mw uplink add wan2 dev eth1 dev eth1
expect_fail -m '"maybe"' mw uplink set wan1 state maybe
expect_fail -m "no such uplink" mw uplink set wan9 weight 2
expect_fail -m "no such uplink" mw uplink del wan9
expect_fail -m "no such uplink" mw uplink show wan9
expect_fail -m "no such device" mw uplink set wan1 dev nosuch0
# the kernel's check: 1 target configured, reliability 2 asked for
expect_fail -m "reliability exceeds the number of track addresses" mw uplink set wan1 reliability 2
expect_fail mw uplink frobnicate

check_eq "$(config)" "$before" "configuration after the failures"
