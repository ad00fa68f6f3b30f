#!/bin/bash
# 10,000 NPTv6 and 10,000 1:1 NAT mappings on one uplink: added through
# "mwanctl -batch -" (timed), listed by show and show -s (all of them,
# JSON too), and translation stays right for the mappings a LAN host uses,
# among the others, both ways (the server sees the outside address, an
# inbound connection reaches the inside host); deleting them all leaves
# nothing behind.
. "$(dirname "$0")/lab.sh"

lab_up -N
mw()
{
	mwanctl -n "$LAB_R" "$@"
}
xl()
{
	local ns=$1

	shift
	lab_py "$ns" xlate "$@"
}
N=10000
mw uplink add isp1 dev wan1 via "$LAB_GW1"
i1 ip route add 100.64.11.0/24 via 100.64.1.2
s ip route add 100.64.11.0/24 via 192.0.2.1
i1 ip -6 route add 2001:db8:a1::/48 via 2001:db8:1::2
s ip -6 route add 2001:db8:a1::/48 via 2001:db8:f1::1

# N - 1 filler mappings of each kind, and the LAN's in the middle.
python3 - "$N" > "$LAB_TMP/batch" <<'EOF'
import sys
n = int(sys.argv[1])
for i in range(n - 1):
    print("npt add uplink isp1 inside fd01:%x:%x::/64 outside 2001:db9:%x:%x::/64" %
          (i >> 8, i & 255, i >> 8, i & 255))
    print("nat add uplink isp1 inside 10.100.%d.%d outside 100.100.%d.%d" %
          (i >> 8, i & 255, i >> 8, i & 255))
    if i == n // 2:
        print("npt add uplink isp1 inside fd00:250:250::/64 outside 2001:db8:a1::/64")
        print("nat add uplink isp1 inside 10.250.250.3 outside 100.64.11.3")
EOF
t0=$EPOCHREALTIME
mw -batch - < "$LAB_TMP/batch"
t1=$EPOCHREALTIME
ms=$(((${t1/./} - ${t0/./}) / 1000))
log "added $N NPT and $N NAT mappings in $ms ms"
[ "$ms" -lt 180000 ] || fail "adding the mappings took $ms ms"

t0=$EPOCHREALTIME
check_eq "$(mw npt show | wc -l)" $N "npt show lists them all"
check_eq "$(mw nat show | wc -l)" $N "nat show lists them all"
t1=$EPOCHREALTIME
log "two text shows in $(((${t1/./} - ${t0/./}) / 1000)) ms"

out6=$(xl "$LAB_C" npt -m fd00:250:250::/64=2001:db8:a1::/64 fd00:250:250::3)
want="fd00:250:250::3>$LAB_SERVER6 $out6
10.250.250.3>$LAB_SERVER4/udp 100.64.11.3
10.250.250.2>$LAB_SERVER4 100.64.1.2"
# shellcheck disable=SC2046
check_eq "$(xl "$LAB_C" seen $(cut -d' ' -f1 <<< "$want"))" "$want" "NPT and NAT among $N; the unmapped host masqueraded"
lab_bg "$LAB_TMP/accept" "$LAB_C" xlate accept -p 7000 -n 2
lab_wait_line "$LAB_TMP/accept" "# listening"
check_eq "$(xl "$LAB_S" connect -d 100.64.11.3 -p 7000)" "connected reply=hello_192.0.2.2" "inbound NAT among $N"
check_eq "$(xl "$LAB_S" connect -d "$out6" -p 7000)" "connected reply=hello_2001:db8:f1::2" "inbound NPT among $N"
wait "$LAB_BG_PID"

# show -s as JSON: every mapping, the used ones with their packets.
for kind in npt nat; do
	mw -j -s $kind show > "$LAB_TMP/$kind.json"
done
python3 - "$N" "$LAB_TMP" <<'EOF' || fail "show -s"
import json, sys
n, tmp = int(sys.argv[1]), sys.argv[2]
for kind, inside in (("npt", "fd00:250:250::/64"), ("nat", "10.250.250.3/32")):
    maps = json.load(open("%s/%s.json" % (tmp, kind)))
    assert len(maps) == n, (kind, len(maps))
    assert all(set(m) >= {"uplink", "inside", "outside", "packets"} for m in maps), kind
    used = [m for m in maps if m["inside"] == inside]
    assert len(used) == 1 and used[0]["packets"] >= 2, (kind, used)
    assert sum(m["packets"] for m in maps) == used[0]["packets"], kind
EOF

# Delete everything again.
sed -e 's/^\(n[pa]t\) add \(uplink isp1 inside [^ ]*\) outside .*/\1 del \2/' "$LAB_TMP/batch" > "$LAB_TMP/del"
t0=$EPOCHREALTIME
mw -batch - < "$LAB_TMP/del"
t1=$EPOCHREALTIME
log "deleted them in $(((${t1/./} - ${t0/./}) / 1000)) ms"
check_eq "$(mw npt show)$(mw nat show)" "" "nothing left"
