#!/bin/bash
# "mwanctl monitor" (text and -j) prints one line per NPT and NAT mapping
# change another process makes, in order: add, replace, del, with the
# mapping's uplink, inside and outside prefixes; JSON lines parse and say
# "npt" or "nat".
#
#   netns a:  eth1 (dummy, up), uplink isp1
. "$(dirname "$0")/lib.sh"

require_module dummy
ns_add a
n a ip link add eth1 type dummy
n a ip link set eth1 up
mw()
{
	mwanctl -n "$(ns a)" "$@"
}
dir=$(mktemp -d)
defer rm -rf "$dir"
mw uplink add isp1 dev eth1
mwanctl -n "$(ns a)" monitor > "$dir/text" 2> "$dir/text.err" &
defer kill $!
mwanctl -n "$(ns a)" -j monitor > "$dir/json" 2> "$dir/json.err" &
defer kill $!
# Both listen once a marker change shows in both outputs.
i=0
until [ -s "$dir/json" ] && grep -q '^nat added: uplink isp1 inside 10.9.' "$dir/text"; do
	i=$((i + 1))
	[ "$i" -le 50 ] || fail "monitors show nothing"
	mw nat add uplink isp1 inside "10.9.0.$i" outside "192.0.2.$i"
	sleep 0.2
done
skip_text=$(wc -l < "$dir/text")
skip_json=$(wc -l < "$dir/json")

mw npt add uplink isp1 inside fd00:250:250::/48 outside 2001:db8:1::/48
mw npt replace uplink isp1 inside fd00:250:250::/48 outside 2001:db8:7::/48
mw nat add uplink isp1 inside 10.250.250.0/29 outside 198.51.100.8/29
mw npt del uplink isp1 inside fd00:250:250::/48
mw nat del uplink isp1 inside 10.250.250.0/29
wait_for -t 5 test "$(wc -l < "$dir/json")" -ge "$((skip_json + 5))"
wait_for -t 5 test "$(wc -l < "$dir/text")" -ge "$((skip_text + 5))"
sleep 0.5
text=$(tail -n +"$((skip_text + 1))" "$dir/text")
json=$(tail -n +"$((skip_json + 1))" "$dir/json")
check_eq "$text" "npt added: uplink isp1 inside fd00:250:250::/48 outside 2001:db8:1::/48
npt replaced: uplink isp1 inside fd00:250:250::/48 outside 2001:db8:7::/48
nat added: uplink isp1 inside 10.250.250.0/29 outside 198.51.100.8/29
npt deleted: uplink isp1 inside fd00:250:250::/48 outside 2001:db8:7::/48
nat deleted: uplink isp1 inside 10.250.250.0/29 outside 198.51.100.8/29" "text events"
got=$(python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    print(e["event"], e["object"], e["uplink"], e["inside"], e.get("outside"))' <<< "$json")
check_eq "$got" "new npt isp1 fd00:250:250::/48 2001:db8:1::/48
set npt isp1 fd00:250:250::/48 2001:db8:7::/48
new nat isp1 10.250.250.0/29 198.51.100.8/29
del npt isp1 fd00:250:250::/48 2001:db8:7::/48
del nat isp1 10.250.250.0/29 198.51.100.8/29" "JSON events"
check_eq "$(cat "$dir/text.err" "$dir/json.err")" "" "monitor stderr"
