#!/bin/bash
# Bad "mwanctl npt" and "mwanctl nat" command lines each fail with exit 1
# and exactly one "Error: ..." line naming the bad token (mwanctl's own
# checks: unequal prefix lengths, NPT longer than /64, NAT longer than /32,
# host bits, wrong family, missing keywords; the kernel's extack: an inside
# prefix overlapping another on the same uplink, an unknown uplink, a
# duplicate, a missing mapping), and leave "show" exactly as it was.
#
#   netns a:  eth1, eth2 (dummy, up); uplinks isp1, isp2
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
config()
{
	mw -j -s npt show
	mw -j -s nat show
	mw npt show
	mw nat show
}

mw uplink add isp1 dev eth1
mw uplink add isp2 dev eth2
mw npt add uplink isp1 inside fd00:250:250::/48 outside 2001:db8:1::/48
mw npt add uplink isp2 inside fd00:250:250::/48 outside 2001:db8:2::/48
mw nat add uplink isp1 inside 10.250.250.10 outside 100.64.1.10
mw nat add uplink isp1 inside 10.250.251.0/24 outside 100.64.3.0/24
before=$(config)
check_eq "$(mw npt show | wc -l)" 2 "two NPT mappings"
check_eq "$(mw nat show | wc -l)" 2 "two NAT mappings"

# mwanctl's own checks: nothing reaches the kernel.
expect_fail -m '"2001:db8:3::/56"' mw npt add uplink isp1 inside fd00:1::/48 outside 2001:db8:3::/56
expect_fail -m '"100.64.4.0/24"' mw nat add uplink isp1 inside 10.1.1.1 outside 100.64.4.0/24
expect_fail -m '"fd00:1::/72"' mw npt add uplink isp1 inside fd00:1::/72 outside 2001:db8:3::/72
expect_fail -m '"10.1.1.1/33"' mw nat add uplink isp1 inside 10.1.1.1/33 outside 100.64.4.1/33
expect_fail -m '"fd00:1::1/48"' mw npt add uplink isp1 inside fd00:1::1/48 outside 2001:db8:3::/48
expect_fail -m '"2001:db8:3::1/64"' mw npt replace uplink isp1 inside fd00:250:250::/48 outside 2001:db8:3::1/64
expect_fail -m '"10.1.1.1/24"' mw nat add uplink isp1 inside 10.1.1.1/24 outside 100.64.4.0/24
expect_fail -m '"10.0.0.0/8"' mw npt add uplink isp1 inside 10.0.0.0/8 outside 2001:db8:3::/8
expect_fail -m '"2001:db8::1"' mw nat add uplink isp1 inside 10.1.1.1 outside 2001:db8::1
expect_fail -m '"fd00:1::"' mw npt add uplink isp1 inside fd00:1:: outside 2001:db8:3::/48
expect_fail -m '"uplink" is required' mw npt add inside fd00:1::/48 outside 2001:db8:3::/48
expect_fail -m '"outside" is required' mw nat add uplink isp1 inside 10.1.1.1
expect_fail -m '"inside" is required' mw npt del uplink isp1
expect_fail -m '"inside"' mw npt add uplink isp1 inside
expect_fail -m 'unknown keyword "outside"' mw nat del uplink isp1 inside 10.250.250.10 outside 100.64.1.10
expect_fail -m 'unknown keyword "via"' mw npt add uplink isp1 inside fd00:1::/48 outside 2001:db8:3::/48 via x
expect_fail -m 'unknown command "flush"' mw npt flush

# The kernel's: each message names what is wrong.
expect_fail -m "overlaps fd00:250:250::/48 on uplink isp1" \
	mw npt add uplink isp1 inside fd00:250:250:100::/56 outside 2001:db8:3:100::/56
expect_fail -m "overlaps fd00:250:250::/48 on uplink isp1" \
	mw npt add uplink isp1 inside fd00::/16 outside 2001::/16
expect_fail -m "overlaps 10.250.251.0/24 on uplink isp1" \
	mw nat add uplink isp1 inside 10.250.251.7 outside 100.64.1.7
expect_fail -m "overlaps 2001:db8:1::/48 on uplink isp1" \
	mw npt add uplink isp1 inside fd00:9::/48 outside 2001:db8:1::/48
expect_fail -m "no such uplink" mw npt add uplink isp9 inside fd00:1::/48 outside 2001:db8:3::/48
expect_fail -m "no such uplink" mw nat add uplink isp9 inside 10.1.1.1 outside 100.64.4.1
expect_fail -m "already exists" mw npt add uplink isp1 inside fd00:250:250::/48 outside 2001:db8:7::/48
expect_fail -m "already exists" mw nat add uplink isp1 inside 10.250.250.10 outside 100.64.1.11
expect_fail -m "no such mapping" mw npt del uplink isp1 inside fd00:1::/48
expect_fail -m "no such mapping" mw nat del uplink isp2 inside 10.250.250.10

# A bad line in a batch stops it there: the lines before it stay applied.
batch=$(mktemp)
defer rm -f "$batch"
printf '%s\n' "nat add uplink isp2 inside 10.9.9.9 outside 100.64.2.9" \
	"nat add uplink isp2 inside 10.9.9.9/24 outside 100.64.2.0/24" > "$batch"
rc=0
mw -batch "$batch" 2> /dev/null || rc=$?
check_eq "$rc" 1 "batch with a bad line"
mw nat del uplink isp2 inside 10.9.9.9

check_eq "$(config)" "$before" "configuration after the failures"

# The good commands still work after all that.
mw npt replace uplink isp1 inside fd00:250:250::/48 outside 2001:db8:9::/48
check_eq "$(mw -j npt show | python3 -c 'import json, sys; print([m["outside"] for m in json.load(sys.stdin) if m["uplink"] == "isp1"])')" \
	"['2001:db8:9::/48']" "replace sets the outside prefix"
mw npt del uplink isp1 inside fd00:250:250::/48
mw nat del uplink isp1 inside 10.250.251.0/24
check_eq "$(mw npt show)" "uplink isp2 inside fd00:250:250::/48 outside 2001:db8:2::/48" "npt show after del"
check_eq "$(mw nat show)" "uplink isp1 inside 10.250.250.10/32 outside 100.64.1.10/32" "nat show after del"
